"""Read a list file (.xlsx, .docx or .csv) as tables of rows of cleaned cell text.

Lists arrive as Excel workbooks, as CSV saved from Excel, or as tables inside the decision's
Word file (domain brief §5). A file holds one or more tables: every sheet of a workbook
(decisions often publish the "thực hiện" and "không thực hiện" lists on two sheets), every
table of a Word document, the one table of a CSV file. Rows are streamed, one at a time, so
a workbook of any length is read in flat memory (``xlsx``, on a parser of our own); CSV encodings
are detected in the order Excel and Vietnamese Windows produce them: a BOM (UTF-8 or
UTF-16), UTF-16 without a BOM, valid UTF-8, else Windows-1258; ``encoding`` overrides.

What one upload may cost is bounded before and during parsing (issue 14 §3: a 1.5 MB
workbook expanding to 341 MB of XML): the ZIP's central directory is read first and a
package that expands too much, or too steeply, is refused; while reading, XML elements,
tables, rows, cells and seconds are counted (``ReadBudget``), each refusal naming the limit
and the sheet or table it was reached in.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postlink.catalog.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_READ_SECONDS,
    MAX_TABLE_ROWS,
    MAX_TABLES,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    MAX_XML_ELEMENTS,
    READ_CHUNK_BYTES,
)
from postlink.catalog.problems import Reason
from postlink.catalog.text import cell_text
from postlink.errors import PostlinkError
from postlink.words import Phrase

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DOCX_SUFFIXES = frozenset({".docx"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t")
#: A table row has at least code, name and the two eligibility columns.
_MIN_TABLE_FIELDS = 4
#: What to save a file of another format as, said in the refusal (suffix → advice).
SAVE_AS = {
    ".xls": (
        "Excel 97-2003: open it in Excel and save it as .xlsx",
        "mở bằng Excel và lưu lại dưới dạng .xlsx",
    ),
    ".doc": (
        "Word 97-2003: open it in Word and save it as .docx",
        "mở bằng Word và lưu lại dưới dạng .docx",
    ),
    ".pdf": (
        "a PDF cannot be read as a table: use the decision's Word (.docx) or Excel (.xlsx) file",
        "không đọc được bảng trong tệp PDF: dùng tệp Word (.docx) hoặc Excel (.xlsx) của "
        "quyết định",
    ),
    ".ods": ("open it and save it as .xlsx", "mở tệp và lưu lại dưới dạng .xlsx"),
    ".odt": ("open it and save it as .docx", "mở tệp và lưu lại dưới dạng .docx"),
    ".rtf": ("open it in Word and save it as .docx", "mở bằng Word và lưu lại dưới dạng .docx"),
}


class UnreadableError(Exception):
    """The file (or the rest of it from ``row`` on) cannot be read at all."""

    def __init__(self, row: int | None, reason: Reason, table: Reason | None = None) -> None:
        super().__init__(str(reason))
        self.row = row
        self.reason = reason
        self.table = table


@dataclass(frozen=True, slots=True)
class RawRow:
    """One table row: its 1-based number (as Excel shows it, or the row of the Word table),
    its cells' text, and whether all its text is bold (a section title without a marker)."""

    number: int
    cells: tuple[str, ...]
    bold: bool = False


@dataclass(slots=True)
class Table:
    """One table of a file: ``label`` names it in problems (None when the file has one),
    ``context`` is the text above it that is not in its rows (the Word paragraphs before
    it), read for the decision number and for which list it is; ``sheet`` is the name of
    its sheet, which may say which list it is too ("Không thực hiện")."""

    label: Reason | None
    context: tuple[str, ...]
    rows: Iterator[RawRow]
    sheet: str = ""


#: How a CSV file was split, by its delimiter: a code of the catalogue each.
_SEPARATED = {
    ",": "catalog.read_as.csv_comma",
    ";": "catalog.read_as.csv_semicolon",
    "\t": "catalog.read_as.csv_tab",
}


@dataclass(slots=True)
class RowSource:
    """Where rows come from, said for people when shown (``trang tính «Danh mục»``,
    ``CSV, bảng mã utf-8-sig, phân cách bằng dấu phẩy``)."""

    description: Phrase
    tables: Iterator[Table]

    @property
    def rows(self) -> Iterator[RawRow]:
        """Every row of every table, in order (for callers that read one table)."""
        return itertools.chain.from_iterable(table.rows for table in self.tables)


@dataclass(slots=True)
class ReadBudget:
    """What reading one file may cost: XML elements, tables, rows, cells and seconds
    (limits.py).

    Rows are checked one at a time, so a refusal names the row it stopped at; XML is
    checked after every chunk, so a part is refused before it is parsed to its end.
    """

    clock: Callable[[], float] = time.monotonic
    rows: int = 0
    cells: int = 0
    elements: int = 0
    deadline: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.deadline = self.clock() + MAX_READ_SECONDS

    def charge(self, number: int, cells: int) -> None:
        """One row of ``cells`` cells (empty ones included), numbered ``number``."""
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_TABLE_ROWS:
            raise UnreadableError(
                number,
                Reason(
                    f"more than {MAX_TABLE_ROWS:,} rows: this is not a list of procedures "
                    "(a province lists a few thousand)",
                    f"quá {_vi_count(MAX_TABLE_ROWS)} dòng: đây không phải danh mục thủ tục "
                    "(một tỉnh chỉ có vài nghìn thủ tục)",
                ),
            )
        if self.cells > MAX_CELLS:
            raise UnreadableError(
                number,
                Reason(
                    f"more than {MAX_CELLS:,} cells (empty cells before the last filled one "
                    "of a row included): this is not a list of procedures",
                    f"quá {_vi_count(MAX_CELLS)} ô (kể cả ô trống trước ô cuối có dữ liệu "
                    "của mỗi dòng): đây không phải danh mục thủ tục",
                ),
            )
        self.check_time(number)

    def charge_elements(self, count: int) -> None:
        """``count`` more XML elements parsed."""
        self.elements += count
        if self.elements > MAX_XML_ELEMENTS:
            raise UnreadableError(
                None,
                Reason(
                    f"more than {MAX_XML_ELEMENTS:,} XML elements (cells, strings, formats): "
                    "the file is too complex to be a list of procedures",
                    f"quá {_vi_count(MAX_XML_ELEMENTS)} phần tử XML (ô, chuỗi, định dạng): "
                    "tệp quá phức tạp để là danh mục thủ tục",
                ),
            )
        self.check_time(None)

    def charge_tables(self, count: int) -> None:
        """A file of ``count`` sheets or tables."""
        if count > MAX_TABLES:
            raise UnreadableError(
                None,
                Reason(
                    f"{count:,} sheets or tables, more than {MAX_TABLES}: this is not a list "
                    "of procedures",
                    f"{_vi_count(count)} trang tính hoặc bảng, quá {MAX_TABLES}: đây không "
                    "phải danh mục thủ tục",
                ),
            )

    def check_time(self, number: int | None) -> None:
        if self.clock() > self.deadline:
            raise UnreadableError(
                number,
                Reason(
                    f"reading took more than {MAX_READ_SECONDS:.0f} s; the file is too large "
                    "or too complex to be a list of procedures",
                    f"đọc tệp quá {MAX_READ_SECONDS:.0f} giây; tệp quá lớn hoặc quá phức tạp "
                    "để là danh mục thủ tục",
                ),
            )


def _vi_count(count: int) -> str:
    """12345 → ``12.345``, as Vietnamese writes thousands."""
    return f"{count:,}".replace(",", ".")


def row_of(number: int, values: Sequence[object], budget: ReadBudget) -> RawRow:
    """Charge one row's cells to ``budget``, then clean them and drop the trailing empty
    ones (charged first: a CSV line of millions of empty fields is refused uncleaned)."""
    budget.charge(number, len(values))
    return clean_row(number, values)


def clean_row(number: int, values: Iterable[object]) -> RawRow:
    """One row's values as text, its trailing empty cells dropped (already charged)."""
    cells = [cell_text(value) for value in values]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise UnreadableError(
            number,
            Reason(
                f"a filled cell in column {len(cells):,}, beyond column {MAX_COLUMNS}: a list "
                "of procedures has about fifteen columns",
                f"có ô dữ liệu ở cột thứ {_vi_count(len(cells))}, vượt quá cột {MAX_COLUMNS}: "
                "danh mục thủ tục chỉ có khoảng mười lăm cột",
            ),
        )
    return RawRow(number, tuple(cells))


@contextmanager
def in_table(label: Reason | None) -> Iterator[None]:
    """Name the sheet or table in a refusal raised while reading it."""
    try:
        yield
    except UnreadableError as exc:
        if exc.table is None and label is not None:
            exc.table = label
        raise


@contextmanager
def open_rows(
    path: Path, *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[RowSource]:
    """Open ``path`` and yield its tables; the file is closed when the block ends."""
    suffix = path.suffix.lower()
    budget = ReadBudget()
    if encoding and suffix not in CSV_SUFFIXES:
        raise PostlinkError(code="catalog.encoding_not_csv")
    if sheet and suffix not in XLSX_SUFFIXES:
        raise PostlinkError(code="catalog.sheet_not_xlsx")
    if suffix in XLSX_SUFFIXES:
        with _xlsx_tables(path, sheet, budget) as source:
            yield source
    elif suffix in DOCX_SUFFIXES:
        from postlink.catalog.word import docx_tables  # python-docx only when needed

        check_package(path, "word/document.xml", word=True)
        yield RowSource(Phrase("catalog.read_as.word"), docx_tables(path, budget))
    elif suffix in CSV_SUFFIXES:
        with _csv_rows(path, encoding, budget) as source:
            yield source
    else:
        en, vi = SAVE_AS.get(suffix, ("", ""))
        raise UnreadableError(
            None,
            Reason(
                f"unsupported file type {suffix or '(none)'!r}"
                + (f" ({en})" if en else "")
                + "; expected .xlsx, .docx or .csv",
                f"không đọc được tệp {suffix or '(không đuôi)'}"
                + (f" ({vi})" if vi else "")
                + ": cần tệp .xlsx, .docx hoặc .csv",
            ),
        )


# --- ZIP packages (.xlsx, .docx) -----------------------------------------------------------


def _damaged(what: str, detail: str, detail_vi: str = "") -> UnreadableError:
    return UnreadableError(
        None,
        Reason(
            f"the {what} file is damaged ({detail}); open it in its program, save it again "
            "and upload the new copy",
            f"tệp {what} bị hỏng ({detail_vi or detail}); mở tệp bằng chương trình soạn ra "
            "nó, lưu lại rồi tải lên bản mới",
        ),
    )


def check_package(path: Path, main_part: str, *, word: bool = False) -> None:
    """Refuse what the parser would choke on or blow up with, before parsing anything.

    Only the ZIP's central directory is read: the declared sizes of its parts bound what
    parsing would expand (a zip bomb is refused in milliseconds, issue 14 §3).
    """
    what, program = (".docx", "Word") if word else (".xlsx", "Excel")
    kind = "document" if word else "workbook"
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE2_MAGIC):
        raise UnreadableError(
            None,
            Reason(
                f"this is an {program} 97-2003 (.{'doc' if word else 'xls'}) {kind} or another "
                f"binary file named {what}; open it in {program} and save as {what}",
                f"đây là tệp {program} 97-2003 (.{'doc' if word else 'xls'}) hoặc tệp nhị phân "
                f"khác đặt tên {what}; mở bằng {program} và lưu lại dưới dạng {what}",
            ),
        )
    if not head.startswith(_ZIP_MAGIC):
        raise UnreadableError(
            None,
            Reason(
                f"not an {program} {what} {kind} (it is not a ZIP package); save the list from "
                f"{program} as {what}" + ("" if word else " or as CSV"),
                f"không phải tệp {program} {what}; lưu danh mục từ {program} dưới dạng {what}"
                + ("" if word else " hoặc CSV"),
            ),
        )
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(what, str(exc) or "the ZIP directory is unreadable") from exc
    names = {info.filename for info in infos}
    if main_part not in names:
        raise UnreadableError(
            None,
            Reason(
                f"not a readable {what} {kind}: the package has no {main_part}; save the list "
                f"from {program} as {what}",
                f"không phải tệp {what} đọc được (thiếu {main_part}); lưu danh mục từ {program} "
                f"dưới dạng {what}",
            ),
        )
    expanded = sum(info.file_size for info in infos)
    steep = [
        info
        for info in infos
        if info.file_size > READ_CHUNK_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ]
    if expanded > MAX_XLSX_UNCOMPRESSED_BYTES or steep:
        raise UnreadableError(
            None,
            Reason(
                f"the {what} file expands to {expanded:,} bytes"
                + (
                    f" ({steep[0].filename} {steep[0].file_size // max(steep[0].compress_size, 1)}"
                    " times its packed size)"
                    if steep
                    else ""
                )
                + f", beyond the limits ({MAX_XLSX_UNCOMPRESSED_BYTES:,} bytes, "
                f"{MAX_COMPRESSION_RATIO}× packing); is it really a list?",
                f"tệp {what} giải nén ra {expanded:,} byte".replace(",", ".")
                + ", vượt giới hạn cho phép; hãy kiểm tra đây có đúng là danh mục thủ tục",
            ),
        )


# --- Excel ---------------------------------------------------------------------------------


def _named(names: Iterable[str]) -> str:
    """Sheet names as a list shows them in either language: «Danh mục», «PL II»."""
    return ", ".join(f"«{name}»" for name in names)


def _sheet_label(title: str) -> Reason:
    return Reason(f"sheet {title!r}", f"trang tính «{title}»")


@contextmanager
def _xlsx_tables(path: Path, sheet: str | None, budget: ReadBudget) -> Iterator[RowSource]:
    from postlink.catalog import xlsx  # only when a workbook is read

    check_package(path, "xl/workbook.xml")
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(".xlsx", str(exc)) from exc
    with package:
        try:
            workbook = xlsx.open_workbook(package, budget)
        except xlsx.XmlRefused as exc:
            raise _damaged(".xlsx", exc.reason.en, exc.reason.vi) from exc
        sheets = workbook.sheets
        if sheet is not None:
            sheets = [found for found in sheets if found.name == sheet]
            if not sheets:
                raise PostlinkError(
                    code="catalog.no_sheet",
                    file=path.name,
                    sheet=sheet,
                    sheets=_named(found.name for found in workbook.sheets),
                )
        several = len(sheets) > 1
        names = _named(found.name for found in sheets)
        yield RowSource(
            Phrase("catalog.read_as.sheets", {"sheets": names}),
            (
                Table(
                    _sheet_label(found.name) if several else None,
                    (),
                    _sheet_rows(workbook, found, budget),
                    sheet=found.name,
                )
                for found in sheets
            ),
        )


def _sheet_rows(workbook: Any, sheet: Any, budget: ReadBudget) -> Iterator[RawRow]:
    from postlink.catalog import xlsx

    label = _sheet_label(sheet.name)
    last = 0
    with in_table(label):
        rows = workbook.rows(sheet, budget)
        while True:
            try:
                parsed = next(rows)
            except StopIteration:
                return
            except xlsx.XmlRefused as exc:  # malformed sheet XML surfaces here, mid-stream
                raise UnreadableError(
                    last + 1,
                    Reason(
                        f"the sheet is damaged and cannot be read from here on ({exc})",
                        f"trang tính bị hỏng, không đọc được từ dòng này trở đi ({exc.reason.vi})",
                    ),
                    label,
                ) from exc
            last = parsed.number
            values: list[object] = [None] * parsed.width
            for number, (value, _) in parsed.cells.items():
                values[number - 1] = value
            row = row_of(parsed.number, values, budget)
            if 0 < len({cell for cell in row.cells if cell}) <= 2 and workbook.bold(parsed):
                row = RawRow(row.number, row.cells, bold=True)
            yield row


# --- CSV ----------------------------------------------------------------------------------------


def undecodable_line(path: Path, encoding: str) -> int | None:
    """The (approximate, for UTF-16) line of the first byte sequence ``encoding`` rejects.

    Checked in a separate pass of fixed-size chunks, so a wrong encoding is reported with its
    line before any row is read, in flat memory whatever the line lengths.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk.count(b"\n", 0, max(exc.start, 0))
            line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line
    return None


def detect_encoding(path: Path) -> str:
    """The encoding of a CSV file, in the order Excel and Vietnamese Windows produce them."""
    with path.open("rb") as handle:
        head = handle.read(READ_CHUNK_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        # ASCII text in UTF-16 without a BOM has a NUL in every other byte.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "utf-16-le"
        if even > len(head) // 4 and odd == 0:
            return "utf-16-be"
        raise UnreadableError(
            None,
            Reason(
                "the file contains NUL bytes: it is a binary file, not "
                "CSV text; export the list from Excel as CSV",
                "tệp nhị phân, không phải văn bản CSV; xuất danh mục từ Excel dưới dạng CSV",
            ),
        )
    return "utf-8" if undecodable_line(path, "utf-8") is None else "cp1258"


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the most lines into table-sized rows; comma on a tie.

    Excel writes ``;`` when the Windows list separator is ``;`` (as in Vietnamese regional
    settings, where ``,`` is the decimal mark), so both appear in the wild.
    """
    lines = sample.splitlines()[:-1] or sample.splitlines()

    def table_rows(delimiter: str) -> int:
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            return sum(1 for fields in reader if len(fields) >= _MIN_TABLE_FIELDS)
        except csv.Error:
            return 0

    return max(_DELIMITERS, key=table_rows)


def _known_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise PostlinkError(code="catalog.unknown_encoding", name=name) from None


@contextmanager
def _csv_rows(path: Path, encoding: str | None, budget: ReadBudget) -> Iterator[RowSource]:
    chosen = _known_encoding(encoding) if encoding else detect_encoding(path)
    with path.open("rb") as raw:
        # Only for sniffing: a bad byte is reported later with the row it is on.
        sample = raw.read(64 * 1024).decode(chosen, errors="replace")
    if "\x00" in sample:
        raise UnreadableError(
            None,
            Reason(
                f"the file read as {chosen} contains NUL characters; it is not CSV text in "
                "that encoding (export the list from Excel as CSV, or name its encoding)",
                f"đọc theo bảng mã {chosen}, tệp không phải văn bản CSV; xuất lại danh mục "
                "từ Excel dưới dạng CSV UTF-8",
            ),
        )
    bad_line = undecodable_line(path, chosen)
    if bad_line is not None:
        raise UnreadableError(
            None,
            Reason(
                f"line {bad_line} is not valid {chosen}; save the file as CSV UTF-8 from "
                "Excel or name its encoding (utf-8, utf-16, cp1258)",
                f"dòng {bad_line} không đúng bảng mã {chosen}; lưu tệp từ Excel dưới dạng "
                "CSV UTF-8",
            ),
        )
    delimiter = _sniff_delimiter(sample.removeprefix("\ufeff"))
    described = Phrase(_SEPARATED[delimiter], {"encoding": chosen})
    with path.open("r", encoding=chosen, newline="", errors="strict") as handle:
        rows = _csv_records(handle, delimiter, budget)
        yield RowSource(described, iter([Table(None, (), rows)]))


def _csv_records(lines: Iterable[str], delimiter: str, budget: ReadBudget) -> Iterator[RawRow]:
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableError(
                number + 1,
                Reason(
                    f"not valid CSV from here on ({exc})",
                    "từ dòng này trở đi tệp không đúng định dạng CSV",
                ),
            ) from exc
        number += 1
        if any("\x00" in field for field in fields):
            raise UnreadableError(
                number,
                Reason(
                    "the row contains NUL characters; this is not CSV text",
                    "dòng chứa ký tự NUL; đây không phải văn bản CSV",
                ),
            )
        yield row_of(number, fields, budget)
