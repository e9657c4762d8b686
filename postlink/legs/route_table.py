"""The province's route table: which route area each commune is in, and n for each row.

TT 17/2017/TT-BTTTT art. 7 gives the time of a leg as J + n working days, n by route: one
(former) district, between districts of the province, between special/class-I cities, other
provinces, each with a second n when the dossier leg carries an appointment slip (giấy hẹn).
Districts were abolished on 1/7/2025, so which communes count as "one area" is now the
province's decision: the table is configuration (``config/routes/cao-bang.toml``, pointed at
by ``POSTLINK_ROUTES_FILE``), checked here when loaded. Every problem names the file, the
entry, the field, the value and the reason, Vietnamese first (``postlink.words``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postlink.errors import ConfigError
from postlink.identifiers import IdentifierError, parse_agency_code
from postlink.words import say

#: Row names of the table of TT 17/2017 art. 7, in its order.
LOCAL = "local"
INTRA_PROVINCE = "intra_province"
INTER_PROVINCE_MAJOR = "inter_province_major"
INTER_PROVINCE = "inter_province"
ROWS = (LOCAL, INTRA_PROVINCE, INTER_PROVINCE_MAJOR, INTER_PROVINCE)

_COMMUNE_CODE = re.compile(r"\d{5}")
_PROVINCE_CODE = re.compile(r"\d{2}")


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the time-limit table: n alone, and n with an appointment slip."""

    name: str
    label: str
    days: int
    with_slip: int

    def n(self, appointment_slip: bool) -> int:
        return self.with_slip if appointment_slip else self.days


@dataclass(frozen=True, slots=True)
class Commune:
    """A current ward or commune (GSO code) and the route area the province puts it in."""

    code: str
    name: str
    area: str


@dataclass(frozen=True, slots=True)
class SpecialCommune:
    """A special-geography commune where the post's own time replaces the row's n."""

    commune: Commune
    days: int
    with_slip: int

    def n(self, appointment_slip: bool) -> int:
        return self.with_slip if appointment_slip else self.days


@dataclass(frozen=True)
class RouteTable:
    """The province's communes, offices, special communes and the four rows."""

    province_code: str
    province_name: str
    rows: dict[str, Row]
    communes: dict[str, Commune]
    #: Receiving unit of a dossier code (``000.00.12.H14``) → the office's commune.
    offices: dict[str, Commune]
    special: dict[str, SpecialCommune]
    #: Provinces counted as special/class-I cities for the J+3 / J+6 row.
    major_city_provinces: frozenset[str]

    def office_commune(self, unit: str) -> Commune | None:
        """The commune of the one-stop office that is receiving unit ``unit``, if listed."""
        return self.offices.get(unit.upper())


class _Reader:
    """Checks one file's entries; the first problem raises, naming where it is."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, value: object, reason: str, **params: object) -> ConfigError:
        return ConfigError(
            code="routes.invalid",
            file=str(self.path),
            where=where,
            value=repr(value),
            reason=say(f"routes.reason.{reason}", **params),
        )

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, value, "table")
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, value, "tables", key=key)
        return value

    def text(self, entry: dict[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", value, "text")
        return value.strip()

    def code(self, entry: dict[str, Any], key: str, where: str, pattern: re.Pattern[str]) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            reason = "commune_code" if pattern is _COMMUNE_CODE else "province_code"
            raise self.fail(f"{where}.{key}", value, reason)
        return value

    def days(self, entry: dict[str, Any], where: str) -> tuple[int, int]:
        """``days`` and ``with_slip``: whole numbers of working days, the second not less."""
        found = []
        for key in ("days", "with_slip"):
            value = entry.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise self.fail(f"{where}.{key}", value, "days")
            found.append(value)
        if found[1] < found[0]:
            raise self.fail(f"{where}.with_slip", found[1], "slip_shorter", days=found[0])
        return found[0], found[1]


def _rows(reader: _Reader, data: dict[str, Any]) -> dict[str, Row]:
    table = reader.table(data, "rows")
    for name in table:
        if name not in ROWS:
            raise reader.fail(f"rows.{name}", name, "row_name", rows=", ".join(ROWS))
    rows = {}
    for name in ROWS:
        if name not in table:
            raise reader.fail(f"rows.{name}", None, "row_missing")
        entry = reader.table(table, name)
        days, with_slip = reader.days(entry, f"rows.{name}")
        rows[name] = Row(name, reader.text(entry, "label", f"rows.{name}"), days, with_slip)
    return rows


def _communes(reader: _Reader, data: dict[str, Any]) -> dict[str, Commune]:
    communes: dict[str, Commune] = {}
    for index, entry in enumerate(reader.tables(data, "communes"), start=1):
        where = f"communes[{index}]"
        code = reader.code(entry, "code", where, _COMMUNE_CODE)
        if code in communes:
            raise reader.fail(f"{where}.code", code, "duplicate")
        name, area = reader.text(entry, "name", where), reader.text(entry, "area", where)
        communes[code] = Commune(code, name, area)
    if not communes:
        raise reader.fail("communes", [], "no_communes")
    return communes


def _listed(
    reader: _Reader, communes: dict[str, Commune], entry: dict[str, Any], where: str
) -> Commune:
    """The commune an office or special entry names, which the table must list."""
    code = reader.code(entry, "commune", where, _COMMUNE_CODE)
    if code not in communes:
        raise reader.fail(f"{where}.commune", code, "not_listed")
    return communes[code]


def _offices(
    reader: _Reader, data: dict[str, Any], communes: dict[str, Commune]
) -> dict[str, Commune]:
    offices: dict[str, Commune] = {}
    for index, entry in enumerate(reader.tables(data, "offices"), start=1):
        where = f"offices[{index}]"
        raw = entry.get("unit")
        try:
            unit = parse_agency_code(raw if isinstance(raw, str) else "").text
        except IdentifierError:
            raise reader.fail(f"{where}.unit", raw, "unit") from None
        if unit in offices:
            raise reader.fail(f"{where}.unit", unit, "duplicate")
        offices[unit] = _listed(reader, communes, entry, where)
    return offices


def _special(
    reader: _Reader, data: dict[str, Any], communes: dict[str, Commune]
) -> dict[str, SpecialCommune]:
    special: dict[str, SpecialCommune] = {}
    for index, entry in enumerate(reader.tables(data, "special"), start=1):
        where = f"special[{index}]"
        commune = _listed(reader, communes, entry, where)
        if commune.code in special:
            raise reader.fail(f"{where}.commune", commune.code, "duplicate")
        days, with_slip = reader.days(entry, where)
        special[commune.code] = SpecialCommune(commune, days, with_slip)
    return special


def _major_cities(reader: _Reader, data: dict[str, Any]) -> frozenset[str]:
    provinces = reader.table(data, "major_cities").get("provinces", [])
    if not isinstance(provinces, list):
        raise reader.fail("major_cities.provinces", provinces, "province_list")
    for index, code in enumerate(provinces, start=1):
        if not isinstance(code, str) or _PROVINCE_CODE.fullmatch(code) is None:
            raise reader.fail(f"major_cities.provinces[{index}]", code, "province_code")
    return frozenset(provinces)


def load_route_table(path: Path) -> RouteTable:
    """Read and check the route table; a bad entry raises ``ConfigError`` naming it."""
    reader = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(code="routes.missing", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(code="routes.not_toml", file=str(path), detail=str(exc)) from None
    province = reader.table(data, "province")
    communes = _communes(reader, data)
    return RouteTable(
        province_code=reader.code(province, "code", "province", _PROVINCE_CODE),
        province_name=reader.text(province, "name", "province"),
        rows=_rows(reader, data),
        communes=communes,
        offices=_offices(reader, data, communes),
        special=_special(reader, data, communes),
        major_city_provinces=_major_cities(reader, data),
    )
