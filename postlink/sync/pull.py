"""The pull job: read the post's change feed from the persisted cursor and apply it.

Per page: read the orders (HTTP), then ``sync.ingest`` (the same steps as a webhook's
orders): fetch the tracking history of those that moved, apply everything and move the
cursor in one transaction. Killed between any two of those steps, the next run starts
again from the last committed cursor.
"""

from __future__ import annotations

import threading
from collections import Counter

from postlink.postal.errors import PostalStopped
from postlink.sync.apply import SyncContext, load_cursor
from postlink.sync.ingest import ingest
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
    """Read the feed to its end, one committed page at a time (``sync.ingest``); ``stop``
    ends it between pages, or between two tracking calls of a page (which is then left for
    the next run, its cursor unmoved), as the worker does on SIGTERM."""
    feed = feed_name(ctx)

    def still_ours() -> None:
        if lease is not None and lease.lost:
            raise LeaseLost(f"lease on {feed} lost; stopping before page write")

    try:
        for page in ctx.adapter.changes(load_cursor(ctx.engine, feed)):
            if stop is not None and stop.is_set():
                counts["stopped"] = 1
                return
            counts.update(
                ingest(
                    ctx,
                    page.orders,
                    page.quarantined,
                    source="poll",
                    cursor=(feed, page.cursor),
                    before_write=still_ours,
                )
            )
            counts["pages"] += 1
    except PostalStopped:
        counts["stopped"] = 1
