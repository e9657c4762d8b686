"""The pull job: read the post's change feed from the persisted cursor and apply it.

Per page: read the orders (HTTP), then ``legs.ingest`` (the same steps as a webhook's
orders): fetch the tracking history of those that moved, apply everything and move the
cursor in one transaction. Killed between any two of those steps, the next run starts
again from the last committed cursor.

The network and the database take turns no longer (issue 15 §3): while page N is written,
one helper thread fetches page N+1's histories (``ingest.prepare``). What stays as it was:
feed pages are requested one after the other, in order, by this thread (an earlier
prefetch that let pages be requested out of order skipped orders); pages are written in
feed order, each with its cursor in its own transaction, so a page's cursor is stored only
after every page before it; and the stop flag and the lease are checked before each write.
Prefetching reads the legs before the page ahead is written, so at worst it fetches a
history the write then finds already stored (harmless: events are upserts), never fewer.
The calls' exchange-log rows wait in one batch for the whole pass and are written by this
thread after each page's transaction, so they never wait on SQLite's one writer beside it.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

from postlink.legs.apply import SyncContext, load_cursor
from postlink.legs.ingest import Prepared, prepare, write
from postlink.postal import exchange_log
from postlink.postal.errors import PostalStopped
from postlink.postal.models import Page
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
    """Read the feed to its end, one committed page at a time (``legs.ingest``); ``stop``
    ends it between pages, or between two tracking calls of a page (which is then left for
    the next run, its cursor unmoved), as the worker does on SIGTERM."""
    feed = feed_name(ctx)

    def still_ours() -> None:
        if lease is not None and lease.lost:
            raise LeaseLost(
                f"mất quyền giữ {feed}; dừng trước khi ghi trang / lease on {feed} lost; "
                "stopping before page write"
            )

    def stopped() -> bool:
        if stop is not None and stop.is_set():
            counts["stopped"] = 1
            return True
        return False

    def commit(page: Page, ready: Future[Prepared]) -> None:
        counts.update(
            write(
                ctx,
                ready.result(),
                page.quarantined,
                source="poll",
                cursor=(feed, page.cursor),
                before_write=still_ours,
            )
        )
        counts["pages"] += 1
        exchange_log.flush_waiting()

    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="postal-prefetch")
    with exchange_log.batched():  # written by ``commit``, between page transactions
        try:
            waiting: tuple[Page, Future[Prepared]] | None = None
            for page in ctx.adapter.changes(load_cursor(ctx.engine, feed)):
                if stopped():
                    return
                fetching = (page, ahead.submit(prepare, ctx, page.orders))
                if waiting is not None:
                    commit(*waiting)
                    if stopped():
                        return
                waiting = fetching
            if waiting is not None:
                commit(*waiting)
        except PostalStopped:
            counts["stopped"] = 1
        finally:
            ahead.shutdown(wait=True, cancel_futures=True)
