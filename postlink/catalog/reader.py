"""Read a list file (.xlsx or .csv) as a stream of rows of cleaned cell text.

Lists arrive as Excel workbooks or as CSV saved from Excel (domain brief §5). Both are
streamed, one row at a time, so a file of any length is read in flat memory: openpyxl's
read-only mode for workbooks, the ``csv`` module for text. CSV encodings are detected in the
order Excel and Vietnamese Windows produce them: a BOM (UTF-8 or UTF-16), UTF-16 without a
BOM, valid UTF-8, else Windows-1258 (the Vietnamese ANSI code page); ``encoding`` overrides.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from postlink.catalog.limits import MAX_XLSX_UNCOMPRESSED_BYTES, READ_CHUNK_BYTES
from postlink.catalog.problems import Reason
from postlink.catalog.text import cell_text
from postlink.errors import PostlinkError

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (",", ";", "\t")
#: A table row has at least code, name and the two eligibility columns.
_MIN_TABLE_FIELDS = 4


class UnreadableError(Exception):
    """The file (or the rest of it from ``row`` on) cannot be read at all."""

    def __init__(self, row: int | None, reason: Reason) -> None:
        super().__init__(str(reason))
        self.row = row
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RawRow:
    """One spreadsheet row: its 1-based number (as Excel shows it) and its cells' text."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowSource:
    """Where rows come from, said for people (``"sheet 'Danh mục'"``, ``"CSV, utf-8-sig"``)."""

    description: str
    rows: Iterator[RawRow]


@contextmanager
def open_rows(
    path: Path, *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[RowSource]:
    """Open ``path`` and yield its rows; the file is closed when the block ends."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        if encoding:
            raise PostlinkError("--encoding applies to CSV files; a workbook has no encoding")
        with _xlsx_rows(path, sheet) as source:
            yield source
    elif suffix in CSV_SUFFIXES:
        if sheet:
            raise PostlinkError("--sheet applies to .xlsx workbooks; a CSV file has one table")
        with _csv_rows(path, encoding) as source:
            yield source
    else:
        hint = " (Excel 97-2003: save it as .xlsx)" if suffix == ".xls" else ""
        raise UnreadableError(
            None,
            Reason(
                f"unsupported file type {suffix or '(none)'!r}{hint}; expected .xlsx or .csv",
                f"không đọc được tệp {suffix or '(không đuôi)'}: cần tệp .xlsx hoặc .csv",
            ),
        )


# --- Excel --------------------------------------------------------------------------------------


def _check_package(path: Path) -> None:
    """Refuse what openpyxl would choke on or blow up with, with a reason a person can act on."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE2_MAGIC):
        raise UnreadableError(
            None,
            Reason(
                "this is an Excel 97-2003 (.xls) workbook or another "
                "binary file named .xlsx; open it in Excel and save as .xlsx",
                "đây là tệp Excel 97-2003 (.xls) hoặc tệp nhị phân khác đặt tên .xlsx; mở "
                "bằng Excel và lưu lại dưới dạng .xlsx",
            ),
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableError(
            None,
            Reason(
                "not an Excel .xlsx workbook (it is not a ZIP package); "
                "save the list from Excel as .xlsx or as CSV",
                "không phải tệp Excel .xlsx; lưu danh mục từ Excel dưới dạng .xlsx hoặc CSV",
            ),
        )
    with zipfile.ZipFile(path) as package:
        expanded = sum(info.file_size for info in package.infolist())
    if expanded > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise UnreadableError(
            None,
            Reason(
                f"the workbook expands to {expanded:,} bytes, more than the "
                f"limit of {MAX_XLSX_UNCOMPRESSED_BYTES:,}; is it really a list?",
                "tệp Excel giải nén quá lớn so với giới hạn; hãy kiểm tra đây có đúng là "
                "danh mục thủ tục",
            ),
        )


@contextmanager
def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[RowSource]:
    _check_package(path)
    try:
        # data_only=False: a formula cell reads as its formula text, so it can be refused by
        # name instead of silently reading a cached value that may be stale or missing.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise UnreadableError(
            None,
            Reason(f"not a readable .xlsx workbook ({exc})", "tệp .xlsx bị hỏng, không đọc được"),
        ) from exc
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(repr(name) for name in workbook.sheetnames)
            raise PostlinkError(f"{path.name} has no sheet {sheet!r}; its sheets are {names}")
        # Some writers store a wrong (or huge) dimension; without this openpyxl would trust it.
        worksheet.reset_dimensions()
        yield RowSource(f"sheet {worksheet.title!r}", _sheet_rows(worksheet))
    finally:
        workbook.close()


def _sheet_rows(worksheet: Any) -> Iterator[RawRow]:
    number = 0
    rows = worksheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # malformed sheet XML surfaces here, mid-stream
            raise UnreadableError(
                number + 1,
                Reason(
                    f"the sheet cannot be read from here on ({exc})",
                    "không đọc được trang tính từ dòng này trở đi",
                ),
            ) from exc
        number += 1
        yield RawRow(number, tuple(cell_text(value) for value in values))


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
        raise PostlinkError(
            f"--encoding {name!r} is not an encoding Python knows (try utf-8, utf-16 or cp1258)"
        ) from None


@contextmanager
def _csv_rows(path: Path, encoding: str | None) -> Iterator[RowSource]:
    chosen = _known_encoding(encoding) if encoding else detect_encoding(path)
    with path.open("rb") as raw:
        # Only for sniffing: a bad byte is reported later with the row it is on.
        sample = raw.read(64 * 1024).decode(chosen, errors="replace")
    if "\x00" in sample:
        raise UnreadableError(
            None,
            Reason(
                f"the file read as {chosen} contains NUL characters; it is not CSV text in "
                "that encoding (export the list from Excel as CSV, or pass the right "
                "--encoding)",
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
                "Excel or pass --encoding (utf-8, utf-16, cp1258)",
                f"dòng {bad_line} không đúng bảng mã {chosen}; lưu tệp từ Excel dưới dạng "
                "CSV UTF-8",
            ),
        )
    delimiter = _sniff_delimiter(sample.removeprefix("\ufeff"))
    named = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    with path.open("r", encoding=chosen, newline="", errors="strict") as handle:
        yield RowSource(f"CSV, {chosen}, {named}-separated", _csv_records(handle, delimiter))


def _csv_records(lines: Iterable[str], delimiter: str) -> Iterator[RawRow]:
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
        yield RawRow(number, tuple(cell_text(field) for field in fields))
