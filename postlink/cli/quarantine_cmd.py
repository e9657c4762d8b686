"""``postlink quarantine``: the records the post sent that postlink could not read.

``list`` and ``show`` them with their reason and source, ``replay`` them with the code
installed now (one, all of a reason, or all), ``resolve`` one by hand with a note. Replays
and resolutions are audited; nothing here moves the feed cursor (``sync.quarantine``).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, console, field_label, print_json, print_pairs
from postlink.db import get_engine, session_scope
from postlink.settings import get_settings
from postlink.sync import quarantine
from postlink.sync.jobs import build_context
from postlink.timeutil import format_local
from postlink.words import say

app = WordedTyper(help=say("cli.help.quarantine"), no_args_is_help=True)

ActorOption = Annotated[str, typer.Option(help=say("cli.opt.quarantine.actor"))]
RecordArg = Annotated[
    int,
    typer.Argument(min=1, max=2**63 - 1, help=say("cli.opt.quarantine.record"), show_default=False),
]


@app.command("list", help=say("cli.help.quarantine.list"))
def list_records(
    reason: Annotated[str | None, typer.Option(help=say("cli.opt.quarantine.only_reason"))] = None,
    limit: Annotated[int, typer.Option(min=1, help=say("cli.opt.quarantine.limit"))] = 100,
    as_json: JsonOption = False,
) -> None:
    """Các bản ghi đang cách ly, cũ nhất trước / open records, oldest first, with reasons."""
    with Session(get_engine()) as session:
        rows = quarantine.open_rows(session, reason=reason, limit=limit)
        reasons = quarantine.open_reasons(session)
    if as_json:
        print_json(
            {
                "records": [quarantine.as_dict(r) for r in rows],
                "reasons": [{"reason": r, "count": n} for r, n in reasons],
            }
        )
        return
    tz = get_settings().tz
    table = Table(title=say("cli.quarantine.title"), title_justify="left")
    for column in ("id", "at", "source", "reason"):
        table.add_column(say(f"cli.col.{column}"), no_wrap=column != "reason")
    for row in rows:
        table.add_row(str(row.id), format_local(row.at, tz), row.source, row.reason)
    console.print(table)
    print_pairs(say("cli.quarantine.by_reason"), dict(reasons))


@app.command("show", help=say("cli.help.quarantine.show"))
def show(
    record_id: RecordArg,
    as_json: JsonOption = False,
) -> None:
    """Một bản ghi với nội dung gốc / one record with the raw body the post sent."""
    with Session(get_engine()) as session:
        row = quarantine.get(session, record_id)
    if as_json:
        print_json(quarantine.as_dict(row))
        return
    tz = get_settings().tz
    fields = quarantine.as_dict(row) | {
        "at": format_local(row.at, tz),
        "resolved_at": format_local(row.resolved_at, tz),
    }
    raw = fields.pop("raw")
    shown = {field_label("cli.quarantine.field", name): value for name, value in fields.items()}
    print_pairs(say("cli.quarantine.record", id=record_id), shown)
    console.print(raw, markup=False, highlight=False, soft_wrap=True)


@app.command("replay", help=say("cli.help.quarantine.replay"))
def replay(
    record_ids: Annotated[
        list[int] | None, typer.Argument(help=say("cli.opt.quarantine.records"))
    ] = None,
    reason: Annotated[str | None, typer.Option(help=say("cli.opt.quarantine.reason"))] = None,
    everything: Annotated[bool, typer.Option("--all", help=say("cli.opt.quarantine.all"))] = False,
    actor: ActorOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Đọc lại bằng mã hiện tại và áp dụng / re-read with the code installed now and apply
    (audited; the feed cursor is not touched). Exits 1 when some records still fail."""
    settings = get_settings()
    ctx = build_context(settings)
    try:
        outcome = quarantine.replay(
            ctx, actor=actor, ids=record_ids or (), reason=reason, everything=everything
        )
    finally:
        ctx.adapter.close()
    result = outcome.as_dict()
    if as_json:
        print_json(result)
    else:
        counts = {
            say(f"cli.quarantine.field.{k}"): result[k]
            for k in ("replayed", "recovered", "still_failing")
        }
        print_pairs(say("cli.quarantine.replayed"), counts | result["applied"])
        for failing in result["failing"]:
            console.print(f"{failing['id']}: {failing['reason']}", markup=False, highlight=False)
    if outcome.still_failing:
        raise typer.Exit(1)


@app.command("resolve", help=say("cli.help.quarantine.resolve"))
def resolve(
    record_id: RecordArg,
    note: Annotated[str, typer.Option(help=say("cli.opt.quarantine.note"))],
    actor: ActorOption = "admin",
    as_json: JsonOption = False,
) -> None:
    """Đóng một bản ghi kèm ghi chú / close a record by hand with a note (audited)."""
    with session_scope() as session:
        row = quarantine.resolve(session, record_id, actor=actor, note=note)
        data = quarantine.as_dict(row)
    if as_json:
        print_json(data)
    else:
        line = say("cli.quarantine.resolved", id=record_id, note=data["resolution"])
        console.print(line, markup=False, highlight=False)
