"""Legal deadlines of postal legs: J + n working days (TT 17/2017/TT-BTTTT art. 7).

J is the date the dossier was collected from the citizen (pickup leg) or the date the
result was received from the office (return leg). n depends on the route, chosen from the
leg's two ends (``legs.routes``, with the province's route table), and on whether the
dossier leg carries an appointment slip. The working-day calendar and the failed-delivery
rule are configuration here (``config/deadlines.toml``); the route table has its own file
(``config/routes/``) because its communes and areas are the province's to set.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from postlink import defaults
from postlink.errors import ConfigError
from postlink.legs.calendar import WorkingCalendar
from postlink.legs.invitations import InvitationRule
from postlink.legs.route_table import RouteTable, load_route_table


@dataclass(frozen=True)
class DeadlinePolicy:
    route_table: RouteTable
    calendar: WorkingCalendar
    invitations: int
    days_between_invitations: int

    def deadline(self, j_date: date, days: int) -> date:
        """J + n working days, n being the route's (``legs.routes.choose_route``)."""
        return self.calendar.add_working_days(j_date, days)

    @property
    def invitation_rule(self) -> InvitationRule:
        """TT 17/2017 art. 5 cl. 2 point h, with the configured minimum and spacing."""
        return InvitationRule(self.invitations, self.days_between_invitations, self.calendar)


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


def load_policy(path: Path, routes_file: Path = defaults.ROUTES_FILE) -> DeadlinePolicy:
    """Read and check the calendar and the route table; errors name the file, the key and
    the value."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"deadline table {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
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
        route_table=load_route_table(routes_file),
        calendar=calendar,
        invitations=_positive_int(failed, "invitations", "failed_delivery", path),
        days_between_invitations=_positive_int(
            failed, "working_days_between", "failed_delivery", path
        ),
    )
