"""Read outbox registrations from a CSV file exported by the one-stop system.

The whole file is checked first and every bad row is reported with its row number, column
and reason; nothing is registered unless every row is good, so a half-imported file never
leaves the office unsure which dossiers were sent.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from postlink.catalog.problems import Problems
from postlink.errors import PostlinkError
from postlink.identifiers import IdentifierError, clean, parse_dossier_code, parse_procedure_code
from postlink.models import LegKind
from postlink.postal.models import Party
from postlink.sync.outbox import Registration

COLUMNS = (
    "leg",
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "citizen_name",
    "citizen_phone",
    "citizen_address",
    "commune_code",
    "appointment_slip",
)
#: ``appointment_slip`` (TT 17/2017 art. 7, pickup only): a mark as lists write one, or blank.
SLIP_YES = frozenset({"x", "1", "có", "co", "yes"})
SLIP_NO = frozenset({"", "0", "không", "khong", "no"})
REQUIRED = ("leg", "dossier_code", "procedure_code", "citizen_name", "citizen_address")
PARSERS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("dossier_code", parse_dossier_code),
    ("procedure_code", parse_procedure_code),
)


class RegistrationFileError(PostlinkError):
    """The file cannot be registered; ``problems`` names every bad row and column."""

    def __init__(self, source: str, problems: Problems) -> None:
        self.problems = list(problems.kept)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" … and {problems.errors - 5} more" if problems.errors > 5 else ""
        super().__init__(f"{source}: nothing registered: {shown}{more}")


def _check(row: dict[str, str], number: int, problems: Problems) -> Registration | None:
    before = problems.errors
    for column in REQUIRED:
        if not row.get(column):
            problems.error(number, column, "", "required")
    leg = row.get("leg", "")
    if leg and leg not in (LegKind.PICKUP, LegKind.RETURN):
        problems.error(number, "leg", leg, "expected pickup or return")
    for column, parse in PARSERS:
        if row.get(column):
            try:
                parse(row[column])
            except IdentifierError as exc:
                problems.error(number, column, row[column], str(exc))
    slip = row.get("appointment_slip", "").lower()
    if slip not in SLIP_YES | SLIP_NO:
        problems.error(number, "appointment_slip", slip, "expected x (a giấy hẹn) or blank")
    elif slip in SLIP_YES and leg != LegKind.PICKUP:
        problems.error(number, "appointment_slip", slip, "only a pickup carries a giấy hẹn")
    if problems.errors > before:
        return None
    citizen = Party(
        name=row["citizen_name"],
        phone=row.get("citizen_phone", ""),
        address=row["citizen_address"],
        commune_code=row.get("commune_code", ""),
    )
    return Registration(
        LegKind(leg),
        row["dossier_code"],
        row["procedure_code"],
        row.get("procedure_name", ""),
        citizen,
        slip in SLIP_YES,
    )


def read_registrations(path: Path) -> list[Registration]:
    """All registrations of ``path`` (UTF-8, BOM allowed), or every problem at once."""
    problems = Problems()
    registrations: list[Registration] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in REQUIRED:
            if column not in (reader.fieldnames or []):
                problems.error(1, column, "", f"missing column (expected {', '.join(COLUMNS)})")
        if problems.errors:
            raise RegistrationFileError(path.name, problems)
        for number, raw in enumerate(_rows(reader), start=2):
            registration = _check(raw, number, problems)
            if registration is not None:
                registrations.append(registration)
    if problems.errors:
        raise RegistrationFileError(path.name, problems)
    return registrations


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for raw in reader:
        yield {k: clean(v or "") for k, v in raw.items() if k is not None}
