"""Every event of the sandbox post in time order, for cursor feeds such as NGSP's (brief §2).

An event's id is ``minute | order id | position`` in fixed-width hex, 24 characters like a
Mongo ``$oid``, so ids sort in time order and a cursor ("after this id") maps to a minute.
Events are gathered one day at a time: a day's events come from the orders created in the
``MAX_DAYS`` before it, a range of indices, never the whole world.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from threading import Lock

from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.timelines import MAX_MINUTES, MINUTES_PER_DAY

#: Larger than any minute: "every event, whenever it happens".
FOREVER = 1 << 31


@dataclass(frozen=True, slots=True)
class FeedEvent:
    oid: str
    order_id: int
    minute: int
    code: int


def event_id(minute: int, order_id: int, position: int) -> str:
    return f"{minute:08x}{order_id:010x}{position:06x}"


def minute_of(oid: str) -> int:
    return int(oid[:8], 16)


class EventFeed:
    def __init__(self, post: Post) -> None:
        self.post = post
        self._days: OrderedDict[tuple[int, int], list[FeedEvent]] = OrderedDict()
        self._lock = Lock()

    def of_order(self, order_id: int, now: int) -> list[FeedEvent]:
        order = self.post.order(order_id)
        if order is None or order.created > now:
            return []
        return [
            FeedEvent(event_id(minute, order_id, position), order_id, minute, code)
            for position, (minute, code) in enumerate(self.post.events(order, now))
        ]

    def after(self, last_id: str | None, since: int, now: int, limit: int) -> list[FeedEvent]:
        """Up to ``limit`` events with an id above ``last_id``, at or after minute ``since``
        and by ``now``, in id order."""
        start = max(since, minute_of(last_id) if last_id else 0, 0)
        found: list[FeedEvent] = []
        day = start // MINUTES_PER_DAY
        while len(found) < limit and day * MINUTES_PER_DAY <= now:
            events = self._day(day)
            first = bisect_right([e.oid for e in events], last_id) if last_id else 0
            for event in events[first:]:
                if event.minute > now or len(found) == limit:
                    break
                if event.minute >= since:
                    found.append(event)
            day += 1
        return found

    def _day(self, day: int) -> list[FeedEvent]:
        key = (day, self.post.version)
        with self._lock:
            cached = self._days.get(key)
        if cached is not None:
            return cached
        events = sorted(self._gather(day), key=lambda event: event.oid)
        with self._lock:
            self._days[key] = events
            while len(self._days) > 4:
                self._days.popitem(last=False)
        return events

    def _gather(self, day: int) -> Iterator[FeedEvent]:
        low, high = day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY
        world = self.post.world
        timelines = (
            (index + 1, world.skeleton(index).events)
            for index in range(world.first_index_at(low - MAX_MINUTES), world.first_index_at(high))
        )
        created = ((order.order_id, order.events) for order in self.post.created_orders())
        for source in (timelines, created):
            for order_id, timeline in source:
                events = self.post.events_of(order_id, timeline, FOREVER)
                for position, (minute, code) in enumerate(events):
                    if low <= minute < high:
                        yield FeedEvent(
                            event_id(minute, order_id, position), order_id, minute, code
                        )
