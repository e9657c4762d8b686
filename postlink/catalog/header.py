"""Find the table's header under the title block and learn which column holds what.

A list annex starts with a title block (province, decision number and date, title), then
one to three header rows, sometimes with merged cells (domain brief §5): a group title
("Hình thức thực hiện qua BCCI") over "Tiếp nhận hồ sơ" / "Trả kết quả", or one title split
over rows ("Mã số" above "TTHC"). Column titles vary between provinces and years ("Mã
TTHC", "Mã số hồ sơ TTHC", "Mã thủ tục"; "Cơ quan thực hiện" / "Cơ quan giải quyết"), so
each title is recognised by its words after ``fold`` (no case, spacing or diacritics)
rather than by exact text. A list by membership has no eligibility columns at all; the
title above it says which list it is (``sections.membership_of``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from postlink.catalog.limits import HEADER_SEARCH_ROWS
from postlink.catalog.problems import Reason
from postlink.catalog.reader import RawRow
from postlink.catalog.sections import is_marker, split_title
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
    #: In a list by membership, which legs go through the post ("Tiếp nhận hồ sơ", "Trả kết
    #: quả"); not stored itself, it sets the two flags.
    SCOPE = "scope"


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
    Column.SCOPE: "Hình thức thực hiện qua BCCI",
}

REQUIRED = (Column.CODE, Column.NAME)
#: Either both eligibility columns or neither (a list by membership).
FLAGS = (Column.SUBMISSION, Column.RETURN)
#: Header rows read below the first one (a title split over three rows at most).
_MORE_HEADER_ROWS = 2


def get_column_letter(number: int) -> str:
    """Excel's name of the 1-based column ``number``: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


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
        (
            (submission and result)
            or words.startswith(("hinh thuc", "pham vi", "noi dung", "thuc hien qua")),
            Column.SCOPE,
        ),
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


def _columns_of(rows: list[RawRow]) -> tuple[dict[Column, list[int]], dict[int, str]]:
    """Recognise each column from its header cells, the lowest understood one first.

    In a header over several rows the upper rows hold group titles merged across columns
    ("Hình thức thực hiện qua BCCI") and vertically merged single titles; merged cells are
    empty except their top-left one (Word repeats them), so the lowest cell understood is
    the specific one. A title split over rows ("Mã số" / "TTHC") is read joined.
    """
    width = max(len(row.cells) for row in rows)
    found: dict[Column, list[int]] = {}
    titles: dict[int, str] = {}
    for index in range(width):
        cells = [_cell(row.cells, index) for row in rows]
        joined = " ".join(dict.fromkeys(cell for cell in cells if cell))
        for title in (*reversed(cells), joined):
            column = recognise(title)
            if column is not None:
                found.setdefault(column, []).append(index)
                titles[index] = title
                break
    return found, titles


def is_header_row(row: RawRow) -> bool:
    """A row naming both a code column and a name column: a (new) table's header."""
    found, _ = _columns_of([row])
    return Column.CODE in found and Column.NAME in found


def _continues(rows: list[RawRow], row: RawRow) -> bool:
    """Whether ``row`` is more of the header above it: every filled cell is a title, alone
    or joined to the cells above it, and none is a procedure code or a section marker."""
    filled = [(i, cell) for i, cell in enumerate(row.cells) if cell]
    if len({cell for _, cell in filled}) < 2:
        return False  # a title alone in a merged row is a section, not more header
    if any(cell[:1].isdigit() or cell[:1] == "(" for _, cell in filled):
        return False  # data, or the "(1) (2) (3)" numbering row
    for index, cell in filled:
        above = " ".join(
            dict.fromkeys(_cell(r.cells, index) for r in rows if _cell(r.cells, index))
        )
        if cell == above:
            continue  # Word repeats a vertically merged title
        title = split_title([cell], False)
        if title is not None and title.marker:
            return False  # "A. …", "I. Lĩnh vực …": a section under the header
        if recognise(cell) is None and recognise(f"{above} {cell}") is None:
            return False
        if is_marker(cell):
            return False  # "A", "I", "II": a section marker under a title
    return True


def _merged_twins(indexes: list[int], titles: dict[int, str]) -> bool:
    """Adjacent columns with the same title: one merged cell that Word reports twice."""
    return all(b == a + 1 and titles[a] == titles[b] for a, b in itertools.pairwise(indexes))


def _build(rows: list[RawRow], title_block: list[str]) -> Header:
    found, titles = _columns_of(rows)
    top, last = rows[0], rows[-1]
    for column, indexes in found.items():
        if len(indexes) > 1 and not _merged_twins(indexes, titles):
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
    required = list(REQUIRED)
    if any(column in index for column in FLAGS):
        required += FLAGS
    missing = [TITLES[column] for column in required if column not in index]
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

    The header is the first row naming both a code column and a name column; up to two rows
    below join it when they continue it. Raises ``HeaderError`` when there is none.
    """
    seen: list[RawRow] = list(itertools.islice(rows, HEADER_SEARCH_ROWS + _MORE_HEADER_ROWS))
    if not any(any(row.cells) for row in seen):
        raise HeaderError(
            None,
            "",
            Reason("empty: there is no table to read", "trống, không có bảng nào"),
        )
    title_block: list[str] = []
    for position, row in enumerate(seen[:HEADER_SEARCH_ROWS]):
        if is_header_row(row):
            header_rows = [row]
            for following in seen[position + 1 : position + 1 + _MORE_HEADER_ROWS]:
                if not _continues(header_rows, following):
                    break
                header_rows.append(following)
            header = _build(header_rows, title_block)
            rest = seen[position + len(header_rows) :]
            return header, itertools.chain(rest, rows)
        if any(row.cells):
            title_block.append(" ".join(dict.fromkeys(cell for cell in row.cells if cell)))
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
