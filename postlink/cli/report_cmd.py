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
    name: Annotated[ReportName, typer.Argument(help=say("cli.opt.report.name"))],
    output: Annotated[Path, typer.Option("-o", "--output", help=say("cli.opt.report.output"))],
    start: Annotated[str | None, typer.Option("--from", help=say("cli.opt.report.from"))] = None,
    end: Annotated[str | None, typer.Option("--to", help=say("cli.opt.report.to"))] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", help=say("cli.opt.report.quarter"))
    ] = None,
    half: Annotated[str | None, typer.Option("--half", help=say("cli.opt.report.half"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=say("cli.opt.report.year"))] = None,
    agency: Annotated[
        str | None, typer.Option("--agency", help=say("cli.opt.report.agency"))
    ] = None,
    leg: Annotated[LegKind | None, typer.Option("--leg", help=say("cli.opt.report.leg"))] = None,
    fmt: Annotated[
        Format | None, typer.Option("--format", help=say("cli.opt.report.format"))
    ] = None,
    list_on: Annotated[str | None, typer.Option("--on", help=say("cli.opt.report.on"))] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=say("cli.opt.report.as_of"))] = None,
    handover: Annotated[
        int | None, typer.Option("--handover", help=say("cli.opt.report.handover"))
    ] = None,
    full_contact: Annotated[
        bool,
        typer.Option(
            "--full-contact",
            help=say("cli.opt.report.full_contact"),
        ),
    ] = False,
    compensation_cases: Annotated[
        int | None,
        typer.Option(
            "--compensation-cases",
            min=0,
            help=say("cli.opt.report.compensation_cases"),
        ),
    ] = None,
    safety_level: Annotated[
        str,
        typer.Option(
            "--safety-level",
            help=say("cli.opt.report.safety_level"),
        ),
    ] = "",
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
        compensation_cases=compensation_cases,
        safety_level=safety_level.strip(),
    )
    chosen = format_for(output, fmt)
    size = write_report(get_engine(), name, flt, settings, output, chosen)
    if as_json:
        print_json({"report": name, "format": chosen, "path": output, "bytes": size})
    else:
        line = say("cli.report.written", name=name.value, path=output, fmt=chosen.value, size=size)
        console.print(line, highlight=False)
