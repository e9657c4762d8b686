"""Turn table rows into entries, collecting every problem on the way.

Rules, from the domain brief §5 and QĐ 45/2016/QĐ-TTg:

* A row whose only text is a section title (merged across the row, so in whichever column
  comes first) carries its level ("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH") or its field ("I. Lĩnh
  vực Hộ tịch") down to the rows below; a level section starts a new block, so it clears
  the field. A row's own level or field cell wins over its section.
* Eligibility marks: ``X``, ``x``, ``✓``, ``Có``, ``Yes``, ``1`` mean yes; blank, ``-``,
  ``Không``, ``No``, ``0`` mean no. Anything else is an error, not a guess.
* Codes are reduced to the base code (``2.000815.000.00.00.H14`` → ``2.000815``) and the
  text as written is kept; a base code may appear once per handling agency.
* A procedure with neither postal submission nor postal return is excluded (QĐ 45 art. 1
  cl. 2) and must say why, because art. 18 publishes the excluded list with its reasons.
  A procedure open for one leg only is handled through the post and needs no reason.
* Cells holding formulas are refused (a formula's cached value may be stale or absent).
"""

from __future__ import annotations

import re

from postlink.catalog.header import Column, Header
from postlink.catalog.limits import MAX_CELL_CHARS
from postlink.catalog.problems import Problems, Reason
from postlink.catalog.reader import RawRow
from postlink.catalog.snapshots import EntrySnapshot
from postlink.catalog.text import fold
from postlink.identifiers import IdentifierError, parse_agency_code, parse_procedure_code
from postlink.models import Level

_YES_SYMBOLS = frozenset("✓✔√☑✅")
_NO_SYMBOLS = frozenset({"-", "–", "—"})
_YES_WORDS = frozenset({"x", "co", "yes", "1", "true"})
_NO_WORDS = frozenset({"", "khong", "no", "0", "false"})

_LEVELS: dict[str, Level] = {
    "tinh": Level.TINH,
    "huyen": Level.HUYEN,
    "quan huyen": Level.HUYEN,
    "xa": Level.XA,
    "phuong": Level.XA,
    "xa phuong": Level.XA,
    "xa phuong dac khu": Level.XA,
    "xa phuong thi tran": Level.XA,
}
_LEVEL_SECTIONS = (("cap tinh", Level.TINH), ("cap huyen", Level.HUYEN), ("cap xa", Level.XA))

#: Database column widths (``list_entry``) for the short text columns.
_WIDTH = {Column.FIELD: 255, Column.AGENCY: 255}
_TEXT_COLUMNS = (
    Column.NAME,
    Column.FIELD,
    Column.AGENCY,
    Column.REASON,
    Column.LEGAL_BASIS,
    Column.NOTE,
)
_NUMBERING = re.compile(r"[(\[]?[0-9]+[)\]]?")
_LOOKS_NUMERIC = re.compile(r"[0-9]\.[0-9]{1,5}")


EXCLUDED_WITHOUT_REASON = Reason(
    "excluded from the post (neither submission nor return) without a reason: give the "
    "reason (QĐ 45/2016 art. 1 cl. 2) or mark the legs that are allowed",
    "thủ tục không thực hiện qua bưu chính (không tiếp nhận, không trả kết quả) nhưng "
    "thiếu lý do: ghi lý do (QĐ 45/2016 Điều 1 khoản 2) hoặc đánh dấu chiều được phép",
)


def _grouped(count: int) -> str:
    """12345 → ``12.345``, as Vietnamese writes thousands."""
    return f"{count:,}".replace(",", ".")


def cell_problem(column: Column, text: str) -> Reason | None:
    """Why a cell's text cannot be stored in ``column``, or None when it can."""
    if text.startswith("="):
        return Reason(
            "the cell holds a formula; a list must hold values "
            "(in Excel: copy, then Paste Special → Values)",
            "ô chứa công thức; danh mục phải ghi giá trị "
            "(trong Excel: sao chép, rồi Dán đặc biệt → Giá trị)",
        )
    limit = _WIDTH.get(column, MAX_CELL_CHARS)
    if column in _TEXT_COLUMNS and len(text) > limit:
        return Reason(
            f"the text is {len(text):,} characters long, more than the {limit:,} allowed",
            f"nội dung dài {_grouped(len(text))} ký tự, quá giới hạn {_grouped(limit)} ký tự",
        )
    return None


def parse_mark(text: str) -> bool | None:
    """An eligibility mark as yes/no, or None when it is not a mark we know."""
    if text in _YES_SYMBOLS:
        return True
    if text in _NO_SYMBOLS:
        return False
    words = fold(text)
    if text and not words:  # punctuation only, e.g. "?"
        return None
    if words in _YES_WORDS:
        return True
    if words in _NO_WORDS:
        return False
    return None


def parse_level(text: str) -> Level | None:
    """``Tỉnh``, ``Cấp xã``, ``Xã/phường``, ``Huyện`` … as a level, or None if unknown."""
    return _LEVELS.get(fold(text).removeprefix("cap ").strip())


def section_of(text: str) -> tuple[Level | None, str | None]:
    """The level or field a section title sets, e.g. "I. Lĩnh vực Hộ tịch" → field Hộ tịch."""
    words = text.split()
    folded = [fold(word) for word in words]
    for i in range(len(words) - 1):
        if folded[i] == "linh" and folded[i + 1] == "vuc":
            field = " ".join(words[i + 2 :]).lstrip(":-– ").strip()
            if field.isupper():
                field = field[0] + field[1:].lower()
            return None, field or None
    plain = fold(text)
    for phrase, level in _LEVEL_SECTIONS:
        if phrase in plain:
            return level, None
    return None, None


class RowParser:
    """Reads data rows in order, carrying sections down and remembering codes seen."""

    def __init__(self, header: Header, problems: Problems) -> None:
        self.header = header
        self.problems = problems
        self.level: Level | None = None
        self.field = ""
        self.seen: dict[tuple[str, str], int] = {}

    def _get(self, row: RawRow, column: Column) -> str:
        index = self.header.index.get(column)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index]

    def _error(self, row: RawRow, column: Column | None, value: str, reason: str | Reason) -> None:
        label = self.header.label(column) if column is not None else None
        self.problems.error(row.number, label, value, reason)

    def parse(self, row: RawRow) -> EntrySnapshot | None:
        """The entry on ``row``, or None for blank, section and erroneous rows."""
        filled = [cell for cell in row.cells if cell]
        if all(_NUMBERING.fullmatch(cell) for cell in filled):
            return None  # blank, or the "(1) (2) (3)" row numbering the columns
        if len(filled) == 1 and self._enter_section(filled[0]):
            return None
        if not self._get(row, Column.CODE):
            self._not_an_entry(row)
            return None
        errors_before = self.problems.errors
        entry = self._entry(row, self._cell_values(row))
        return entry if self.problems.errors == errors_before else None

    def _enter_section(self, text: str) -> bool:
        """Apply a section title (merged across the row, so in whichever column comes first)."""
        level, field = section_of(text)
        if field is not None:
            self.field = field
        elif level is not None:
            self.level, self.field = level, ""
        return level is not None or field is not None

    def _not_an_entry(self, row: RawRow) -> None:
        """A row with text but no code (and not a section title): a mistake or a remark."""
        (index, text), *others = [(i, cell) for i, cell in enumerate(row.cells) if cell]
        if others or index == self.header.index[Column.NAME]:
            self._error(
                row,
                Column.CODE,
                "",
                Reason("the procedure code is empty", "thiếu mã thủ tục hành chính"),
            )
            return
        self.problems.warning(
            row.number,
            None,
            text,
            Reason(
                "ignored: neither a procedure (no code) nor a section title such as "
                "'A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH' or 'I. Lĩnh vực Hộ tịch'",
                "bỏ qua: không phải thủ tục (không có mã) cũng không phải tiêu đề mục như "
                "'A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH' hay 'I. Lĩnh vực Hộ tịch'",
            ),
        )

    def _cell_values(self, row: RawRow) -> dict[Column, str]:
        """The text of every used cell; a formula or oversized cell is reported and left out."""
        values: dict[Column, str] = {}
        by_position = sorted(self.header.index, key=self.header.index.__getitem__)
        for column in by_position:
            if column is Column.STT:
                continue
            text = self._get(row, column)
            problem = cell_problem(column, text)
            if problem is None:
                values[column] = text
            else:
                self._error(row, column, text, problem)
        return values

    def _entry(self, row: RawRow, values: dict[Column, str]) -> EntrySnapshot | None:
        """Build the entry; any problem found is reported, and then None is returned."""
        code_raw = values.get(Column.CODE, "")
        code = self._code(row, code_raw) if code_raw else None
        agency_code = self._agency_code(row, values.get(Column.AGENCY_CODE, ""))
        name = values.get(Column.NAME)
        if name == "":
            self._error(
                row,
                Column.NAME,
                "",
                Reason("the procedure name is empty", "thiếu tên thủ tục hành chính"),
            )
        submission = self._mark(row, Column.SUBMISSION, values.get(Column.SUBMISSION))
        result = self._mark(row, Column.RETURN, values.get(Column.RETURN))
        level = self._level(row, values.get(Column.LEVEL, ""))
        reason = values.get(Column.REASON, "")
        if submission is False and result is False and not reason:
            column = Column.REASON if Column.REASON in self.header.index else Column.SUBMISSION
            self._error(row, column, "", EXCLUDED_WITHOUT_REASON)
        if code is None or name is None or submission is None or result is None:
            return None
        if agency_code is None or not self._first_time(row, code, code_raw, agency_code):
            return None
        return EntrySnapshot(
            code=code,
            code_raw=code_raw,
            name=name,
            field=values.get(Column.FIELD) or self.field,
            level=level,
            agency=values.get(Column.AGENCY, ""),
            agency_code=agency_code,
            postal_submission=submission,
            postal_return=result,
            reason=reason,
            legal_basis=values.get(Column.LEGAL_BASIS, ""),
            note=values.get(Column.NOTE, ""),
        )

    def _first_time(self, row: RawRow, code: str, code_raw: str, agency_code: str) -> bool:
        """Report a second row for the same procedure and agency (the key of a list entry)."""
        first = self.seen.setdefault((code, agency_code), row.number)
        if first == row.number:
            return True
        agency = f" for agency {agency_code}" if agency_code else ""
        agency_vi = f" của cơ quan {agency_code}" if agency_code else ""
        self._error(
            row,
            Column.CODE,
            code_raw,
            Reason(
                f"duplicate: procedure {code}{agency} is already on row {first}; a procedure "
                "appears once per agency (fill 'Mã cơ quan' to give an agency its own row)",
                f"trùng: thủ tục {code}{agency_vi} đã có ở dòng {first}; mỗi thủ tục chỉ ghi "
                "một lần cho mỗi cơ quan (điền 'Mã cơ quan' để tách dòng theo cơ quan)",
            ),
        )
        return False

    def _code(self, row: RawRow, text: str) -> str | None:
        try:
            return parse_procedure_code(text).base
        except IdentifierError as exc:
            hint = hint_vi = ""
            if _LOOKS_NUMERIC.fullmatch(text):
                hint = (
                    "; Excel may have stored the code as a number and dropped its "
                    "trailing zeros: format the column as Text and type the code again"
                )
                hint_vi = (
                    "; có thể Excel đã lưu mã dưới dạng số và bỏ các số 0 ở cuối: định dạng "
                    "cột là Văn bản (Text) rồi nhập lại mã"
                )
            vi = f"không phải mã thủ tục hành chính (dạng 1.001193){hint_vi}"
            self._error(row, Column.CODE, text, Reason(f"{exc}{hint}", vi))
            return None

    def _agency_code(self, row: RawRow, text: str) -> str | None:
        if not text:
            return ""
        try:
            return parse_agency_code(text).text
        except IdentifierError as exc:
            vi = "không phải mã cơ quan (dạng 000.00.12.H14 hoặc H14.12)"
            self._error(row, Column.AGENCY_CODE, text, Reason(str(exc), vi))
            return None

    def _mark(self, row: RawRow, column: Column, text: str | None) -> bool | None:
        if text is None:  # the cell was refused already
            return None
        mark = parse_mark(text)
        if mark is None:
            self._error(
                row,
                column,
                text,
                Reason(
                    "not an eligibility mark: use X (or x, ✓, Có, Yes, "
                    "1) for yes and leave blank (or -, Không, No, 0) for no",
                    "không phải dấu đánh dấu: ghi X (hoặc x, ✓, Có, 1) nếu có và để trống "
                    "(hoặc -, Không, 0) nếu không",
                ),
            )
        return mark

    def _level(self, row: RawRow, text: str) -> Level | None:
        if not text:
            return self.level
        level = parse_level(text)
        if level is None:
            self._error(
                row,
                Column.LEVEL,
                text,
                Reason(
                    "unknown level: expected Tỉnh or Xã (Huyện "
                    "only for lists before 1/7/2025); a procedure handled at two levels "
                    "needs a row per agency ('Mã cơ quan')",
                    "cấp thực hiện không rõ: ghi Tỉnh hoặc Xã (Huyện chỉ với danh mục trước "
                    "1/7/2025); thủ tục thực hiện ở hai cấp cần mỗi cơ quan một dòng "
                    "('Mã cơ quan')",
                ),
            )
            return self.level
        return level
