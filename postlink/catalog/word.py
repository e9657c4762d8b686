"""Read the tables of a decision's Word file (.docx) as list tables.

Provinces publish the annex inside the decision itself, as it appears on the provincial
portal: a title block, the articles, then "Phụ lục I" / "Phụ lục II" headings each followed
by a table (domain brief §5). Each table becomes one ``Table``, its context being the
paragraphs since the previous table (the heading that says which list it is, and the
"Ban hành kèm theo Quyết định số …" line). Word repeats a merged cell's text in every grid
cell it spans (python-docx reports the same cell for each), so a merged section title
arrives as the same text several times; ``rows.RowParser`` reads it as one title.

A Word document is parsed whole (python-docx has no streaming reader); its size is bounded
before parsing by ``reader.check_package`` and its rows by the same ``ReadBudget``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postlink.catalog.problems import Reason
from postlink.catalog.reader import RawRow, ReadBudget, Table, UnreadableError, row_of
from postlink.catalog.text import cell_text

#: Paragraphs kept as the context of a table (the headings just above it matter).
_CONTEXT_PARAGRAPHS = 40


def _bold(cells: list[Any]) -> bool:
    """Whether every run with text in the row is bold (directly or by its style)."""
    runs = [
        (run, paragraph)
        for cell in cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text.strip()
    ]
    if not runs:
        return False

    def bold(run: Any, paragraph: Any) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        style = paragraph.style
        return bool(style is not None and style.font is not None and style.font.bold)

    return all(bold(run, paragraph) for run, paragraph in runs)


def _rows(table: Any, budget: ReadBudget) -> Iterator[RawRow]:
    for number, row in enumerate(table.rows, start=1):
        cells = list(row.cells)
        raw = row_of(number, (cell.text for cell in cells), budget)
        distinct = {cell for cell in raw.cells if cell}
        if 0 < len(distinct) <= 2 and _bold(cells):
            raw = RawRow(raw.number, raw.cells, bold=True)
        yield raw


def docx_tables(path: Path, budget: ReadBudget) -> Iterator[Table]:
    """Every top-level table of the document, with the paragraphs above it as context."""
    import docx  # python-docx is imported only when a Word file is read
    from docx.table import Table as WordTable

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many types for a damaged file
        raise UnreadableError(
            None,
            Reason(
                f"the .docx file is damaged ({type(exc).__name__}: {exc}); open it in Word, "
                "save it again and upload the new copy",
                "tệp .docx bị hỏng; mở bằng Word, lưu lại rồi tải lên bản mới",
            ),
        ) from exc
    context: list[str] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            number += 1
            yield Table(
                Reason(f"table {number}", f"bảng {number}"),
                tuple(context[-_CONTEXT_PARAGRAPHS:]),
                _rows(block, budget),
            )
            context = []
        else:
            text = cell_text(block.text)
            if text:
                context.append(text)
