"""Find the table's header under the title block and learn which column holds what.

A list annex starts with a title block (province, decision number and date, title), then
one or two header rows, sometimes with merged cells (domain brief §5). Column titles vary
between provinces and years ("Mã TTHC", "Mã số", "Mã thủ tục"), so each title is recognised
by its words after ``fold`` (no case, spacing or diacritics) rather than by exact text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from openpyxl.utils import get_column_letter

from postlink.catalog.limits import HEADER_SEARCH_ROWS
from postlink.catalog.problems import Reason
from postlink.catalog.reader import RawRow
from postlink.catalog.text import fold


class Column(StrEnum):
    """The columns postlink understands; the value is the entry attribute it fills."""

    STT = "stt"
    CODE = "code"
    NAME = "name"
    FIELD = "field"
    AGENCY = "agency"
    AGENCY_CODE = "agency_code"
    LEVEL = "level"
    SUBMISSION = "postal_submission"
    RETURN = "postal_return"
    REASON = "reason"
    LEGAL_BASIS = "legal_basis"
    NOTE = "note"


#: The title each column is written with on export (and the most common one in annexes).
TITLES: dict[Column, str] = {
    Column.STT: "STT",
    Column.CODE: "Mã TTHC",
    Column.NAME: "Tên thủ tục hành chính",
    Column.FIELD: "Lĩnh vực",
    Column.AGENCY: "Cơ quan thực hiện",
    Column.AGENCY_CODE: "Mã cơ quan",
    Column.LEVEL: "Cấp thực hiện",
    Column.SUBMISSION: "Tiếp nhận hồ sơ qua BCCI",
    Column.RETURN: "Trả kết quả qua BCCI",
    Column.REASON: "Lý do",
    Column.LEGAL_BASIS: "Căn cứ pháp lý",
    Column.NOTE: "Ghi chú",
}

REQUIRED = (Column.CODE, Column.NAME, Column.SUBMISSION, Column.RETURN)


def recognise(title: str) -> Column | None:
    """The column a header title stands for, or None. Order matters: specific words first."""
    words = fold(title)
    if not words:
        return None
    submission = "tiep nhan" in words or "nop ho so" in words
    result = any(phrase in words for phrase in ("tra ket qua", "nhan ket qua", "tra kq"))
    rules: tuple[tuple[bool, Column], ...] = (
        (words in ("stt", "tt", "so tt", "so thu tu"), Column.STT),
        (words.startswith(("ma co quan", "ma don vi")), Column.AGENCY_CODE),
        (
            words.startswith("ma")
            and (words in ("ma", "ma so") or "tthc" in words or "thu tuc" in words),
            Column.CODE,
        ),
        (
            words.startswith("ten") or words in ("thu tuc hanh chinh", "thu tuc"),
            Column.NAME,
        ),
        # A group title over both flags ("Tiếp nhận hồ sơ và trả kết quả") names neither.
        (submission and not result, Column.SUBMISSION),
        (result and not submission, Column.RETURN),
        ("linh vuc" in words, Column.FIELD),
        (words.startswith(("co quan", "don vi thuc hien", "noi thuc hien")), Column.AGENCY),
        (words.startswith("cap"), Column.LEVEL),
        ("ly do" in words, Column.REASON),
        ("can cu" in words, Column.LEGAL_BASIS),
        ("ghi chu" in words, Column.NOTE),
    )
    return next((column for matched, column in rules if matched), None)


@dataclass(frozen=True, slots=True)
class Header:
    """Where each recognised column is, the header's last row, and the title block above."""

    index: dict[Column, int]
    titles: dict[Column, str]
    last_row: int
    title_block: tuple[str, ...] = field(default=())

    def label(self, column: Column) -> str:
        """How a problem names a column: its letter and its title, e.g. ``C (Mã TTHC)``."""
        return f"{get_column_letter(self.index[column] + 1)} ({self.titles[column]})"


class HeaderError(Exception):
    """No usable header: the reason says what was expected and what was found."""

    def __init__(self, row: int | None, value: str, reason: Reason) -> None:
        super().__init__(str(reason))
        self.row = row
        self.value = value
        self.reason = reason


def _cell(cells: tuple[str, ...], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _columns_of(
    top: RawRow, bottom: RawRow | None
) -> tuple[dict[Column, list[int]], dict[int, str]]:
    """Recognise each column from the lower header cell, falling back to the upper one.

    In a two-row header the upper row holds group titles merged across columns ("Hình thức
    thực hiện qua BCCI") and vertically merged single titles; merged cells are empty except
    their top-left one, so the lower cell, when present and understood, is the specific one.
    """
    width = max(len(top.cells), len(bottom.cells) if bottom else 0)
    found: dict[Column, list[int]] = {}
    titles: dict[int, str] = {}
    for index in range(width):
        lower = _cell(bottom.cells, index) if bottom else ""
        for title in (lower, _cell(top.cells, index)):
            column = recognise(title)
            if column is not None:
                found.setdefault(column, []).append(index)
                titles[index] = title
                break
    return found, titles


def _is_subheader(row: RawRow) -> bool:
    """A second header row: at least two cells, every one of them a known column title."""
    filled = [cell for cell in row.cells if cell]
    return len(filled) >= 2 and all(recognise(cell) is not None for cell in filled)


def _build(top: RawRow, bottom: RawRow | None, title_block: list[str]) -> Header:
    found, titles = _columns_of(top, bottom)
    last = bottom or top
    for column, indexes in found.items():
        if len(indexes) > 1:
            letters = " and ".join(get_column_letter(i + 1) for i in indexes)
            raise HeaderError(
                last.number,
                " / ".join(titles[i] for i in indexes),
                Reason(
                    f"columns {letters} both read as {TITLES[column]!r}; keep one of them",
                    f"các cột {letters} cùng là {TITLES[column]!r}; chỉ giữ một cột",
                ),
            )
    index = {column: indexes[0] for column, indexes in found.items()}
    if Column.REASON not in index and Column.NOTE in index:
        # Annexes without a "Lý do" column give the exclusion reason under "Ghi chú".
        index[Column.REASON] = index.pop(Column.NOTE)
    missing = [TITLES[column] for column in REQUIRED if column not in index]
    if missing:
        shown = " | ".join(cell for cell in top.cells if cell)
        raise HeaderError(
            top.number,
            shown,
            Reason(
                "the header has no column for "
                + ", ".join(repr(m) for m in missing)
                + " (expected titles such as 'Mã TTHC', 'Tên thủ tục hành chính', "
                "'Tiếp nhận hồ sơ qua BCCI', 'Trả kết quả qua BCCI')",
                "dòng tiêu đề thiếu cột "
                + ", ".join(repr(m) for m in missing)
                + " (tiêu đề như 'Mã TTHC', 'Tên thủ tục hành chính', "
                "'Tiếp nhận hồ sơ qua BCCI', 'Trả kết quả qua BCCI')",
            ),
        )
    return Header(
        index=index,
        titles={column: titles[i] for column, i in index.items()},
        last_row=last.number,
        title_block=tuple(title_block),
    )


def find_header(rows: Iterator[RawRow]) -> tuple[Header, Iterator[RawRow]]:
    """Find the header within the first rows; return it and the rows after it.

    The header is the first row naming both a code column and a name column; the row below
    joins it when it is a second header row. Raises ``HeaderError`` when there is none.
    """
    seen: list[RawRow] = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
    if not any(any(row.cells) for row in seen):
        raise HeaderError(
            None,
            "",
            Reason("the file is empty: there is no table to read", "tệp trống, không có bảng"),
        )
    title_block: list[str] = []
    for position, row in enumerate(seen[:HEADER_SEARCH_ROWS]):
        found, _ = _columns_of(row, None)
        if Column.CODE in found and Column.NAME in found:
            following = seen[position + 1] if position + 1 < len(seen) else None
            two_rows = following is not None and _is_subheader(following)
            header = _build(row, following if two_rows else None, title_block)
            rest = seen[position + (2 if two_rows else 1) :]
            return header, itertools.chain(rest, rows)
        if any(row.cells):
            title_block.append(" ".join(cell for cell in row.cells if cell))
    raise HeaderError(
        None,
        "",
        Reason(
            f"no header row in the first {HEADER_SEARCH_ROWS} rows: expected a row with "
            "column titles such as 'Mã TTHC' and 'Tên thủ tục hành chính'",
            f"không thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu: cần một dòng có "
            "các tiêu đề như 'Mã TTHC' và 'Tên thủ tục hành chính'",
        ),
    )
