"""``postlink report NAME``: render one report to a file in any format.

All options become one ``ReportFilter``; the same filter drives HTML, CSV, XLSX and PDF,
so the formats always agree (issue 6).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from postlink.cli.output import JsonOption, console, parse_date, print_json
from postlink.db import get_engine
from postlink.models import LegKind
from postlink.reports.files import format_for, write_report
from postlink.reports.filters import ReportFilter, choose_period
from postlink.reports.registry import ReportName
from postlink.reports.render import Format
from postlink.settings import get_settings
from postlink.timeutil import local_date, utcnow
from postlink.words import say


def report(
    name: Annotated[ReportName, typer.Argument(help="exclusions, delivery, handover or period.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    quarter: Annotated[str | None, typer.Option("--quarter", help="e.g. 2026Q1.")] = None,
    half: Annotated[str | None, typer.Option("--half", help="e.g. 2026H1.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="e.g. 2026.")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code.")] = None,
    leg: Annotated[LegKind | None, typer.Option("--leg", help="pickup or return.")] = None,
    fmt: Annotated[
        Format | None, typer.Option("--format", help="html, csv, xlsx or pdf (default: by -o).")
    ] = None,
    list_on: Annotated[
        str | None, typer.Option("--on", help="Exclusions: the list in force on this day.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge open legs as of this day (default today).")
    ] = None,
    handover: Annotated[
        int | None, typer.Option("--handover", help="Handover report: the handover's id.")
    ] = None,
    full_contact: Annotated[
        bool,
        typer.Option(
            "--full-contact",
            help="Show phone numbers unmasked (Law 91/2025/QH15: only for staff allowed to).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Render a report: [b]exclusions[/b], [b]delivery[/b], [b]handover[/b] or [b]period[/b]."""
    settings = get_settings()
    today = local_date(utcnow(), settings.tz)
    period = choose_period(
        start=parse_date("--from", start),
        end=parse_date("--to", end),
        quarter_spec=quarter,
        half_spec=half,
        year_value=year,
        today=today,
    )
    flt = ReportFilter(
        period=period,
        as_of=parse_date("--as-of", as_of) or today,
        agency=agency.strip() if agency else None,
        leg=leg,
        list_on=parse_date("--on", list_on),
        full_contact=full_contact,
        handover_id=handover,
    )
    chosen = format_for(output, fmt)
    size = write_report(get_engine(), name, flt, settings, output, chosen)
    if as_json:
        print_json({"report": name, "format": chosen, "path": output, "bytes": size})
    else:
        line = say("cli.report.written", name=name.value, path=output, fmt=chosen.value, size=size)
        console.print(line, highlight=False)
