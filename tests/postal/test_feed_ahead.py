"""The MyVNPost feed fetches pages ahead of the one being read (issue 4's bench): every page
is requested once, pages are read in the walk's order, and a guess past a feed's end costs
at most one request."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

from postlink import defaults
from postlink.postal.http import ExchangeRecord
from postlink.postal.myvnpost.cursor import FeedCursor
from postlink.postal.myvnpost.mapping import FeedType
from tests.postal.fixtures import SandboxHandle

Position = tuple[FeedType, int]


def requested_pages(records: list[ExchangeRecord]) -> Counter[Position]:
    pages: Counter[Position] = Counter()
    for record in records:
        if record.operation == "GetListOrder":
            query = parse_qs(urlsplit(record.url).query)
            pages[FeedType(query["type"][0]), int(query["page"][0])] += 1
    return pages


def test_pages_ahead_are_requested_once_and_read_in_the_walks_order(
    sandbox_server: SandboxHandle,
) -> None:
    assert defaults.POSTAL_FEED_PAGES_AHEAD >= 2, "this test is about requests made ahead"
    records: list[ExchangeRecord] = []
    adapter = sandbox_server.adapter(records.append)
    pages = list(adapter.changes(None))
    following = [FeedCursor.decode(page.cursor) for page in pages]
    assert following[-1].to is None, "the pass ends between passes"
    read: list[Position] = [(FeedType.GUI, 0)]
    read += [(cursor.feed, cursor.page) for cursor in following[:-1]]
    walk = sorted(read, key=lambda position: (position[0] != FeedType.GUI, position[1]))
    assert read == walk
    assert len(set(read)) == len(read)
    assert {feed for feed, _ in read} == {FeedType.GUI, FeedType.NHAN}

    requested = requested_pages(records)
    assert set(requested.values()) == {1}, f"a page was requested twice: {requested}"
    assert set(read) <= set(requested)
    last_read = {feed: max(page for f, page in read if f is feed) for feed in FeedType}
    for feed, page in set(requested) - set(read):
        assert page == last_read[feed] + 1, f"{feed} page {page} was guessed needlessly"

    truth = sandbox_server.control.truth()["orders"]
    assert sum(len(page.orders) for page in pages) >= len(truth)
    assert {o.order_id for page in pages for o in page.orders} == {r["order_id"] for r in truth}
