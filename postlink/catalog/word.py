"""Read the tables of a decision's Word file (.docx) as list tables.

Provinces publish the annex inside the decision itself, as it appears on the provincial
portal: a title block, the articles, then "Phụ lục I" / "Phụ lục II" headings each followed
by a table (domain brief §5). Each table becomes one ``Table``, its context being the
paragraphs since the previous table (the heading that says which list it is, and the
"Ban hành kèm theo Quyết định số …" line). Word repeats a merged cell's text in every grid
cell it spans (python-docx reports the same cell for each), so a merged section title
arrives as the same text several times; ``rows.RowParser`` reads it as one title.

A Word document is parsed whole (python-docx has no streaming reader); its size is bounded
before parsing by ``reader.check_package``, its XML elements by a streaming pass of the
bounded parser (``xml``), and its tables, rows and grid cells by the same ``ReadBudget``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postlink.catalog.problems import Reason
from postlink.catalog.reader import (
    RawRow,
    ReadBudget,
    Table,
    UnreadableError,
    clean_row,
    in_table,
)
from postlink.catalog.text import cell_text
from postlink.catalog.xml import Handler, XmlRefused, parse_all

#: Paragraphs kept as the context of a table (the headings just above it matter).
_CONTEXT_PARAGRAPHS = 40


def _runs_bold(cell: Any, styles: dict[str, bool]) -> bool | None:
    """Whether every run with text in ``cell`` is bold (directly or by its paragraph's
    style), None when it has no text; ``styles`` keeps each paragraph style's answer."""
    found: bool | None = None
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            if not run.text.strip():
                continue
            bold = run.bold
            if bold is None:
                key = paragraph._p.style or ""
                if key not in styles:
                    style = paragraph.style
                    styles[key] = bool(
                        style is not None and style.font is not None and style.font.bold
                    )
                bold = styles[key]
            if not bold:
                return False
            found = True
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _grid(tc: Any, props: str, default: str) -> str:
    """A ``<w:tcPr>``/``<w:trPr>`` child's ``w:val`` (``default`` when it has none), or
    "" when the child is absent; read with lxml, not python-docx's per-property XPath."""
    found = tc.find(f"{_W}{props}")
    return "" if found is None else found.get(f"{_W}val", default)


def _span(tc: Any) -> int:
    properties = tc.find(f"{_W}tcPr")
    value = "" if properties is None else _grid(properties, "gridSpan", "1")
    return max(int(value), 1) if value.isdigit() else 1


def _continues(tc: Any) -> bool:
    properties = tc.find(f"{_W}tcPr")
    return properties is not None and _grid(properties, "vMerge", "continue") == "continue"


def _before(tr: Any) -> int:
    properties = tr.find(f"{_W}trPr")
    value = "" if properties is None else _grid(properties, "gridBefore", "0")
    return int(value) if value.isdigit() else 0


def _rows(table: Any, label: Reason, budget: ReadBudget) -> Iterator[RawRow]:
    """Each row's cells as the layout grid has them: a cell spanning columns repeated in
    each, a cell continuing a vertical merge read from the merge's first cell.

    Built from the row's own ``<w:tc>`` elements, each charged by its span before any is
    read: python-docx's ``row.cells`` repeats a cell once per spanned column before anyone
    can count them (a span of 100,000 columns is 100,000 cells), finds a merged cell's
    text by walking up the table once per row (a table-high merge walks n² rows), and
    reads every property by XPath (half a millisecond a row).
    """
    from docx.table import _Cell

    above: dict[int, tuple[str, bool | None]] = {}
    styles: dict[str, bool] = {}
    with in_table(label):
        for number, tr in enumerate(table._tbl.iterchildren(f"{_W}tr"), start=1):
            spans = [(tc, _span(tc)) for tc in tr.iterchildren(f"{_W}tc")]
            budget.charge(number, sum(span for _, span in spans))
            offset = _before(tr)
            cells: list[tuple[tuple[str, bool | None], int]] = []
            here: dict[int, tuple[str, bool | None]] = {}
            for tc, span in spans:
                read = above.get(offset) if _continues(tc) else None
                if read is None:
                    cell = _Cell(tc, table)
                    has_text = tc.find(f".//{_W}t") is not None
                    read = (cell.text, _runs_bold(cell, styles)) if has_text else ("", None)
                here[offset] = read
                cells.append((read, span))
                offset += span
            above = here
            raw = clean_row(number, [text for (text, _), span in cells for _ in range(span)])
            distinct = {cell for cell in raw.cells if cell}
            bolds = [bold for (_, bold), _ in cells if bold is not None]
            if 0 < len(distinct) <= 2 and bolds and all(bolds):
                raw = RawRow(raw.number, raw.cells, bold=True)
            yield raw


def docx_tables(path: Path, budget: ReadBudget) -> Iterator[Table]:
    """Every top-level table of the document, with the paragraphs above it as context.

    The document's XML is first streamed through the bounded parser (elements, seconds, no
    DTD), so python-docx, which parses it whole, only ever parses what is within bounds.
    """
    import docx  # python-docx is imported only when a Word file is read
    from docx.table import Table as WordTable

    try:
        with zipfile.ZipFile(path) as package:
            parse_all(package, "word/document.xml", Handler(), budget)
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many types; the budget its own
        if isinstance(exc, UnreadableError):
            raise
        detail = exc.reason if isinstance(exc, XmlRefused) else None
        raise UnreadableError(
            None,
            Reason(
                f"the .docx file is damaged ({detail.en if detail else type(exc).__name__}: "
                f"{exc}); open it in Word, save it again and upload the new copy",
                "tệp .docx bị hỏng"
                + (f" ({detail.vi})" if detail else "")
                + "; mở bằng Word, lưu lại rồi tải lên bản mới",
            ),
        ) from exc
    budget.charge_tables(len(document.tables))
    context: list[str] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            number += 1
            label = Reason(f"table {number}", f"bảng {number}")
            yield Table(label, tuple(context[-_CONTEXT_PARAGRAPHS:]), _rows(block, label, budget))
            context = []
        else:
            text = cell_text(block.text)
            if text:
                context.append(text)
