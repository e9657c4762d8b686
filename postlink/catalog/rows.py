"""Turn table rows into entries, collecting every problem on the way.

Rules, from the domain brief §5 and QĐ 45/2016/QĐ-TTg:

* A row without a procedure code whose text is a section title (``sections``: marker and
  title in one cell or two, in any column before the data, merged or not, or a bold title)
  carries its level ("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH") or its field ("I. Lĩnh vực Hộ tịch")
  down to the rows below; a level section starts a new block, so it clears the field. A
  row's own level or field cell wins over its section. A title announcing a list ("Danh
  mục TTHC không thực hiện …") switches the membership of the rows below.
* In a list by membership (no eligibility columns), a row of the "thực hiện" list goes
  through the post both ways, of the "không thực hiện" list neither way; a scope column or
  a note saying "tiếp nhận" / "trả kết quả" / "Chỉ trả kết quả" narrows it to one leg.
* Text whose Vietnamese letters were lost on the way ("??ng ký", "Ä‘Äƒng kÃ½") is refused
  with the first row it is on, rather than stored mangled.
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

from postlink.catalog.districts import DistrictMention, district_mention
from postlink.catalog.header import Column, Header
from postlink.catalog.limits import MAX_CELL_CHARS
from postlink.catalog.problems import Problems, Reason
from postlink.catalog.reader import RawRow
from postlink.catalog.sections import (
    Membership,
    Title,
    is_list_heading,
    membership_of,
    only_scope,
    scope_of,
    section_of,
    sentence_case,
    split_title,
)
from postlink.catalog.snapshots import EntrySnapshot
from postlink.catalog.text import fold
from postlink.identifiers import IdentifierError, parse_agency_code, parse_procedure_code
from postlink.models import Level
from postlink.reports.formatting import FORMULA_TRIGGERS

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
#: The longest field name read from a plain title alone in a row.
_PLAIN_TITLE_CHARS = 60
_LOOKS_NUMERIC = re.compile(r"[0-9]\.[0-9]{1,5}")


NO_MEMBERSHIP = Reason(
    "the table has no 'Tiếp nhận hồ sơ qua BCCI' / 'Trả kết quả qua BCCI' columns and its "
    "title does not say which list it is: title it 'Danh mục TTHC thực hiện tiếp nhận hồ "
    "sơ, trả kết quả qua BCCI' or '… không thực hiện …', or add the two columns",
    "bảng không có cột 'Tiếp nhận hồ sơ qua BCCI' / 'Trả kết quả qua BCCI' và tiêu đề "
    "không cho biết đây là danh mục nào: ghi tiêu đề 'Danh mục TTHC thực hiện tiếp nhận hồ "
    "sơ, trả kết quả qua BCCI' hoặc '… không thực hiện …', hoặc thêm hai cột đó",
)
UNKNOWN_SCOPE = Reason(
    "say which legs go through the post: 'Tiếp nhận hồ sơ', 'Trả kết quả' or both",
    "ghi rõ phần thực hiện qua bưu chính: 'Tiếp nhận hồ sơ', 'Trả kết quả' hoặc cả hai",
)
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


#: Letters lost on the way: "?" glued to a letter (a code page without Vietnamese), the
#: replacement character, or UTF-8 read as Windows-1252/1258 ("Ä‘" for đ, "Æ°" for ư,
#: "áº£" for ả, "Ã¡" for á). None of these sequences occurs in Vietnamese text.
_MOJIBAKE = re.compile(
    "\ufffd|[ÄÆ]|á[º»]|[ÃĂ][\u00a1-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    "\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)
#: A "?" inside a word or starting one ("Đ?ng", "??ng ký"); not "phí?" nor a URL's "/?x".
_LOST_LETTER = re.compile(r"(?<=\w)\?+(?=\w)|(?:^|(?<=\s))\?+(?=\w)")
_LETTER_COLUMNS = (Column.NAME, Column.FIELD, Column.AGENCY)


def _distinct(cells: tuple[str, ...]) -> list[str]:
    """The filled cells, each text once: Word repeats a merged cell in every cell it spans."""
    return list(dict.fromkeys(cell for cell in cells if cell))


#: The shape every procedure code starts with (``1.001193``, ``2.000815.000.00.00.H14``).
_CODE_SHAPE = re.compile(r"[0-9]\.[0-9]{6}")


def looks_like_code(text: str) -> bool:
    """Whether a cell is meant as a procedure code (checked in full later, with a reason);
    a cheap test made on every row to tell data from titles."""
    return _CODE_SHAPE.match(text) is not None


class RowParser:
    """Reads data rows in order, carrying sections down and remembering codes seen.

    One parser reads every table of a file (``start_table``), so a procedure listed twice,
    even on two sheets, is reported.
    """

    def __init__(
        self,
        header: Header,
        problems: Problems,
        *,
        table: Reason | None = None,
        membership: Membership | None = None,
    ) -> None:
        self.header = header
        self.problems = problems
        self.table = table
        self.membership = membership
        self.level: Level | None = None
        self.field = ""
        self.seen: dict[tuple[str, str], tuple[int, Reason | None]] = {}
        #: Rows naming the district level; the importer warns of them by effective date.
        self.district_rows: list[DistrictMention] = []
        self.mangled_rows = 0
        self.first_mangled: tuple[int, Reason | None, str] | None = None
        self._membership_told = False

    def start_table(
        self, header: Header, table: Reason | None, membership: Membership | None
    ) -> None:
        """A new table (sheet, Word table, or a second titled table below the first)."""
        self.header, self.table, self.membership = header, table, membership
        self.level, self.field = None, ""
        self._membership_told = False

    def may_start_table(self, row: RawRow) -> bool:
        """Whether ``row`` may be a new header: not while its code cell holds a code (the
        cheap test that spares recognising every data row's titles)."""
        return not looks_like_code(self._get(row, Column.CODE))

    def _get(self, row: RawRow, column: Column) -> str:
        index = self.header.index.get(column)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index]

    def _label(self, column: Column) -> str | None:
        return self.header.label(column) if column in self.header.index else None

    def _error(self, row: RawRow, column: Column | None, value: str, reason: str | Reason) -> None:
        label = self.header.label(column) if column is not None else None
        self.problems.error(row.number, label, value, reason, table=self.table)

    def parse(self, row: RawRow) -> EntrySnapshot | None:
        """The entry on ``row``, or None for blank, section and erroneous rows."""
        filled = [cell for cell in row.cells if cell]
        if all(_NUMBERING.fullmatch(cell) for cell in filled):
            return None  # blank, or the "(1) (2) (3)" row numbering the columns
        code = self._get(row, Column.CODE)
        if not looks_like_code(code):
            title = split_title(_distinct(row.cells), row.bold)
            if title is not None and self._enter_section(row, title):
                return None
            if not code:
                self._not_an_entry(row)
                return None
        errors_before = self.problems.errors
        entry = self._entry(row, self._cell_values(row))
        return entry if self.problems.errors == errors_before else None

    def _enter_section(self, row: RawRow, title: Title) -> bool:
        """Apply a title row; False when the row is not a title after all."""
        text = title.text
        membership = membership_of(text)
        if membership is not None:
            self.membership, self.level, self.field = membership, None, ""
            return True
        if is_list_heading(text):
            return True
        level, field = section_of(text)
        if field is not None:
            self.field = field
            return True
        if level is not None:
            self.level, self.field = level, ""
            return True
        has_letters = any(ch.isalpha() for ch in text)
        marked = bool(title.marker) and (not title.numeric or len(_distinct(row.cells)) == 1)
        if not has_letters:
            return False
        if not (title.bold or marked or text.isupper() or self._plain_title(row, title)):
            return False
        words = fold(text)
        # "B. THỦ TỤC HÀNH CHÍNH LIÊN THÔNG": a group of procedures, not a field.
        self.field = (
            ""
            if any(w in words for w in ("thu tuc", "tthc", "danh muc"))
            else (sentence_case(text))
        )
        return True

    def _plain_title(self, row: RawRow, title: Title) -> bool:
        """A short name alone in a row, left of the name column ("Hộ tịch" merged across
        the row, neither bold nor marked); a remark ("Ghi chú: …", "Tổng cộng: 12") is not."""
        filled = [i for i, cell in enumerate(row.cells) if cell]
        return (
            len(set(row.cells) - {""}) == 1
            and filled[0] < self.header.index[Column.NAME]
            and len(title.text) <= _PLAIN_TITLE_CHARS
            and title.text[:1].isupper()
            and not any(ch.isdigit() or ch in ":;?!" for ch in title.text)
        )

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
            table=self.table,
        )

    def _check_letters(self, row: RawRow, column: Column, text: str) -> None:
        """Remember the first row whose letters were lost (reported once, by ``finish``)."""
        if _MOJIBAKE.search(text) or (column in _LETTER_COLUMNS and _LOST_LETTER.search(text)):
            self.mangled_rows += 1
            if self.first_mangled is None:
                self.first_mangled = (row.number, self.table, text)

    def finish(self) -> None:
        """Report what is only known at the end: rows whose Vietnamese letters were lost."""
        if self.first_mangled is None:
            return
        number, table, text = self.first_mangled
        self.problems.error(
            number,
            None,
            text,
            Reason(
                f"the Vietnamese letters of {self.mangled_rows} row(s) were lost (shown as "
                "'?' or as 'Ä‘', 'Æ°', 'Ã'), first on this row: the file was saved or "
                "converted in an encoding without Vietnamese. Open the original in Excel and "
                "save it as .xlsx or 'CSV UTF-8'",
                f"{self.mangled_rows} dòng bị mất dấu tiếng Việt (hiện thành '?' hoặc 'Ä‘', "
                "'Æ°', 'Ã'), đầu tiên ở dòng này: tệp đã được lưu hoặc chuyển sang bảng mã "
                "không có tiếng Việt. Mở tệp gốc bằng Excel và lưu dưới dạng .xlsx hoặc "
                "'CSV UTF-8'",
            ),
            table=table,
        )

    def _cell_values(self, row: RawRow) -> dict[Column, str]:
        """The text of every used cell; a formula or oversized cell is reported and left out."""
        values: dict[Column, str] = {}
        by_position = sorted(self.header.index, key=self.header.index.__getitem__)
        for column in by_position:
            if column is Column.STT:
                continue
            text = self._get(row, column)
            if text[:1] == "'" and text[1:2] and (text[1] in FORMULA_TRIGGERS or text[1] == " "):
                # A cell our export neutralised (OWASP CSV injection); a tab or CR after the
                # quote is a space by now, as all whitespace in cells is.
                text = text[1:].lstrip()
            problem = cell_problem(column, text)
            if problem is None:
                values[column] = text
                if column in _TEXT_COLUMNS:
                    self._check_letters(row, column, text)
            else:
                self._error(row, column, text, problem)
        return values

    def _legs(self, row: RawRow, values: dict[Column, str]) -> tuple[bool | None, bool | None]:
        """Postal submission and return: from the mark columns, or from the list the row is
        in (a list by membership) narrowed by its scope column or a "Chỉ …" note."""
        if Column.SUBMISSION in self.header.index:
            return (
                self._mark(row, Column.SUBMISSION, values.get(Column.SUBMISSION)),
                self._mark(row, Column.RETURN, values.get(Column.RETURN)),
            )
        has_scope = Column.SCOPE in self.header.index
        if self.membership is None and not has_scope:
            if not self._membership_told:
                self._membership_told = True
                self._error(row, None, "", NO_MEMBERSHIP)
            return None, None
        legs = (True, True) if self.membership is Membership.IN else (False, False)
        scope = values.get(Column.SCOPE, "")
        if self.membership is not Membership.OUT and (scope or self.membership is None):
            # "Tiếp nhận hồ sơ" / "Trả kết quả" / both, or one mark for both legs
            # (a single "Thực hiện qua dịch vụ BCCI" column with X).
            mark = parse_mark(scope)
            found = scope_of(scope) or (None if mark is None else (mark, mark))
            if found is None:
                self._error(row, Column.SCOPE, scope, UNKNOWN_SCOPE)
                return None, None
            legs = found
        for column in (Column.REASON, Column.NOTE):
            narrowed = only_scope(values.get(column, ""))
            if narrowed is not None:
                legs = narrowed
        return legs

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
        submission, result = self._legs(row, values)
        level = self._level(row, values.get(Column.LEVEL, ""))
        reason = values.get(Column.REASON, "")
        if submission is False and result is False and not reason:
            column = next(
                (c for c in (Column.REASON, Column.SUBMISSION) if c in self.header.index), None
            )
            self._error(row, column, "", EXCLUDED_WITHOUT_REASON)
        if code is None or name is None or submission is None or result is None:
            return None
        if agency_code is None or not self._first_time(row, code, code_raw, agency_code):
            return None
        mention = district_mention(
            row.number,
            self.table,
            (self._label(Column.AGENCY), values.get(Column.AGENCY, "")),
            (self._label(Column.LEVEL), values.get(Column.LEVEL, "")),
            level,
        )
        if mention is not None:
            self.district_rows.append(mention)
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
        here = (row.number, self.table)
        first_row, first_table = self.seen.setdefault((code, agency_code), here)
        if (first_row, first_table) == here:
            return True
        first = first_vi = str(first_row)
        if first_table is not None and first_table != self.table:
            first, first_vi = f"{first} ({first_table.en})", f"{first} ({first_table.vi})"
        agency = f" for agency {agency_code}" if agency_code else ""
        agency_vi = f" của cơ quan {agency_code}" if agency_code else ""
        self._error(
            row,
            Column.CODE,
            code_raw,
            Reason(
                f"duplicate: procedure {code}{agency} is already on row {first}; a procedure "
                "appears once per agency (fill 'Mã cơ quan' to give an agency its own row)",
                f"trùng: thủ tục {code}{agency_vi} đã có ở dòng {first_vi}; mỗi thủ tục chỉ ghi "
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
            self._error(
                row, Column.CODE, text, Reason(f"{exc.said_in('en').rstrip('.')}{hint}", vi)
            )
            return None

    def _agency_code(self, row: RawRow, text: str) -> str | None:
        if not text:
            return ""
        try:
            return parse_agency_code(text).text
        except IdentifierError as exc:
            vi = "không phải mã cơ quan (dạng 000.00.12.H14 hoặc H14.12, chữ cái cấp 1 là G hoặc H)"
            self._error(row, Column.AGENCY_CODE, text, Reason(exc.said_in("en"), vi))
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
