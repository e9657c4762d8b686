"""One ingest: what the pull does with a feed page, the backfill with a past window, the
quarantine replay with re-read records and the webhook with the orders it looked up at the
post (issue 13 §1: none of them repeats the per-page steps).

The steps: keep the newest record per reference, find those that may hold events we lack,
fetch their tracking history (HTTP, before any transaction opens, so a slow post never
holds database locks), then in one transaction quarantine what cannot be read, upsert
dossiers, legs and events, fold each leg's lifecycle, set its J date and deadline, judge it
against the list in force, and, for a feed page, move the cursor (``legs/apply.py`` holds
each step). Nothing is written until the history is in hand: if the post fails meanwhile,
the batch changes nothing and is read again on the next run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from postlink.db import session_scope
from postlink.legs.apply import (
    SyncContext,
    apply_orders,
    fetch_histories,
    newest_per_reference,
    orders_needing_history,
    save_cursor,
)
from postlink.postal.models import Event as PostalEvent
from postlink.postal.models import Order
from postlink.postal.models import Quarantined as PostalQuarantined


@dataclass(frozen=True)
class Prepared:
    """A batch of orders with the tracking history fetched for those that may have moved."""

    batch: list[Order]
    histories: dict[str, list[PostalEvent]]
    quarantined: list[PostalQuarantined]
    fetched: int


def prepare(ctx: SyncContext, orders: Sequence[Order]) -> Prepared:
    """The network half of ingesting (outside any transaction): one order per reference,
    and the history of those new to us or updated since their newest event."""
    batch = newest_per_reference(orders)
    with Session(ctx.engine) as session:
        changed = orders_needing_history(session, ctx.adapter.name, batch)
    histories, unreadable = fetch_histories(ctx.adapter, changed)
    return Prepared(batch, histories, unreadable, len(changed))


def ingest(
    ctx: SyncContext,
    orders: Sequence[Order],
    quarantined: Sequence[PostalQuarantined],
    *,
    source: str,
    cursor: tuple[str, str] | None = None,
    before_write: Callable[[], None] | None = None,
) -> Counter[str]:
    """Apply one batch as described above; ``cursor`` is ``(feed, position)`` to store with
    it, ``before_write`` a last check (the pull's lease) that may raise to write nothing."""
    return write(
        ctx,
        prepare(ctx, orders),
        quarantined,
        source=source,
        cursor=cursor,
        before_write=before_write,
    )


def write(
    ctx: SyncContext,
    ready: Prepared,
    quarantined: Sequence[PostalQuarantined],
    *,
    source: str,
    cursor: tuple[str, str] | None = None,
    before_write: Callable[[], None] | None = None,
) -> Counter[str]:
    """The database half of ``ingest``: one transaction for the batch and its cursor."""
    if before_write is not None:
        before_write()
    with session_scope(ctx.engine) as session:
        counts = apply_orders(
            session,
            ctx,
            ready.batch,
            ready.histories,
            [*quarantined, *ready.quarantined],
            source=source,
        )
        if cursor is not None:
            save_cursor(session, *cursor)
    counts["histories"] += ready.fetched
    return counts
