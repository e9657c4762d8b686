"""``postlink worker``, ``sync``, ``status`` and ``rematch``: the daemon and its health."""

from __future__ import annotations

from typing import Annotated

import typer

from postlink import logs, schema
from postlink.cli.output import (
    JsonOption,
    console,
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


def worker() -> None:
    """Run the sync daemon in the foreground until SIGTERM/SIGINT."""
    from postlink.sync.jobs import build_context
    from postlink.sync.scheduler import run_worker

    settings = get_settings()
    logs.configure(settings)
    run_worker(build_context(settings), settings)


def sync(
    once: Annotated[bool, typer.Option("--once", help="Run every job once and exit.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Run every job once (pull, push, deadlines, housekeeping) and exit; for cron and tests."""
    from postlink.sync.jobs import JOBS, build_context, run_job

    if not once:
        raise PostlinkError("use `postlink sync --once`, or `postlink worker` to keep running")
    settings = get_settings()
    logs.configure(settings)
    ctx = build_context(settings)
    ran = {job.name: run_job(job, ctx, settings) for job in JOBS}
    ctx.adapter.close()
    if as_json:
        print_json({"ran": ran})
    else:
        for name, did in ran.items():
            console.print(f"{name}: {'done' if did else 'skipped (another worker holds it)'}")


def status(as_json: JsonOption = False) -> None:
    """Health of every job, lag behind the post, backlog; exits 1 when a job is stale."""
    settings = get_settings()
    schema.require_current(get_engine())
    report = health.collect(get_engine(), settings)
    if as_json:
        print_json(report)
    else:
        tz = settings.tz
        rows = [
            (
                j["job"],
                format_local(j["last_run_at"], tz),
                j["last_outcome"] or "",
                format_local(j["last_success_at"], tz),
                "ok" if j["healthy"] else "STALE",
                j["last_error"][:80],
            )
            for j in report["jobs"]
        ]
        print_table("Jobs", ("job", "last run", "outcome", "last success", "health", "error"), rows)
        print_pairs("Backlog", {k: v for k, v in report.items() if k not in ("jobs",)})
    if not report["healthy"]:
        raise typer.Exit(1)


def rematch(
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    actor: Annotated[str, typer.Option(help="Who asks for it.")] = "admin",
    since: Annotated[str | None, typer.Option("--from", help="First J date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last J date, YYYY-MM-DD.")] = None,
    procedure: Annotated[str | None, typer.Option(help="Only this procedure code.")] = None,
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
        print_pairs("Re-match", changes)
