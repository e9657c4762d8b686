"""One ingest: what the pull does with a feed page and the webhook with the orders it looked
up at the post (issue 13 §1: the webhook must not repeat the pull's per-page steps).

The steps: keep the newest record per reference, find those that may hold events we lack,
fetch their tracking history (HTTP, before any transaction opens, so a slow post never
holds database locks), then in one transaction quarantine what cannot be read, upsert
dossiers, legs and events, fold each leg's lifecycle, set its J date and deadline, judge it
against the list in force, and, for a feed page, move the cursor (``sync/apply.py`` holds
each step). Nothing is written until the history is in hand: if the post fails meanwhile,
the batch changes nothing and is read again on the next run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from sqlmodel import Session

from postlink.db import session_scope
from postlink.postal.models import Order
from postlink.postal.models import Quarantined as PostalQuarantined
from postlink.sync.apply import (
    SyncContext,
    apply_orders,
    fetch_histories,
    newest_per_reference,
    orders_needing_history,
    save_cursor,
)


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
    batch = newest_per_reference(orders)
    with Session(ctx.engine) as session:
        changed = orders_needing_history(session, ctx.adapter.name, batch)
    histories, unreadable = fetch_histories(ctx.adapter, changed)
    if before_write is not None:
        before_write()
    with session_scope(ctx.engine) as session:
        counts = apply_orders(
            session, ctx, batch, histories, [*quarantined, *unreadable], source=source
        )
        if cursor is not None:
            save_cursor(session, *cursor)
    counts["histories"] += len(changed)
    return counts
