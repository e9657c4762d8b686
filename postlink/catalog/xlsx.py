"""Read the sheets of an .xlsx workbook as rows, with the bounded parser of ``xml``.

Only what a list needs is read: the sheet names and order (``xl/workbook.xml`` and its
relationships), the shared strings, which cell formats are bold or dates (the
stylesheet), and each sheet's cells, streamed row by row. Values come out as a
spreadsheet library gives them (numbers as int or float, dates as ``datetime``, a formula
as its text with ``=``), so ``text.cell_text`` cleans them the same way.

Every cost is charged while parsing (issue 14 §3): elements and seconds per chunk of
every part, then rows and cells per row, a row's cells counted up to its last cell (a
cell in column XFD makes 16,384), empty rows between two rows counted too. The
``<dimension>`` a sheet declares is never trusted; nothing is sized from it.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from postlink.catalog.xml import Handler, XmlRefused, attribute, parse, parse_all

if TYPE_CHECKING:
    from postlink.catalog.reader import ReadBudget

_WORKSHEET = "/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"
#: Columns a cell reference can name (XFD): a larger one is not Excel's.
MAX_COLUMN = 16_384


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    part: str


@dataclass(slots=True)
class Row:
    """One ``<row>`` as parsed: its number, its cells by column (value, format), widest
    column first seen; padded into a ``RawRow`` only once it has been charged."""

    number: int
    cells: dict[int, tuple[object, int]] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max(self.cells, default=0)


def _target(base: str, target: str) -> str:
    """A relationship's target as a part name: absolute, or relative to ``base``'s folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


class _Relations(Handler):
    def __init__(self, base: str) -> None:
        self.base = base
        self.by_id: dict[str, tuple[str, str]] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "Relationship" and "Id" in attrs and "Target" in attrs:
            self.by_id[attrs["Id"]] = (attrs.get("Type", ""), _target(self.base, attrs["Target"]))


class _Workbook(Handler):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "sheet":
            self.sheets.append((attrs.get("name", ""), attribute(attrs, "id")))
        elif name == "workbookPr":
            self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")


class _Text(Handler):
    """Text of ``<t>`` runs inside ``<si>`` (shared) or ``<is>`` (inline), without the
    phonetic guides (``<rPh>``), as Excel shows the cell."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.in_text = False
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "rPh":
            self.phonetic += 1
        elif name == "t":
            self.in_text = not self.phonetic

    def end(self, name: str) -> None:
        if name == "rPh":
            self.phonetic -= 1
        elif name == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text:
            self.parts.append(data)

    def take(self) -> str:
        value = "".join(self.parts)
        self.parts.clear()
        return value


class _SharedStrings(_Text):
    def __init__(self) -> None:
        super().__init__()
        self.strings: list[str] = []

    def end(self, name: str) -> None:
        super().end(name)
        if name == "si":
            self.strings.append(self.take())


class _Styles(Handler):
    """Per cell format (``s``): whether its font is bold, and whether it shows a date."""

    def __init__(self) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        self.is_date = is_date_format
        self.bold_fonts: list[bool] = []
        self.date_formats = {n for n, code in BUILTIN_FORMATS.items() if is_date_format(code)}
        self.formats: list[tuple[int, int]] = []  # (font, number format) per cellXfs entry
        self.where = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in ("fonts", "cellXfs", "cellStyleXfs", "dxfs"):
            self.where = name
        elif name == "numFmt" and self.where == "":
            if self.is_date(attrs.get("formatCode", "")) and attrs.get("numFmtId", "").isdigit():
                self.date_formats.add(int(attrs["numFmtId"]))
        elif name == "font" and self.where == "fonts":
            self.bold_fonts.append(False)
        elif name == "b" and self.where == "fonts" and self.bold_fonts:
            self.bold_fonts[-1] = attrs.get("val", "1").lower() not in ("0", "false")
        elif name == "xf" and self.where == "cellXfs":
            self.formats.append((_number(attrs.get("fontId")), _number(attrs.get("numFmtId"))))

    def end(self, name: str) -> None:
        if name == self.where:
            self.where = ""

    def bold(self) -> list[bool]:
        fonts = self.bold_fonts
        return [0 <= font < len(fonts) and fonts[font] for font, _ in self.formats]

    def dates(self) -> set[int]:
        return {n for n, (_, number) in enumerate(self.formats) if number in self.date_formats}


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


#: Column numbers by their letters, filled as met (at most Excel's 16,384 columns).
_COLUMNS: dict[str, int] = {}


def _column_of(ref: str) -> int:
    """``AB12`` → 28; 0 when ``ref`` names no column Excel has."""
    letters = ref.rstrip("0123456789")
    found = _COLUMNS.get(letters)
    if found is not None:
        return found
    number = 0
    for char in letters.upper()[:4]:
        if not "A" <= char <= "Z":
            return 0
        number = number * 26 + ord(char) - 64
    if not 0 < number <= MAX_COLUMN or len(letters) > 3:
        return 0
    _COLUMNS[letters] = number
    return number


class _SheetCells(_Text):
    """A sheet's rows, collected per parsed chunk into ``done``."""

    def __init__(self, strings: list[str], dates: set[int], epoch: datetime) -> None:
        super().__init__()
        self.strings, self.dates, self.epoch = strings, dates, epoch
        self.done: list[Row] = []
        self.row: Row | None = None
        self.last_row = 0
        self.column = 0
        self.last_ref: str | None = None
        self.cell: dict[str, str] = {}
        self.value: str | None = None
        self.formula: str | None = None
        self.capture = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "row":
            number = _number(attrs.get("r")) or self.last_row + 1
            self.last_row = number
            self.row = Row(number)
            self.column, self.last_ref = 0, None
        elif name == "c":
            self.cell = attrs
            self.value = self.formula = None
            self.parts.clear()
        elif name in ("v", "f"):
            self.capture = name
            self.parts.clear()
        else:
            super().start(name, attrs)

    def end(self, name: str) -> None:
        if name == "v":
            self.value, self.capture = "".join(self.parts), ""
        elif name == "f":
            self.formula, self.capture = "".join(self.parts), ""
        elif name == "c" and self.row is not None:
            self._cell()
        elif name == "row" and self.row is not None:
            self.done.append(self.row)
            self.row = None
        else:
            super().end(name)

    def text(self, data: str) -> None:
        if self.capture:
            self.parts.append(data)
        else:
            super().text(data)

    def _cell(self) -> None:
        """Keep the cell if it holds a value; its column is worked out only then (most
        cells of a styled sheet are empty), or when a cell without a reference follows."""
        ref = self.cell.get("r")
        kind = self.cell.get("t", "n")
        if self.formula is None and self.value is None and kind != "inlineStr":
            if ref is None:
                self.column, self.last_ref = self._column() + 1, None
            else:
                self.last_ref = ref
            return
        column = (_column_of(ref) if ref is not None else 0) or self._column() + 1
        self.column, self.last_ref = column, None
        value = self._value(kind)
        if value is not None and value != "" and self.row is not None:
            self.row.cells[column] = (value, _number(self.cell.get("s")))

    def _column(self) -> int:
        """The column of the cell before (its reference is read only now)."""
        if self.last_ref is not None:
            return _column_of(self.last_ref) or self.column + 1
        return self.column

    def _value(self, kind: str) -> object:
        """The cell's value as ``openpyxl`` reads it with ``data_only=False``."""
        if self.formula is not None:
            return "=" + self.formula
        if kind == "inlineStr":
            return self.take()
        value = self.value
        if not value:
            return None
        if kind == "s":
            index = _number(value)
            return self.strings[index] if index < len(self.strings) else None
        if kind == "b":
            return value.strip() not in ("0", "false")
        if kind == "n":
            return self._numeric(value)
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return from_ISO8601(value)
            except ValueError:
                return value
        return value  # "str" (a formula's text result), "e" (an error such as #N/A)

    def _numeric(self, value: str) -> object:
        try:
            number: float = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
        if _number(self.cell.get("s")) not in self.dates:
            return number
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.epoch)
        except (OverflowError, ValueError):
            return "#VALUE!"


@dataclass(slots=True)
class Workbook:
    """An open workbook: its sheets in order, and what reading their cells needs."""

    package: zipfile.ZipFile
    sheets: list[Sheet]
    strings: list[str]
    bold_formats: list[bool]
    dates: set[int]
    epoch: datetime

    def rows(self, sheet: Sheet, budget: ReadBudget) -> Iterator[Row]:
        """Each row of ``sheet`` in order, the empty rows between included (as a spreadsheet
        library gives them: a row numbered at or above the next one is dropped)."""
        handler = _SheetCells(self.strings, self.dates, self.epoch)
        last = 0
        for _ in parse(self.package, sheet.part, handler, budget):
            for row in handler.done:
                if row.number <= last:
                    continue
                for gap in range(last + 1, row.number):
                    yield Row(gap)
                last = row.number
                yield row
            handler.done.clear()

    def bold(self, row: Row) -> bool:
        """Whether every filled cell of ``row`` has a bold format."""
        styles = [style for _, style in row.cells.values()]
        return bool(styles) and all(
            0 <= s < len(self.bold_formats) and self.bold_formats[s] for s in styles
        )


def open_workbook(package: zipfile.ZipFile, budget: ReadBudget) -> Workbook:
    """Read the workbook's sheet list, styles and shared strings (all bounded)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    book = _Workbook()
    parse_all(package, "xl/workbook.xml", book, budget)
    relations = _Relations("xl/workbook.xml")
    names = set(package.namelist())
    if "xl/_rels/workbook.xml.rels" in names:
        parse_all(package, "xl/_rels/workbook.xml.rels", relations, budget)
    by_id = relations.by_id
    sheets = [
        Sheet(name, by_id[rid][1])
        for name, rid in book.sheets
        if rid in by_id and by_id[rid][0].endswith(_WORKSHEET) and by_id[rid][1] in names
    ]
    budget.charge_tables(len(sheets))
    styles = _Styles()
    strings = _SharedStrings()
    for kind, part in by_id.values():
        if part not in names:
            continue
        if kind.endswith(_STYLES):
            parse_all(package, part, styles, budget)
        elif kind.endswith(_SHARED_STRINGS):
            parse_all(package, part, strings, budget)
    return Workbook(
        package,
        sheets,
        strings.strings,
        styles.bold(),
        styles.dates(),
        CALENDAR_MAC_1904 if book.date1904 else CALENDAR_WINDOWS_1900,
    )


__all__ = ["Row", "Sheet", "Workbook", "XmlRefused", "open_workbook"]
