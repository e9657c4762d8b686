"""Legal deadlines of postal legs: J + n working days (TT 17/2017/TT-BTTTT art. 7).

J is the date the dossier was collected from the citizen (pickup leg) or the date the
result was received from the office (return leg). n depends on the route and on whether an
appointment slip travels with it; the table is configuration (``config/deadlines.toml``)
because its district-based rows no longer match the map after 1/7/2025.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from postlink.errors import ConfigError
from postlink.legs.calendar import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    label: str
    dossier_days: int
    with_appointment_days: int


@dataclass(frozen=True)
class DeadlinePolicy:
    routes: dict[str, Route]
    default_route: str
    calendar: WorkingCalendar
    invitations: int
    days_between_invitations: int

    def route(self, name: str | None) -> Route:
        """The named route, or the default one for legs whose route is not known."""
        key = name or self.default_route
        try:
            return self.routes[key]
        except KeyError:
            known = ", ".join(sorted(self.routes))
            raise ConfigError(f"unknown route {key!r} (known routes: {known})") from None

    def deadline(
        self, j_date: date, route: str | None = None, *, appointment: bool = False
    ) -> date:
        """J + n working days for this route."""
        chosen = self.route(route)
        days = chosen.with_appointment_days if appointment else chosen.dossier_days
        return self.calendar.add_working_days(j_date, days)

    def next_invitation_due(self, failed_on: date) -> date:
        """QĐ 45/2016 art. 10: the next delivery invitation, n working days after a failure."""
        return self.calendar.add_working_days(failed_on, self.days_between_invitations)


def _dates(table: dict[str, Any], key: str, path: Path) -> list[date]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, date) for v in values):
        raise ConfigError(f"{path}: calendar.{key} must be a list of dates like [2026-02-14]")
    return values


def _positive_int(table: dict[str, Any], key: str, where: str, path: Path) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{path}: {where}.{key}={value!r} must be a whole number >= 0")
    return value


def load_policy(path: Path) -> DeadlinePolicy:
    """Read and check the deadline table; errors name the file, the key and the value."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"deadline table {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    routes = {
        name: Route(
            name=name,
            label=str(spec.get("label", name)),
            dossier_days=_positive_int(spec, "dossier", f"routes.{name}", path),
            with_appointment_days=_positive_int(spec, "with_appointment", f"routes.{name}", path),
        )
        for name, spec in data.get("routes", {}).items()
    }
    if not routes:
        raise ConfigError(f"{path}: no [routes.*] tables")
    default_route = str(data.get("default_route", ""))
    if default_route not in routes:
        raise ConfigError(f"{path}: default_route={default_route!r} is not one of the routes")
    calendar_table = data.get("calendar", {})
    failed = data.get("failed_delivery", {})
    try:
        calendar = WorkingCalendar(
            _dates(calendar_table, "extra_days_off", path),
            _dates(calendar_table, "make_up_working_days", path),
        )
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return DeadlinePolicy(
        routes=routes,
        default_route=default_route,
        calendar=calendar,
        invitations=_positive_int(failed, "invitations", "failed_delivery", path),
        days_between_invitations=_positive_int(
            failed, "working_days_between", "failed_delivery", path
        ),
    )
