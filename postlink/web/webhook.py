"""The post's status webhooks: verify at once, apply in the background, exactly like a poll.

The receiver answers as soon as the body is verified and read (postal brief §1: the post
only needs an acknowledgement), and the orders are then applied by the same steps as a page
of the change feed (``postlink.sync.pull``): find the orders whose status we have not seen,
fetch their tracking history, and apply orders and events in one transaction.

Why not apply the webhook's orders first and fetch history later: the sync decides what
needs history from what is stored (``orders_needing_history`` compares the order's update
time with the leg's newest stored event), and a half-applied webhook would leave the leg's
status ahead of its events. So nothing is written until the history is in hand: if the
post's history call fails, the webhook changes nothing and the next poll does the whole job.
A replayed webhook finds nothing new, fetches nothing, and its upserts change nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from sqlmodel import Session

from postlink.db import session_scope
from postlink.postal.errors import PostalError
from postlink.postal.models import Order, Quarantined
from postlink.sync.apply import (
    apply_orders,
    fetch_histories,
    newest_per_reference,
    orders_needing_history,
)
from postlink.web.state import WebState

log = logging.getLogger("postlink.webhook")

SOURCE = "webhook"


def apply_webhook(
    web: WebState, orders: Sequence[Order], bad: Sequence[Quarantined]
) -> Counter[str]:
    """Fetch history for the orders that moved, then apply everything in one transaction."""
    ctx = web.ctx
    with web.webhook_lock:
        batch = newest_per_reference(orders)
        with Session(ctx.engine) as session:
            changed = orders_needing_history(session, ctx.adapter.name, batch)
        try:
            histories, unreadable = fetch_histories(ctx.adapter, changed)
        except PostalError as exc:
            log.warning("webhook orders=%d left to the next poll: %s", len(batch), exc)
            return Counter(deferred=len(batch))
        with session_scope(ctx.engine) as session:
            counts = apply_orders(
                session, ctx, batch, histories, [*bad, *unreadable], source=SOURCE
            )
        counts["histories"] += len(changed)
        log.info("webhook applied %s", dict(counts))
        return counts
