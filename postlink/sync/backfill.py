"""``postlink sync backfill``: read a past window of the change feed again (issue 16).

The pull's cursor only moves forward, so orders it passed (quarantined then, or missed by
an old version) are not read again. A backfill walks the feed from a chosen date through
the same ingest path as the pull (``legs.ingest``: history fetched, legs and
events upserted idempotently) but never writes the cursor: re-running it, or running it
while the worker pulls, changes nothing already stored and cannot move the cursor back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from postlink.errors import PostlinkError
from postlink.legs.apply import SyncContext
from postlink.legs.ingest import ingest
from postlink.timeutil import local_date, utcnow


class BackfillError(PostlinkError):
    """A window the feed cannot be read over."""


def _start_cursor(ctx: SyncContext, since: date) -> str:
    """The feed position at the start of ``since``: MyVNPost's feed is a date window."""
    if ctx.adapter.name != "myvnpost":
        raise BackfillError(
            f"backfill theo ngày cần luồng MyVNPost, không dùng được với {ctx.adapter.name}"
            f" / a backfill by date needs the MyVNPost feed, not {ctx.adapter.name}"
        )
    from postlink.postal.myvnpost.cursor import FeedCursor

    return FeedCursor(start=since).encode()


def backfill(ctx: SyncContext, since: date, until: date | None = None) -> Counter[str]:
    """Apply every order last updated between ``since`` and ``until`` (Vietnam dates,
    inclusive; ``until`` defaults to today). Orders updated after ``until`` are skipped:
    the pull brings them."""
    if since > local_date(utcnow(), ctx.tz):
        raise BackfillError(code="backfill.from_future", since=f"{since:%d/%m/%Y}")
    if until is not None and until < since:
        raise BackfillError(
            code="backfill.reversed", since=f"{since:%d/%m/%Y}", until=f"{until:%d/%m/%Y}"
        )
    counts: Counter[str] = Counter()
    for page in ctx.adapter.changes(_start_cursor(ctx, since)):
        if until is not None:
            kept = [
                o
                for o in page.orders
                if o.updated_at is None or local_date(o.updated_at, ctx.tz) <= until
            ]
            counts["skipped_after_window"] += len(page.orders) - len(kept)
            page = replace(page, orders=kept)
        counts.update(ingest(ctx, page.orders, page.quarantined, source="backfill"))
        counts["pages"] += 1
    return counts
