"""Turning a ``Report`` into HTML, CSV, XLSX or PDF.

HTML comes from Jinja2 templates in the top-level ``templates/`` folder with autoescape on,
so a citizen named ``<script>`` prints as text; the page is one self-contained file with an
A4 print stylesheet. CSV is UTF-8 with a BOM so Excel shows Vietnamese, and every text cell
in CSV and XLSX is neutralised against formula injection. PDF is the same HTML laid out by
WeasyPrint with DejaVu fonts, which carry every Vietnamese diacritic.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from postlink.reports import formatting
from postlink.reports.barcode import code128_svg
from postlink.reports.document import Cell, Kind, Report, Table
from postlink.reports.strings import label, text
from postlink.resources import TEMPLATES_DIR as TEMPLATES_DIR  # the web console uses it too
from postlink.settings import Settings

#: Characters Excel refuses in a sheet name, and its length limit.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_SHEET_MAX = 31


class Format(StrEnum):
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


def _display(value: Cell, kind: Kind, settings: Settings) -> str:
    """A cell as Vietnamese readers see it (page, CSV)."""
    if value is None:
        return ""
    if kind in (Kind.INT, Kind.MONEY) and isinstance(value, int | float):
        return formatting.number(value)
    if kind is Kind.PERCENT and isinstance(value, float):
        return formatting.percent(value)
    if isinstance(value, datetime):
        return formatting.moment(value, settings.tz)
    if isinstance(value, date):
        return formatting.day(value)
    return str(value)


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescape on, strict variables)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(t=text, label=label)
    return env


def render_html(report: Report, settings: Settings) -> str:
    def cell(value: Cell, kind: Kind) -> str | Markup:
        if kind is Kind.BARCODE and value:
            return Markup("{}<br>{}").format(code128_svg(str(value)), value)
        return _display(value, kind, settings)

    template = environment().get_template(f"reports/{report.name}.html")
    flt = report.filter
    context: dict[str, Any] = {
        "report": report,
        "cell": cell,
        "office": settings.office_name,
        "period": flt.period.label,
        "agency": flt.agency or text("label.all_agencies"),
        "leg": label("leg", flt.leg.value) if flt.leg else text("label.both_legs"),
        "as_of": formatting.day(flt.as_of),
        "list_on": formatting.day(flt.list_day),
        "generated_at": formatting.moment(flt.generated_at, settings.tz),
    }
    return template.render(context)


def _csv_cell(value: Cell, kind: Kind, settings: Settings) -> str | int:
    if kind in (Kind.INT, Kind.MONEY) and isinstance(value, int):
        return value
    return formatting.neutralise(_display(value, kind, settings))


def _header(table: Table) -> list[str]:
    return ([text("col.no")] if table.numbered else []) + [text(c.key) for c in table.columns]


def render_csv(report: Report, settings: Settings) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([text(report.title_key)])
    writer.writerow([text("label.period"), report.filter.period.label])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([text(table.key)])
        writer.writerow(_header(table))
        for number, row in enumerate(table.rows, start=1):
            cells = [
                _csv_cell(v, c.kind, settings) for v, c in zip(row, table.columns, strict=True)
            ]
            writer.writerow(([number] if table.numbered else []) + cells)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(value: Cell, kind: Kind, settings: Settings) -> tuple[Any, str | None]:
    """A native spreadsheet value and its number format; text is neutralised."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.astimezone(settings.tz).replace(tzinfo=None), "dd/mm/yyyy hh:mm"
    if isinstance(value, date):
        return value, "dd/mm/yyyy"
    if kind is Kind.PERCENT and isinstance(value, float):
        return value, "0.0%"
    if isinstance(value, int | float) and kind in (Kind.INT, Kind.MONEY):
        return value, "#,##0"
    return formatting.neutralise(str(value)), None


def _sheet_title(index: int, table: Table) -> str:
    return f"{index + 1}. {text(table.key)}".translate(_SHEET_FORBIDDEN)[:_SHEET_MAX]


def render_xlsx(report: Report, settings: Settings) -> bytes:
    from openpyxl import Workbook  # imported here: the daemon's jobs need openpyxl only now
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for index, table in enumerate(report.tables):
        sheet = book.create_sheet(_sheet_title(index, table))
        sheet.append([text(report.title_key)])
        sheet.append([text("label.period"), report.filter.period.label])
        sheet.append([text(table.key)])
        sheet.append(_header(table))
        for heading in sheet[4]:
            heading.font = bold
        for number, row in enumerate(table.rows, start=1):
            values = [
                _xlsx_cell(v, c.kind, settings) for v, c in zip(row, table.columns, strict=True)
            ]
            sheet.append(([number] if table.numbered else []) + [value for value, _ in values])
            offset = 1 if table.numbered else 0
            for position, (_, number_format) in enumerate(values, start=1 + offset):
                if number_format:
                    sheet.cell(row=sheet.max_row, column=position).number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_pdf(report: Report, settings: Settings) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which only PDF needs

    pdf = HTML(string=render_html(report, settings), base_url=str(TEMPLATES_DIR)).write_pdf()
    return bytes(pdf or b"")


RENDERERS = {
    Format.HTML: lambda report, settings: render_html(report, settings).encode("utf-8"),
    Format.CSV: render_csv,
    Format.XLSX: render_xlsx,
    Format.PDF: render_pdf,
}


def render(report: Report, fmt: Format, settings: Settings) -> bytes:
    """The report in ``fmt``, as the bytes of the file to write."""
    return RENDERERS[fmt](report, settings)
