"""Where the MyVNPost change feed stands: a date window, a feed type and a page.

GetListOrder filters on the date of each order's last update, with date granularity
(brief §1). A pass reads one window, ``[from, to]`` with ``to`` the day after the pass began,
page by page, GUI then NHAN. Why this never skips a record:

- the window's end lies after every update made during the pass, so an order updated while
  we page stays in the window: records can only enter it, never leave, and with pages in a
  stable order (the sandbox and, as far as is known, the post order by order id) an entering
  record shifts later ones right, which re-reads a record instead of skipping one;
- an order updated after the pass began has a last-update date ≥ the pass's first day, and
  the next pass starts ``overlap`` days before that day, so it reads it again;
- a cursor persisted mid-pass is resumed only while its window is still current (same end
  date); after midnight the pass restarts from its ``from`` so the rule above holds.

The first pass, with no cursor, starts ``lookback`` days ago. Re-reading is fine: the sync
upserts idempotently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from postlink.postal.errors import PostalError
from postlink.postal.myvnpost.mapping import FeedType

FEEDS = (FeedType.GUI, FeedType.NHAN)


@dataclass(frozen=True, slots=True)
class FeedCursor:
    """``to`` None: between passes, the next starts at ``start``. Else mid-pass."""

    start: date
    to: date | None = None
    feed: FeedType = FeedType.GUI
    page: int = 0

    def encode(self) -> str:
        return json.dumps(
            {
                "v": 1,
                "from": self.start.isoformat(),
                "to": self.to.isoformat() if self.to else None,
                "feed": self.feed.value,
                "page": self.page,
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        try:
            data = json.loads(text)
            to = data["to"]
            cursor = cls(
                start=date.fromisoformat(data["from"]),
                to=date.fromisoformat(to) if to else None,
                feed=FeedType(data["feed"]),
                page=int(data["page"]),
            )
        except (ValueError, KeyError, TypeError):
            raise PostalError(code="postal.cursor.unreadable", cursor=text[:80]) from None
        if data.get("v") != 1 or cursor.page < 0:
            raise PostalError(code="postal.cursor.unreadable", cursor=text[:80])
        return cursor


def begin(cursor: str | None, today: date, lookback_days: int) -> FeedCursor:
    """The position a call to ``changes`` starts from, ``today`` being the Vietnam date."""
    window_end = today + timedelta(days=1)
    if cursor is None:
        return FeedCursor(start=today - timedelta(days=lookback_days), to=window_end)
    position = FeedCursor.decode(cursor)
    if position.to == window_end:
        return position
    return FeedCursor(start=position.start, to=window_end)


def after_page(position: FeedCursor, short: bool, overlap_days: int) -> FeedCursor:
    """The position after a page was read; a short page ends its feed, NHAN ends the pass."""
    if not short:
        return replace(position, page=position.page + 1)
    if position.feed is FeedType.GUI:
        return replace(position, feed=FeedType.NHAN, page=0)
    assert position.to is not None
    pass_began = position.to - timedelta(days=1)
    return FeedCursor(start=pass_began - timedelta(days=overlap_days))
