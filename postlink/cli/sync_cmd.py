"""``postlink worker``, ``sync`` (and ``sync backfill``), ``status``, ``rematch`` and ``refold``:
the daemon and its health."""

from __future__ import annotations

from typing import Annotated

import typer

from postlink import logs, schema
from postlink.cli.framework import WordedTyper
from postlink.cli.output import (
    JsonOption,
    console,
    field_label,
    parse_date,
    print_json,
    print_pairs,
    print_table,
)
from postlink.db import get_engine, session_scope
from postlink.errors import PostlinkError
from postlink.settings import get_settings
from postlink.sync import status as health
from postlink.timeutil import format_local
from postlink.words import say, value_word


def worker() -> None:
    """Run the sync daemon in the foreground until SIGTERM/SIGINT."""
    from postlink.sync.jobs import build_context
    from postlink.sync.scheduler import run_worker
    from postlink.worker import JOBS

    settings = get_settings()
    logs.configure(settings)
    run_worker(build_context(settings), settings, JOBS)


def sync(
    context: typer.Context,
    once: Annotated[bool, typer.Option("--once", help=say("cli.opt.sync.once"))] = False,
    as_json: JsonOption = False,
) -> None:
    """Run every job once (--once) and exit, or re-read a past window (backfill).

    ``--once`` runs pull, push, deadlines and housekeeping once; for cron and tests."""
    from postlink.sync.jobs import build_context, run_job
    from postlink.worker import JOBS

    if context.invoked_subcommand is not None:
        return
    if not once:
        raise PostlinkError(code="cli.sync.how")
    settings = get_settings()
    logs.configure(settings)
    ctx = build_context(settings)
    ran = {job.name: run_job(job, ctx, settings) for job in JOBS}
    ctx.adapter.close()
    if as_json:
        print_json({"ran": ran})
    else:
        for name, did in ran.items():
            console.print(say("cli.sync.done" if did else "cli.sync.skipped", job=name))


def backfill(
    since: Annotated[str, typer.Option("--from", help=say("cli.opt.backfill.from"))],
    until: Annotated[str | None, typer.Option("--to", help=say("cli.opt.backfill.to"))] = None,
    as_json: JsonOption = False,
) -> None:
    """Đọc lại một khoảng ngày của luồng thay đổi / re-read a past window of the change feed
    (idempotent; the stored cursor is never moved)."""
    from postlink.sync.backfill import backfill as run_backfill
    from postlink.sync.jobs import build_context

    first = parse_date("--from", since)
    assert first is not None
    settings = get_settings()
    logs.configure(settings)
    ctx = build_context(settings)
    try:
        counts = run_backfill(ctx, first, parse_date("--to", until))
    finally:
        ctx.adapter.close()
    if as_json:
        print_json(dict(counts))
    else:
        print_pairs(say("cli.backfill.title"), dict(counts))


def refold(
    reason: Annotated[str, typer.Option(help=say("cli.opt.why"))],
    actor: Annotated[str, typer.Option(help=say("cli.opt.requested_by"))] = "admin",
    as_json: JsonOption = False,
) -> None:
    """Gấp lại các chặng mang mã trạng thái mới khai báo / re-fold legs with newly mapped codes.

    After an admin maps a carrier code in the status table, the legs that carry it are folded
    again (audited)."""
    from postlink.sync.jobs import build_context
    from postlink.sync.refold import refold as refold_legs

    settings = get_settings()
    ctx = build_context(settings)
    try:
        with session_scope(ctx.engine) as session:
            changes = refold_legs(session, ctx, actor=actor, reason=reason)
    finally:
        ctx.adapter.close()
    if as_json:
        print_json(changes)
    else:
        print_pairs(say("cli.refold.title"), changes)


def _worded(kind: str, value: str | None) -> str:
    """A job's name or a run's outcome as staff read it (``value.job.pull``); a value the
    catalogue does not know is shown as stored."""
    return (value_word(kind, value) or value) if value else ""


def _state_label(state: str) -> str:
    labels = {
        "healthy": say("cli.state.healthy"),
        "degraded": say("cli.state.degraded"),
        "stale": say("cli.state.stale"),
    }
    return labels[state]


def status(
    as_json: JsonOption = False,
    runs: Annotated[int, typer.Option("--runs", min=0, help=say("cli.opt.status.runs"))] = 0,
) -> None:
    """Health, its problems and what to do; exits 0 healthy, 1 degraded, 2 stale."""
    settings = get_settings()
    schema.require_current(get_engine())
    report = health.collect(get_engine(), settings, runs)
    if as_json:
        print_json(report)
    else:
        tz = settings.tz
        state = _state_label(report["state"])
        console.print(say("cli.status.state", state=state), highlight=False)
        for problem in report["problems"]:
            console.print(
                f"- {problem['title']} [{problem['code']}] ({problem['count']}):"
                f" {problem['first_reason']}\n  → {problem['action_cli']}",
                markup=False,
                highlight=False,
            )
        rows = [
            (
                _worded("job", j["job"]),
                format_local(j["last_run_at"], tz),
                _worded("outcome", j["last_outcome"]),
                format_local(j["last_success_at"], tz),
                say("cli.health.ok") if j["healthy"] else say("cli.health.stale"),
                j["last_error"][:80],
            )
            for j in report["jobs"]
        ]
        columns = ("job", "last_run", "outcome", "last_success", "health", "error")
        print_table(say("cli.status.jobs"), [say(f"cli.col.{c}") for c in columns], rows)
        if runs:
            print_table(
                say("cli.status.runs"),
                [say(f"cli.col.{c}") for c in ("job", "instance", "started", "finished")]
                + [say("cli.col.outcome"), say("cli.col.error")],
                (
                    (
                        _worded("job", r["job"]),
                        r["instance"],
                        format_local(r["started_at"], tz),
                        format_local(r["finished_at"], tz),
                        _worded("outcome", r["outcome"]),
                        r["error"][:80],
                    )
                    for r in report["history"]
                ),
            )
        skip = (
            *("jobs", "problems", "unknown_status_codes", "state", "healthy"),
            *("exit_code", "history"),
        )
        backlog = {
            field_label("cli.status.field", k): v for k, v in report.items() if k not in skip
        }
        print_pairs(say("cli.status.backlog"), backlog)
    if report["exit_code"]:
        raise typer.Exit(report["exit_code"])


def rematch(
    reason: Annotated[str, typer.Option(help=say("cli.opt.why"))],
    actor: Annotated[str, typer.Option(help=say("cli.opt.requested_by"))] = "admin",
    since: Annotated[str | None, typer.Option("--from", help=say("cli.opt.rematch.from"))] = None,
    until: Annotated[str | None, typer.Option("--to", help=say("cli.opt.rematch.to"))] = None,
    procedure: Annotated[str | None, typer.Option(help=say("cli.opt.rematch.procedure"))] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-judge legs against the lists published now (audited)."""
    from postlink.sync.jobs import build_context
    from postlink.sync.rematch import rematch as rematch_legs

    settings = get_settings()
    ctx = build_context(settings)
    with session_scope(ctx.engine) as session:
        changes = rematch_legs(
            session,
            ctx,
            actor=actor,
            reason=reason,
            since=parse_date("--from", since),
            until=parse_date("--to", until),
            procedure=procedure,
        )
    if as_json:
        print_json(changes)
    else:
        print_pairs(say("cli.rematch.title"), changes)


#: ``postlink sync`` (``--once``) with its ``backfill`` subcommand; ``postlink.cli`` loads it
#: when the command runs.
sync_app = WordedTyper(invoke_without_command=True, no_args_is_help=False)
sync_app.callback()(sync)
sync_app.command("backfill", help=say("cli.help.sync.backfill"))(backfill)
