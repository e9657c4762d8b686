"""Write a version back out as .xlsx or .csv, in a form that re-imports to the same list.

Admins need the list as a file to post at their premises and on their website (QĐ 45/2016
art. 13) and to start the next decision's annex from. The export is a flat table with one
header row and explicit field and level columns (no section rows), so nothing depends on
carrying sections down; codes are written as they were in the source, and a title block
names the decision so that a re-import can check it.

Every cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading quote (OWASP's CSV-injection rule), in the CSV and in the workbook alike, so
that a spreadsheet opening the export never runs a list's text as a formula; the reader
drops that quote again (``rows``), so the export still re-imports to the same list. The
rule is the reports' own (``reports.formatting.neutralise``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlmodel import Session

from postlink.catalog.header import TITLES, Column
from postlink.catalog.reader import CSV_SUFFIXES, XLSX_SUFFIXES
from postlink.catalog.snapshots import EntrySnapshot
from postlink.catalog.versions import entries_of
from postlink.errors import PostlinkError
from postlink.models import Level, ListVersion
from postlink.reports.formatting import neutralise

COLUMNS = (
    Column.STT,
    Column.CODE,
    Column.NAME,
    Column.FIELD,
    Column.LEVEL,
    Column.AGENCY,
    Column.AGENCY_CODE,
    Column.SUBMISSION,
    Column.RETURN,
    Column.REASON,
    Column.LEGAL_BASIS,
    Column.NOTE,
)
LEVEL_NAMES = {Level.TINH: "Tỉnh", Level.HUYEN: "Huyện", Level.XA: "Xã"}
TITLE = "DANH MỤC THỦ TỤC HÀNH CHÍNH TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH"


def _title_block(version: ListVersion) -> list[list[str]]:
    signed = f" ngày {version.signed_on:%d/%m/%Y}" if version.signed_on else ""
    until = f" đến {version.effective_to:%d/%m/%Y}" if version.effective_to else ""
    return [
        [TITLE],
        [
            f"Kèm theo Quyết định số {version.decision}{signed}; "
            f"hiệu lực từ {version.effective_from:%d/%m/%Y}{until}"
        ],
        [
            f"Xuất từ postlink: phiên bản {version.id} ({version.status}), "
            f"tệp gốc {version.source_name}"
        ],
        [],
    ]


def _cells(number: int, entry: EntrySnapshot) -> list[str]:
    values = {
        Column.STT: str(number),
        Column.CODE: entry.code_raw or entry.code,
        Column.NAME: entry.name,
        Column.FIELD: entry.field,
        Column.LEVEL: LEVEL_NAMES[entry.level] if entry.level else "",
        Column.AGENCY: entry.agency,
        Column.AGENCY_CODE: entry.agency_code,
        Column.SUBMISSION: "X" if entry.postal_submission else "",
        Column.RETURN: "X" if entry.postal_return else "",
        Column.REASON: entry.reason,
        Column.LEGAL_BASIS: entry.legal_basis,
        Column.NOTE: entry.note,
    }
    return [values[column] for column in COLUMNS]


def table_rows(version: ListVersion, entries: list[EntrySnapshot]) -> Iterator[list[str]]:
    """The exported sheet, row by row: title block, header, one row per entry."""
    yield from _title_block(version)
    yield [TITLES[column] for column in COLUMNS]
    for number, entry in enumerate(entries, start=1):
        yield [neutralise(cell) for cell in _cells(number, entry)]


def export_version(session: Session, version: ListVersion, path: Path) -> int:
    """Write ``version`` to ``path`` (.xlsx or .csv by its suffix); return the entry count."""
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        raise PostlinkError(code="catalog.export_suffix", name=path.name)
    entries = entries_of(session, version)
    rows = table_rows(version, entries)
    if suffix in XLSX_SUFFIXES:
        import openpyxl  # only when a workbook is written (the CLI starts without it)

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Danh mục")
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        # UTF-8 with a BOM: what Excel needs to open Vietnamese CSV without mojibake.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return len(entries)
