"""``postlink outbox``: register pickups and results for the post, see what is pending."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, console, err_console, print_json, print_table
from postlink.db import get_engine, session_scope
from postlink.models import LegKind, OutboxCommand, OutboxState
from postlink.postal.models import Party
from postlink.settings import get_settings
from postlink.sync.jobs import build_context
from postlink.sync.outbox import Registration, register
from postlink.sync.registrations import read_registrations
from postlink.words import say

app = WordedTyper(help=say("cli.help.outbox"), no_args_is_help=True)


def _summary(command: OutboxCommand) -> dict[str, object]:
    return {
        "id": command.id,
        "reference": command.reference,
        "leg": command.leg_kind,
        "dossier": command.dossier_code,
        "state": command.state,
        "attempts": command.attempts,
        "refusal_reason": command.refusal_reason,
        "last_error": command.last_error,
    }


#: ``outbox add``'s exit code when the leg is refused (excluded from the post).
REFUSED_EXIT = 3


def _show(commands: list[OutboxCommand], as_json: bool) -> None:
    rows = [_summary(c) for c in commands]
    if as_json:
        print_json(rows)
        return
    columns = ("id", "reference", "leg", "state", "attempts", "refusal_reason", "last_error")
    headings = [say(f"cli.col.{c}") for c in columns]
    print_table(
        say("cli.outbox.title"),
        headings,
        ([_shown(c, r[c]) for c in columns] for r in rows),
        whole=headings[:2],
    )


def _shown(column: str, value: object) -> object:
    """A cell as staff read it: the leg and the state in words, the rest as stored."""
    if column == "leg":
        return say(f"report.leg_short.{value}")
    if column == "state":
        return say(f"cli.outbox.state.{value}")
    return value


def _exit_if_refused(commands: list[OutboxCommand]) -> None:
    """A refusal is a failure for the caller's script, as every other refusal is."""
    refused = [c for c in commands if c.state == OutboxState.REFUSED]
    for command in refused:
        err_console.print(
            say("cli.outbox.refused", reference=command.reference, reason=command.refusal_reason),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if refused:
        raise typer.Exit(REFUSED_EXIT)


def _register_all(registrations: list[Registration], actor: str) -> list[OutboxCommand]:
    settings = get_settings()
    ctx = build_context(settings)
    with session_scope(ctx.engine) as session:
        return [register(session, ctx, settings, r, actor=actor) for r in registrations]


@app.command("add", help=say("cli.help.outbox.add"))
def add(
    leg: Annotated[LegKind, typer.Option(help=say("cli.opt.outbox.leg"))],
    dossier: Annotated[str, typer.Option(help=say("cli.opt.outbox.dossier"))],
    procedure: Annotated[str, typer.Option(help=say("cli.opt.outbox.procedure"))],
    name: Annotated[str, typer.Option(help=say("cli.opt.outbox.name"))],
    address: Annotated[str, typer.Option(help=say("cli.opt.outbox.address"))],
    phone: Annotated[str, typer.Option(help=say("cli.opt.outbox.phone"))] = "",
    commune: Annotated[str, typer.Option(help=say("cli.opt.outbox.commune"))] = "",
    procedure_name: Annotated[str, typer.Option(help=say("cli.opt.outbox.procedure_name"))] = "",
    actor: Annotated[str, typer.Option(help=say("cli.opt.outbox.actor"))] = "cli",
    appointment_slip: Annotated[
        bool, typer.Option(help=say("cli.opt.outbox.appointment_slip"))
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Register one leg; refused at once when the procedure's leg is excluded from the post
    (then exits 3)."""
    citizen = Party(name=name, phone=phone, address=address, commune_code=commune)
    registration = Registration(leg, dossier, procedure, procedure_name, citizen, appointment_slip)
    commands = _register_all([registration], actor)
    _show(commands, as_json)
    _exit_if_refused(commands)


@app.command("import", help=say("cli.help.outbox.import"))
def import_file(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help=say("cli.opt.outbox.path"))
    ],
    actor: Annotated[str, typer.Option(help=say("cli.opt.outbox.actor"))] = "cli",
    as_json: JsonOption = False,
) -> None:
    """Register every row of a CSV (leg, dossier_code, procedure_code, procedure_name,
    citizen_name, citizen_phone, citizen_address, commune_code); all or nothing. A file is
    a batch: refused rows are reported in the summary and the command exits 0."""
    commands = _register_all(read_registrations(path), actor)
    if as_json:
        print_json([_summary(c) for c in commands])
    else:
        refused = sum(1 for c in commands if c.state == OutboxState.REFUSED)
        console.print(say("cli.outbox.summary", registered=len(commands), refused=refused))


@app.command("list", help=say("cli.help.outbox.list"))
def list_commands(
    state: Annotated[str | None, typer.Option(help=say("cli.opt.outbox.state"))] = None,
    limit: Annotated[int, typer.Option(help=say("cli.opt.outbox.limit"))] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show outbox commands, newest first."""
    with Session(get_engine()) as session:
        query = select(OutboxCommand).order_by(col(OutboxCommand.id).desc()).limit(limit)
        if state:
            query = query.where(OutboxCommand.state == state)
        _show(list(session.exec(query).all()), as_json)
