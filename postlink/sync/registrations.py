"""Read outbox registrations from a CSV file exported by the one-stop system.

The whole file is checked first and every bad row is reported with its row number, column
and reason; nothing is registered unless every row is good, so a half-imported file never
leaves the office unsure which dossiers were sent. Each reason is a catalogue ``Phrase``
worded when shown (issue 14 §1), and only the cells of codes, the leg and the slip mark are
quoted back: never a citizen's name, phone or address (Law 91/2025/QH15).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from postlink.catalog.limits import MAX_PROBLEMS
from postlink.errors import PostlinkError
from postlink.identifiers import IdentifierError, clean, parse_dossier_code, parse_procedure_code
from postlink.models import LegKind
from postlink.postal.models import Party
from postlink.sync.outbox import Registration
from postlink.words import Phrase, say

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


#: How many problems the one-line error names; the rest are counted.
SHOWN_PROBLEMS = 5


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One bad cell: the file's row (the header is row 1), its column as the file names it,
    the cell's text (empty for a citizen's cell) and why, as a catalogue phrase."""

    row: int
    column: str
    value: str
    reason: Phrase

    def __str__(self) -> str:
        code = "outbox.file.cell" if self.value else "outbox.file.empty_cell"
        return say(code, row=self.row, column=self.column, value=self.value, reason=self.reason)


class _Found:
    """The problems of one file in the order found, at most ``MAX_PROBLEMS`` kept (a binary
    file read as CSV yields one per line), all counted."""

    def __init__(self) -> None:
        self.kept: list[RowProblem] = []
        self.count = 0

    def add(self, row: int, column: str, value: str, reason: Phrase) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(RowProblem(row, column, value, reason))


class RegistrationFileError(PostlinkError):
    """The file cannot be registered; ``problems`` names every bad row and column (the first
    ``MAX_PROBLEMS``), and the text the first ``SHOWN_PROBLEMS`` of them, a line each."""

    def __init__(self, source: str, found: _Found) -> None:
        super().__init__(code="outbox.file.refused", source=source, count=found.count)
        self.problems = found.kept
        self.count = found.count

    def __str__(self) -> str:
        lines = [super().__str__(), *(str(p) for p in self.problems[:SHOWN_PROBLEMS])]
        if self.count > SHOWN_PROBLEMS:
            lines.append(say("outbox.file.more", count=self.count - SHOWN_PROBLEMS))
        return "\n".join(lines)  # a problem a line: the command line prints them as they are


def _check(row: dict[str, str], number: int, found: _Found) -> Registration | None:
    before = found.count
    for column in REQUIRED:
        if not row.get(column):
            found.add(number, column, "", Phrase("outbox.file.required"))
    leg = row.get("leg", "")
    if leg and leg not in (LegKind.PICKUP, LegKind.RETURN):
        found.add(number, "leg", leg, Phrase("outbox.file.leg"))
    for column, parse in PARSERS:
        if row.get(column):
            try:
                parse(row[column])
            except IdentifierError as exc:
                found.add(number, column, row[column], Phrase(exc.code or "", exc.params))
    slip = row.get("appointment_slip", "").lower()
    if slip not in SLIP_YES | SLIP_NO:
        found.add(number, "appointment_slip", slip, Phrase("outbox.file.slip"))
    elif slip in SLIP_YES and leg != LegKind.PICKUP:
        found.add(number, "appointment_slip", slip, Phrase("outbox.file.slip_on_return"))
    if found.count > before:
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
    found = _Found()
    registrations: list[Registration] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in REQUIRED:
            if column not in (reader.fieldnames or []):
                found.add(
                    1, column, "", Phrase("outbox.file.no_column", {"columns": ", ".join(COLUMNS)})
                )
        if found.count:
            raise RegistrationFileError(path.name, found)
        for number, raw in enumerate(_rows(reader), start=2):
            registration = _check(raw, number, found)
            if registration is not None:
                registrations.append(registration)
    if found.count:
        raise RegistrationFileError(path.name, found)
    return registrations


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for raw in reader:
        yield {k: clean(v or "") for k, v in raw.items() if k is not None}
