"""Builders for list files and helpers shared by the catalog tests.

Broken and odd files are built in ``tmp_path`` from rows of cells, so each test shows the
exact table it feeds the importer.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink.catalog.importer import ImportOutcome, import_list
from postlink.db import session_scope
from postlink.models import AuditEntry, ListEntry, ListVersion

SAMPLES = Path(__file__).parents[2] / "config" / "catalog"
JANUARY_XLSX = SAMPLES / "cao-bang-2026-01.xlsx"
JANUARY_CSV = SAMPLES / "cao-bang-2026-01.csv"
JULY_CSV = SAMPLES / "cao-bang-2026-07.csv"

HEADER = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Tiếp nhận hồ sơ qua BCCI",
    "Trả kết quả qua BCCI",
    "Lý do",
    "Căn cứ pháp lý",
]
Row = Sequence[object]


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with hats and horns are
    precomposed, the five tone marks are combining characters after them."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tone = "".join(mark for mark in marks if mark in _TONES)
            letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES))
            out += (letter + tone).encode("cp1258")
    return bytes(out)


def csv_bytes(rows: Sequence[Row], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if cell is None else str(cell) for cell in row] for row in rows
    )
    text = out.getvalue()
    return cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def write_csv(path: Path, rows: Sequence[Row], **options: str) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(path: Path, rows: Sequence[Row]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def table(*rows: Row, header: Row = HEADER) -> list[Row]:
    """A minimal list: one title line, the one-row header, then ``rows``."""
    return [["DANH MỤC THỦ TỤC HÀNH CHÍNH (thử nghiệm)"], list(header), *rows]


def counts(engine: Engine) -> tuple[int, int, int]:
    """Rows in list_version, list_entry and audit: an invalid file must leave all three."""
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (ListVersion, ListEntry, AuditEntry)
        )


ImportFn = Callable[..., ImportOutcome]


@pytest.fixture
def do_import(engine: Engine) -> ImportFn:
    """Import a file in its own unit of work, with defaults for the decision and date.

    The lists are dated 2026, before today: publishing a second one cuts a window over past
    dates, which needs confirmation (``test_publish`` tests that step); here it is given.
    """

    def run(
        path: Path,
        decision: str = "125/QĐ-UBND",
        effective: date = date(2026, 1, 1),
        **options: object,
    ) -> ImportOutcome:
        if options.get("publish_now"):
            options.setdefault("confirm", True)
        with session_scope() as session:
            return import_list(
                session,
                path,
                decision=decision,
                effective_from=effective,
                actor="tester",
                **options,  # type: ignore[arg-type]
            )

    return run
