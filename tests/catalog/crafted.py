"""Costly list files crafted by hand, the way an attacker would (issue 14 §3).

Each stays within what ``reader.check_package`` lets through (at most 64 MiB expanded, and
no part above 1 MiB packed more than 100 times), under the 10 MiB upload cap, and is built
from raw XML with ``zipfile`` rather than by a spreadsheet library, so it holds exactly the
costly construct it names: a huge ``<dimension>``, cells far to the right, a row at the
bottom of the sheet, millions of empty styled cells, a giant shared-strings table, a
stylesheet of a million fonts, thousands of sheets, a DTD's entities, a Word table whose
merged cells span a hundred thousand columns or a whole table's height, a CSV line of
millions of fields. ``bench/hostile_files.py`` times them; ``test_hostile_files.py``
asserts each is refused (or read) fast and named.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Just under 1 MiB: a part this size is never checked for its packing ratio.
PART_BYTES = 1024 * 1024 - 4096
#: A header and two procedure rows, so that a file that is read has something to read.
HEADER = ("STT", "Mã TTHC", "Tên thủ tục hành chính", "Tiếp nhận hồ sơ", "Trả kết quả")
ROWS = (
    ("1", "1.001193", "Đăng ký khai sinh", "X", "X"),
    ("2", "1.000656", "Đăng ký khai tử", "X", "X"),
)


def column(number: int) -> str:
    """1 → A, 16384 → XFD (as Excel names its columns)."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def table_rows(first: int = 1) -> str:
    """The header and the two procedure rows as sheet XML, from row ``first``."""
    rows = []
    for number, cells in enumerate((HEADER, *ROWS), start=first):
        inner = "".join(_cell(f"{column(i)}{number}", t) for i, t in enumerate(cells, 1))
        rows.append(f'<row r="{number}">{inner}</row>')
    return "".join(rows)


def workbook(
    path: Path,
    sheets: list[str | Iterator[str]],
    *,
    shared_strings: Iterator[str] | None = None,
    styles: Iterator[str] | None = None,
    names: list[str] | None = None,
) -> Path:
    """A workbook of the given sheets' XML (text, or pieces streamed into the part)."""
    names = names or [f"Trang {n}" for n in range(1, len(sheets) + 1)]
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        f'ContentType="{_SHEET_TYPE}.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_OFFICE}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    extra = len(sheets) + 1
    if shared_strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_SHEET_TYPE}.sharedStrings+xml"/>'
        )
    if styles is not None:
        overrides += f'<Override PartName="/xl/styles.xml" ContentType="{_SHEET_TYPE}.styles+xml"/>'
    if shared_strings is not None:
        relations += (
            f'<Relationship Id="rId{extra}" Type="{_OFFICE}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    if styles is not None:
        relations += (
            f'<Relationship Id="rId{extra + 1}" Type="{_OFFICE}/styles" Target="styles.xml"/>'
        )
    entries = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    parts: dict[str, str | Iterator[str]] = {
        "[Content_Types].xml": f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_TYPE}.sheet.main+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}">'
        f"<sheets>{entries}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE}/'
        f'relationships">{relations}</Relationships>',
    }
    for number, sheet in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{number}.xml"] = sheet
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    if styles is not None:
        parts["xl/styles.xml"] = styles
    return _package(path, parts)


def _package(path: Path, parts: dict[str, str | Iterator[str]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, part in parts.items():
            if isinstance(part, str):
                package.writestr(name, part)
                continue
            with package.open(name, "w") as target:
                for piece in part:
                    target.write(piece.encode())
    return path


def sheet(data: str | Iterator[str], *, before: str = "") -> Iterator[str]:
    yield f'{_HEAD}<worksheet xmlns="{_MAIN}">{before}<sheetData>'
    if isinstance(data, str):
        yield data
    else:
        yield from data
    yield "</sheetData></worksheet>"


def _filled(make: Callable[[int], str], limit: int = PART_BYTES) -> Iterator[str]:
    """``make(n)`` for n = 1, 2, … until ``limit`` bytes of XML are written."""
    written, number = 0, 1
    while written < limit:
        piece = make(number)
        written += len(piece.encode())
        number += 1
        yield piece


def _incompressible(make: Callable[[int, random.Random], str], limit: int) -> Iterator[str]:
    """Like ``_filled`` with seeded noise in each piece, so the part packs less than 100×."""
    noise = random.Random(14)
    return _filled(lambda n: make(n, noise), limit)


# --- Excel ---------------------------------------------------------------------------------


def huge_dimension(path: Path) -> Path:
    """A small sheet that declares itself A1:XFD1048576 (17 billion cells)."""
    return workbook(path, [sheet(table_rows(), before='<dimension ref="A1:XFD1048576"/>')])


def far_right(path: Path) -> Path:
    """Under 1 MiB of rows each with one cell in the last column, XFD: a reader that pads
    rows to their width makes 16,384 cells of each."""
    return workbook(
        path,
        [
            sheet(
                table_rows()
                + "".join(
                    _filled(
                        lambda n: (
                            f'<row r="{n + 3}"><c r="XFD{n + 3}" '
                            't="inlineStr"><is><t>x</t></is></c></row>'
                        )
                    )
                )
            )
        ],
    )


def far_down(path: Path) -> Path:
    """The table, then one cell in the last row, 1,048,576: a million empty rows between."""
    return workbook(path, [sheet(table_rows() + _cell_row(1_048_576, "A", "x"))])


def _cell_row(number: int, col: str, text: str) -> str:
    return f'<row r="{number}">{_cell(f"{col}{number}", text)}</row>'


def empty_cells(path: Path) -> Path:
    """60 MB of empty styled cells (millions of them), packed just under 100 times."""

    def row(number: int, noise: random.Random) -> str:
        cells = "".join(
            f'<c r="{column(c)}{number + 3}" s="{noise.randrange(64)}"/>' for c in range(1, 17)
        )
        return f'<row r="{number + 3}">{cells}</row>'

    return workbook(path, [sheet(table_rows() + "".join(_incompressible(row, 60_000_000)))])


def giant_shared_strings(path: Path) -> Path:
    """60 MB of tiny distinct shared strings (millions), none of them used by a cell."""

    def strings() -> Iterator[str]:
        yield f'{_HEAD}<sst xmlns="{_MAIN}">'
        yield from _incompressible(
            lambda n, noise: f"<si><t>{noise.randrange(10**6)}</t></si>", 55_000_000
        )
        yield "</sst>"

    return workbook(path, [sheet(table_rows())], shared_strings=strings())


def giant_styles(path: Path) -> Path:
    """A stylesheet under 1 MiB of a hundred thousand fonts and cell formats."""

    def styles() -> Iterator[str]:
        yield f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts>'
        yield from _filled(lambda n: '<font><b/><sz val="11"/></font>', PART_BYTES // 2)
        yield "</fonts><cellXfs>"
        yield from _filled(lambda n: f'<xf fontId="{n}"/>', PART_BYTES // 2)
        yield "</cellXfs></styleSheet>"

    return workbook(path, [sheet(table_rows())], styles=styles())


def many_sheets(path: Path, count: int = 5_000) -> Path:
    """Thousands of one-cell sheets (each a part, each a table to look for a header in)."""
    one = "".join(sheet(_cell_row(1, "A", "x")))
    return workbook(path, [one] * count)


def entities(path: Path) -> Path:
    """A billion laughs in the sheet's DTD (each entity ten of the one before)."""
    levels = ['<!ENTITY e0 "ha">'] + [
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = f"<!DOCTYPE worksheet [{''.join(levels)}]>"
    body = (
        f'<worksheet xmlns="{_MAIN}"><sheetData>{table_rows()}'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>&e9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return workbook(path, [f"{_HEAD}{doctype}{body}"])


def long_rows(path: Path) -> Path:
    """Plausible procedure rows, as many as 60 MB holds with noise (about a million)."""

    def row(number: int, noise: random.Random) -> str:
        code = f"1.{noise.randrange(10**6):06d}"
        cells = (str(number), code, f"Thủ tục {noise.randrange(10**9)}", "X", "X")
        inner = "".join(_cell(f"{column(i)}{number + 3}", t) for i, t in enumerate(cells, 1))
        return f'<row r="{number + 3}">{inner}</row>'

    return workbook(path, [sheet(table_rows() + "".join(_incompressible(row, 60_000_000)))])


# --- Word ----------------------------------------------------------------------------------


def _document(path: Path, rows: Iterator[str]) -> Path:
    def body() -> Iterator[str]:
        yield f'{_HEAD}<w:document xmlns:w="{_WORD}"><w:body><w:p><w:r><w:t>Phụ lục I'
        yield "</w:t></w:r></w:p><w:tbl>"
        for cells in (HEADER, *ROWS):
            yield _word_row(cells)
        yield from rows
        yield "</w:tbl></w:body></w:document>"

    return _package(
        path,
        {
            "[Content_Types].xml": f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
            "word/document.xml": body(),
        },
    )


def _word_row(cells: tuple[str, ...], props: str = "") -> str:
    inner = "".join(
        f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>" for text in cells
    )
    return f"<w:tr>{inner}</w:tr>"


def word_wide_spans(path: Path) -> Path:
    """Under 1 MiB of rows each one cell spanning 100,000 grid columns."""
    return _document(
        path,
        _filled(
            lambda n: (
                '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000"/></w:tcPr><w:p/></w:tc></w:tr>'
            )
        ),
    )


def word_tall_merge(path: Path) -> Path:
    """Under 1 MiB of rows whose first cell continues the merge of the one above, to the
    top of the table: a reader that walks up to the merge's first cell walks n² rows."""
    return _document(
        path,
        _filled(
            lambda n: (
                "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
            )
        ),
    )


# --- CSV -----------------------------------------------------------------------------------


def csv_wide_line(path: Path) -> Path:
    """The table, then one line of nine million empty fields (9 MB of commas)."""
    head = "\r\n".join(",".join(cells) for cells in (HEADER, *ROWS))
    path.write_bytes(head.encode() + b"\r\n" + b"," * 9_000_000 + b"\r\n")
    return path


def csv_many_lines(path: Path) -> Path:
    """The table, then nine million empty lines."""
    head = "\r\n".join(",".join(cells) for cells in (HEADER, *ROWS))
    path.write_bytes(head.encode() + b"\r\n" + b"\n" * 9_000_000)
    return path


#: Every crafted file: name → builder (the name says the costly construct).
CRAFTED: dict[str, Callable[[Path], Path]] = {
    "huge-dimension.xlsx": huge_dimension,
    "far-right.xlsx": far_right,
    "far-down.xlsx": far_down,
    "empty-cells.xlsx": empty_cells,
    "shared-strings.xlsx": giant_shared_strings,
    "styles.xlsx": giant_styles,
    "many-sheets.xlsx": many_sheets,
    "entities.xlsx": entities,
    "long-rows.xlsx": long_rows,
    "wide-spans.docx": word_wide_spans,
    "tall-merge.docx": word_tall_merge,
    "wide-line.csv": csv_wide_line,
    "many-lines.csv": csv_many_lines,
}
