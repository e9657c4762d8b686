"""The pull job: read the post's change feed from the persisted cursor and apply it.

Per page: read the orders (HTTP), find those whose status we have not seen, fetch their
tracking history (HTTP, outside any transaction), then apply everything and move the cursor
in one transaction. Killed between any two of those steps, the next run starts again from
the last committed cursor.
"""

from __future__ import annotations

import threading
from collections import Counter

from sqlmodel import Session

from postlink.db import session_scope
from postlink.sync.apply import (
    SyncContext,
    apply_orders,
    fetch_histories,
    load_cursor,
    newest_per_reference,
    orders_needing_history,
    save_cursor,
)
from postlink.sync.leases import HeldLease


class LeaseLost(RuntimeError):
    """Another worker took over this job; stop before writing anything more."""


def feed_name(ctx: SyncContext) -> str:
    return f"{ctx.adapter.name}:changes"


def pull(
    ctx: SyncContext,
    counts: Counter[str],
    lease: HeldLease | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Read the feed to its end, one committed page at a time; ``stop`` ends it between
    pages (after a commit), as the worker does on SIGTERM."""
    feed = feed_name(ctx)
    for page in ctx.adapter.changes(load_cursor(ctx.engine, feed)):
        if stop is not None and stop.is_set():
            counts["stopped"] = 1
            return
        batch = newest_per_reference(page.orders)
        with Session(ctx.engine) as session:
            changed = orders_needing_history(session, ctx.adapter.name, batch)
        histories, bad = fetch_histories(ctx.adapter, changed)
        if lease is not None and lease.lost:
            raise LeaseLost(f"lease on {feed} lost; stopping before page write")
        with session_scope(ctx.engine) as session:
            counts.update(
                apply_orders(
                    session, ctx, batch, histories, [*page.quarantined, *bad], source="poll"
                )
            )
            save_cursor(session, feed, page.cursor)
        counts["pages"] += 1
        counts["histories"] += len(changed)
