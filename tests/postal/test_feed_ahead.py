"""The MyVNPost feed is fetched by a background thread while pages are parsed (issue 4's
bench), yet the post still sees the pass cursor.py reasons about: each page asked for once,
in order, and only after the one before it has come back."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from postlink.postal.errors import PostalProtocolError
from postlink.postal.http import ExchangeRecord
from postlink.postal.myvnpost.adapter import MyVNPostAdapter
from postlink.postal.myvnpost.cursor import FeedCursor
from postlink.postal.myvnpost.mapping import FeedType
from tests.postal.fixtures import SandboxHandle

Position = tuple[FeedType, int]


def requested_pages(records: list[ExchangeRecord]) -> list[Position]:
    pages: list[Position] = []
    for record in records:
        if record.operation == "GetListOrder":
            query = parse_qs(urlsplit(record.url).query)
            pages.append((FeedType(query["type"][0]), int(query["page"][0])))
    return pages


class Watched:
    """Counts how many page fetches of ``adapter`` are in flight at once (the fetch itself
    stays the real client over real HTTP)."""

    def __init__(self, adapter: MyVNPostAdapter) -> None:
        self.fetch = adapter._feed_page
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        adapter._feed_page = self  # type: ignore[method-assign]

    def __call__(self, position: FeedCursor) -> Any:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        try:
            return self.fetch(position)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_pages_are_asked_for_once_in_order_one_at_a_time(sandbox_server: SandboxHandle) -> None:
    records: list[ExchangeRecord] = []
    adapter = sandbox_server.adapter(records.append)
    watched = Watched(adapter)
    pages = list(adapter.changes(None))
    following = [FeedCursor.decode(page.cursor) for page in pages]
    assert following[-1].to is None, "the pass ends between passes"
    read: list[Position] = [(FeedType.GUI, 0)]
    read += [(cursor.feed, cursor.page) for cursor in following[:-1]]
    walk = sorted(read, key=lambda position: (position[0] != FeedType.GUI, position[1]))
    assert read == walk
    assert {feed for feed, _ in read} == {FeedType.GUI, FeedType.NHAN}
    assert requested_pages(records) == read, "each page asked for once, in the walk's order"
    assert watched.most == 1, "a page is asked for only once the one before has come back"

    truth = sandbox_server.control.truth()["orders"]
    assert {o.order_id for page in pages for o in page.orders} == {r["order_id"] for r in truth}


def test_a_reader_that_stops_early_stops_the_fetching(sandbox_server: SandboxHandle) -> None:
    records: list[ExchangeRecord] = []
    feed = sandbox_server.adapter(records.append).changes(None)
    next(feed)
    feed.close()
    asked = len(requested_pages(records))
    assert not [t for t in threading.enumerate() if t.name == "postal-feed"]
    assert asked <= 4, "at most the pages waiting to be read were fetched"


def test_a_fetch_error_reaches_the_reader(sandbox_server: SandboxHandle) -> None:
    adapter = sandbox_server.adapter()
    fetch = adapter._feed_page
    calls = Counter[str]()

    def failing_second(position: FeedCursor) -> Any:
        calls["pages"] += 1
        if calls["pages"] == 2:
            return {"unexpected": "shape"}
        return fetch(position)

    adapter._feed_page = failing_second  # type: ignore[method-assign]
    feed = adapter.changes(None)
    assert next(feed).orders
    with pytest.raises(PostalProtocolError, match="GetListOrder"):
        next(feed)
