"""The pull job: read the post's change feed from the persisted cursor and apply it.

Per page: read the orders (HTTP), find those whose status we have not seen, fetch their
tracking history (HTTP, outside any transaction), then apply everything and move the cursor
in one transaction. Killed between any two of those steps, the next run starts again from
the last committed cursor.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from postlink.db import session_scope
from postlink.postal.models import Event as PostalEvent
from postlink.postal.models import Order, Page
from postlink.postal.models import Quarantined as PostalQuarantined
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


@dataclass(frozen=True)
class Prepared:
    """A batch of orders with the tracking history fetched for those that may have moved."""

    batch: list[Order]
    histories: dict[str, list[PostalEvent]]
    quarantined: list[PostalQuarantined]
    fetched: int


def prepare(ctx: SyncContext, orders: Sequence[Order]) -> Prepared:
    """The network half of applying orders (outside any transaction): one order per
    reference, and the history of those new to us or updated since their newest event.
    The pull, the backfill and the quarantine replay all go through here."""
    batch = newest_per_reference(orders)
    with Session(ctx.engine) as session:
        changed = orders_needing_history(session, ctx.adapter.name, batch)
    histories, bad = fetch_histories(ctx.adapter, changed)
    return Prepared(batch, histories, bad, len(changed))


def ingest_page(
    ctx: SyncContext,
    page: Page,
    counts: Counter[str],
    *,
    feed: str | None,
    lease: HeldLease | None = None,
    source: str = "poll",
) -> None:
    """Apply one feed page in one transaction, with the cursor when ``feed`` is given (the
    pull) and without it when not (the backfill, which must never move it)."""
    ready = prepare(ctx, page.orders)
    if lease is not None and lease.lost:
        raise LeaseLost(f"lease on {feed} lost; stopping before page write")
    with session_scope(ctx.engine) as session:
        counts.update(
            apply_orders(
                session,
                ctx,
                ready.batch,
                ready.histories,
                [*page.quarantined, *ready.quarantined],
                source=source,
            )
        )
        if feed is not None:
            save_cursor(session, feed, page.cursor)
    counts["pages"] += 1
    counts["histories"] += ready.fetched


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
        ingest_page(ctx, page, counts, feed=feed, lease=lease)
