"""``postlink postal``: check the connection, read and purge the exchange log."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, console, print_json, print_pairs, print_table
from postlink.postal import exchange_log
from postlink.postal.adapter import get_adapter
from postlink.postal.retention import mask_old_bodies
from postlink.settings import get_settings
from postlink.timeutil import format_local
from postlink.words import say

app = WordedTyper(help=say("cli.help.postal"), no_args_is_help=True)


@app.command("check", help=say("cli.help.postal.check"))
def check(as_json: JsonOption = False) -> None:
    """Log in to the configured postal API and read the first page of the change feed."""
    settings = get_settings()
    adapter = get_adapter(settings, exchange_log.DatabaseRecorder())
    try:
        page = next(iter(adapter.changes(None)))
    finally:
        adapter.close()
    reasons = Counter(record.reason for record in page.quarantined)
    result = {
        "adapter": adapter.name,
        "base_url": settings.postal_base_url,
        "login": "ok",
        "orders_on_first_page": len(page.orders),
        "quarantined_on_first_page": len(page.quarantined),
        "quarantine_reasons": [{"reason": r, "count": n} for r, n in reasons.most_common()],
    }
    if as_json:
        print_json(result)
        return
    shown = {
        say(f"cli.postal.field.{k}"): v for k, v in result.items() if k != "quarantine_reasons"
    } | {say("cli.postal.field.login"): say("cli.health.ok")}
    print_pairs(say("cli.postal.title"), shown)
    if reasons:
        print_table(
            say("cli.postal.would_quarantine"),
            (say("cli.col.count"), say("cli.col.reason")),
            ((n, r) for r, n in reasons.most_common()),
        )


@app.command("log", help=say("cli.help.postal.log"))
def show_log(
    limit: Annotated[int, typer.Option(min=1, help=say("cli.opt.postal.limit"))] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show the newest postal requests and responses (secrets redacted)."""
    rows = exchange_log.recent(limit)
    if as_json:
        print_json([row.model_dump() for row in rows])
        return
    tz = get_settings().tz
    table: list[list[Any]] = [
        [
            format_local(row.at, tz),
            row.operation,
            row.method,
            urlsplit(row.url).path,
            row.status_code or "-",
            row.attempt,
            row.duration_ms,
            row.error,
        ]
        for row in rows
    ]
    columns = ("at", "operation", "method", "path", "status", "attempt", "ms", "error")
    headings = [say(f"cli.col.{c}") for c in columns]
    print_table(say("cli.postal.log"), headings, table, whole=(headings[0], headings[3]))


@app.command("purge-log", help=say("cli.help.postal.purge_log"))
def purge_log(as_json: JsonOption = False) -> None:
    """Delete exchanges older than POSTLINK_EXCHANGE_LOG_RETENTION_DAYS."""
    days = get_settings().exchange_log_retention_days
    deleted = exchange_log.purge(timedelta(days=days))
    if as_json:
        print_json({"deleted": deleted, "retention_days": days})
    else:
        console.print(say("cli.postal.purged", deleted=deleted, days=days))


@app.command("mask-bodies", help=say("privacy.help.mask"))
def mask_bodies(as_json: JsonOption = False) -> None:
    """By hand what housekeeping does daily (``postal.retention``): after a shorter
    POSTLINK_RAW_BODY_RETENTION_DAYS is set, or before handing a database copy over."""
    days = get_settings().raw_body_retention_days
    masked = mask_old_bodies(timedelta(days=days))
    if as_json:
        print_json(masked.as_dict() | {"raw_body_retention_days": days})
    else:
        console.print(
            say(
                "privacy.masked",
                exchanges=masked.exchanges,
                quarantined=masked.quarantined,
                days=days,
            )
        )
