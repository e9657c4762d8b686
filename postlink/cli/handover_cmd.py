"""``postlink handover``: record a signed handover with the post, and list them.

QĐ 45/2016 art. 7 cl. 4: the signing time of the record is the legal filing time of each
complete dossier in it, so ``create`` is the moment dossiers are officially received.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, func, select

from postlink.cli.output import JsonOption, console, print_json, print_table
from postlink.db import get_engine, session_scope
from postlink.errors import PostlinkError
from postlink.legs.handover import ItemSpec, create_handover
from postlink.models import Direction, Handover, HandoverItem, ItemState
from postlink.reports.files import format_for, write_report
from postlink.reports.filters import ReportFilter, between
from postlink.reports.registry import ReportName
from postlink.settings import get_settings
from postlink.timeutil import local_date, utcnow
from postlink.words import say

app = typer.Typer(help="Handover records (biên bản giao nhận) with the postal worker.")


def _split(values: list[str] | None) -> list[str]:
    """Items may be repeated options, comma- or space-separated lists, or both."""
    return [part for value in values or [] for part in value.replace(",", " ").split() if part]


def _signed_at(value: str | None) -> datetime:
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PostlinkError(
            f"--signed-at {value!r} is not a time (expected YYYY-MM-DDTHH:MM, local time)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=get_settings().tz)


def _specs(items: list[str], incomplete: list[str], missing: list[str]) -> list[ItemSpec]:
    unknown = sorted(set(incomplete + missing) - set(items))
    if unknown:
        raise PostlinkError(
            f"--incomplete/--missing name items not in --items: {', '.join(unknown)}"
        )
    state = dict.fromkeys(incomplete, ItemState.INCOMPLETE) | dict.fromkeys(
        missing, ItemState.MISSING
    )
    return [ItemSpec(ref, state.get(ref, ItemState.COMPLETE)) for ref in items]


@app.command("create")
def create(
    direction: Annotated[
        Direction, typer.Option("--direction", help="in: dossiers from the post; out: results.")
    ],
    items: Annotated[
        list[str], typer.Option("--items", help="Waybill numbers, references or dossier codes.")
    ],
    officer: Annotated[str, typer.Option("--officer", help="The office's signing officer.")],
    postal_worker: Annotated[str, typer.Option("--postal-worker", help="The postal worker.")],
    incomplete: Annotated[
        list[str] | None, typer.Option("--incomplete", help="Items whose dossier is incomplete.")
    ] = None,
    missing: Annotated[
        list[str] | None, typer.Option("--missing", help="Items listed but not handed over.")
    ] = None,
    signed_at: Annotated[
        str | None, typer.Option("--signed-at", help="Local signing time (default: now).")
    ] = None,
    office: Annotated[str | None, typer.Option("--office", help="Default: the office.")] = None,
    note: Annotated[str, typer.Option("--note", help="Remarks written on the record.")] = "",
    actor: Annotated[str | None, typer.Option("--actor", help="Who records it (audit).")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Also write the record (html/pdf).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a signed handover; complete dossiers coming in are filed at its signing time."""
    settings = get_settings()
    specs = _specs(_split(items), _split(incomplete), _split(missing))
    with session_scope() as session:
        handover = create_handover(
            session,
            direction=direction,
            items=specs,
            officer=officer,
            postal_worker=postal_worker,
            signed_at=_signed_at(signed_at),
            office=office or settings.office_name,
            actor=actor or getpass.getuser(),
            note=note,
        )
        handover_id, signed = handover.id, handover.signed_at
    if output is not None and handover_id is not None:
        day = local_date(signed, settings.tz)
        flt = ReportFilter(period=between(day, day), as_of=day, handover_id=handover_id)
        write_report(
            get_engine(), ReportName.HANDOVER, flt, settings, output, format_for(output, None)
        )
    if as_json:
        print_json({"id": handover_id, "signed_at": signed, "items": len(specs), "path": output})
    else:
        at = f"{signed.astimezone(settings.tz):%d/%m/%Y %H:%M}"
        line = say("cli.handover.signed", id=handover_id, items=len(specs), at=at)
        if output:
            line += " " + say("cli.handover.written", path=output)
        console.print(line, highlight=False)


@app.command("list")
def list_handovers(as_json: JsonOption = False) -> None:
    """Handovers, newest first, with their item counts."""
    settings = get_settings()
    with Session(get_engine()) as session:
        rows = session.execute(
            select(Handover, func.count(col(HandoverItem.id)))
            .outerjoin(HandoverItem, col(HandoverItem.handover_id) == col(Handover.id))
            .group_by(col(Handover.id))
            .order_by(col(Handover.signed_at).desc(), col(Handover.id).desc())
        ).all()
    data = [
        {
            "id": h.id,
            "direction": h.direction,
            "signed_at": h.signed_at,
            "officer": h.officer,
            "postal_worker": h.postal_worker,
            "items": count,
        }
        for h, count in rows
    ]
    if as_json:
        print_json(data)
        return
    columns = ("id", "direction", "signed", "officer", "postal_worker", "items")
    print_table(
        say("cli.handover.title"),
        [say(f"cli.col.{c}") for c in columns],
        (
            (
                d["id"],
                d["direction"],
                h.signed_at.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M"),
                d["officer"],
                d["postal_worker"],
                d["items"],
            )
            for d, (h, _) in zip(data, rows, strict=True)
        ),
    )
