"""What the sandbox post holds now: the seeded world plus what clients changed.

Only orders created through the API and cancellations are stored; everything else is
recomputed from the world. The change feed answers a date window by scanning the range of
indices whose creation minute can put their last update in that window (see world.py),
lazily and page by page, with the matches cached while the clock and the state stand still.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from threading import Lock, RLock
from typing import Any

from postlink.postal.sandbox.clock import SimClock
from postlink.postal.sandbox.terms import VIETNAM, Leg, Person, leg_of_reference
from postlink.postal.sandbox.timelines import (
    CANCELLED_PICKUP,
    MAX_MINUTES,
    MINUTES_PER_DAY,
    MONEY_CANCELLATION_FEE,
    MONEY_FEE_PAID,
    Dice,
    timeline,
)
from postlink.postal.sandbox.world import (
    API_ORIGINAL_BASE,
    SimOrder,
    World,
    guid,
    item_code,
    original_id,
)

MONEY_CODES = frozenset({21, MONEY_FEE_PAID, MONEY_CANCELLATION_FEE})
CANCELLED_CODES = frozenset({CANCELLED_PICKUP, 22, -8})
#: Codes before the postman has the item: a cancellation is accepted at once.
CANCELLABLE_CODES = frozenset({0, 1, 2, 3})
#: Pickup under way: a cancellation waits for approval (answer "02").
PENDING_CODE = 4
PENDING_APPROVAL_MINUTES = 60


def _state(events: list[tuple[int, int]]) -> tuple[int, int]:
    status = next((code for _, code in reversed(events) if code not in MONEY_CODES), 1)
    return status, events[-1][0]


@dataclass
class _Scan:
    """The matches of one feed window at one instant, extended as pages are asked for."""

    next_index: int
    end_index: int
    api_ids: list[int]
    matches: list[int] = field(default_factory=list)
    lock: Lock = field(default_factory=Lock)


class Post:
    def __init__(self, world: World, clock: SimClock) -> None:
        self.world = world
        self.clock = clock
        self.origin = datetime.combine(world.start, time(0), tzinfo=VIETNAM)
        self._lock = RLock()
        self._api: list[SimOrder] = []
        self._api_by_reference: dict[str, list[SimOrder]] = {}
        self._api_by_item: dict[str, SimOrder] = {}
        self._api_by_original: dict[str, SimOrder] = {}
        self._cancelled: dict[int, int] = {}
        self._version = 0
        self._scans: OrderedDict[tuple[Any, ...], _Scan] = OrderedDict()

    # --- Time ---------------------------------------------------------------------------------

    def minute(self) -> int:
        return int((self.clock.now() - self.origin).total_seconds() // 60)

    def instant(self, minute: int) -> datetime:
        return (self.origin + timedelta(minutes=minute)).astimezone(UTC)

    def vietnam(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def day_start(self, day: date) -> int:
        """The minute a Vietnam date begins."""
        return (day - self.world.start).days * MINUTES_PER_DAY

    # --- One order ----------------------------------------------------------------------------

    def order(self, order_id: int) -> SimOrder | None:
        index = self.world.index_of_order_id(order_id)
        if index is not None:
            return self.world.order(index)
        position = order_id - self.world.size - 1
        with self._lock:
            return self._api[position] if 0 <= position < len(self._api) else None

    def order_by_original_id(self, text: str) -> SimOrder | None:
        index = self.world.index_of_original_id(text)
        if index is not None:
            return self.world.order(index)
        with self._lock:
            return self._api_by_original.get(text)

    @property
    def version(self) -> int:
        """Changes whenever a client creates or cancels an order."""
        return self._version

    def events(self, order: SimOrder, now: int) -> list[tuple[int, int]]:
        """The events that happened by ``now``, cut at a cancellation."""
        return self.events_of(order.order_id, order.events, now)

    def events_of(
        self, order_id: int, timeline: tuple[tuple[int, int], ...], now: int
    ) -> list[tuple[int, int]]:
        stop = self._cancelled.get(order_id)
        events = [e for e in timeline if e[0] <= now and (stop is None or e[0] < stop)]
        if stop is not None and stop <= now:
            events.append((stop, CANCELLED_PICKUP))
        return events

    def state(self, order: SimOrder, now: int) -> tuple[int, int]:
        """(status code, minute of last update): money events update but change no status."""
        return _state(self.events(order, now))

    # --- Changes from clients -----------------------------------------------------------------

    def create(self, information: dict[str, Any]) -> SimOrder:
        """Accept an order as the post does: every call creates one, duplicates included."""

        def party(prefix: str) -> Person:
            return Person(
                *(
                    str(information.get(f"{prefix}{key}") or "")
                    for key in ("Name", "Phone", "Address", "ProvinceCode", "CommuneCode")
                )
            )

        reference = str(information.get("saleOrderCode") or "")
        leg = leg_of_reference(reference) or Leg.RETURN
        now = self.minute()
        with self._lock:
            number = len(self._api)
            order_id = self.world.size + 1 + number
            events = timeline(
                Dice(self.world.seed, "api", number), leg, now, self.world.start_weekday
            )
            order = SimOrder(
                order_id=order_id,
                order_hdr_id=guid(self.world.seed, "api", number),
                original_id=original_id(self.world.day_of(now), API_ORIGINAL_BASE + number),
                item_code=item_code("EC", number),
                reference=reference,
                feed="GUI",
                leg=leg,
                sender=party("sender"),
                receiver=party("receiver"),
                content_note=str(information.get("contentNote") or ""),
                main_fee=26_000,
                vas_fee=0,
                created=now,
                events=events,
            )
            self._api.append(order)
            self._api_by_reference.setdefault(reference, []).append(order)
            self._api_by_item[order.item_code] = order
            self._api_by_original[order.original_id] = order
            self._version += 1
        return order

    def cancel(self, original_id: str) -> tuple[str, str]:
        """MyVNPost's answer to orderCancel: ("00"|"02"|"01", message) (postal brief §1)."""
        order = self.order_by_original_id(original_id)
        if order is None:
            return "01", f"Không tìm thấy đơn hàng {original_id}"
        now = self.minute()
        with self._lock:
            status, _ = self.state(order, now)
            if status in CANCELLED_CODES:
                return "01", "Đơn hàng đã được hủy trước đó"
            if status == PENDING_CODE:
                self._cancelled[order.order_id] = now + PENDING_APPROVAL_MINUTES
                self._version += 1
                return "02", "Yêu cầu hủy đang chờ duyệt"
            if status not in CANCELLABLE_CODES:
                return "01", "Bưu gửi đã được thu gom, không thể hủy"
            self._cancelled[order.order_id] = now
            self._version += 1
            return "00", "Hủy đơn hàng thành công"

    # --- Queries ------------------------------------------------------------------------------

    def find_by_item(self, code: str) -> SimOrder | None:
        index = self.world.index_of_item(code)
        if index is not None:
            return self.world.order(index)
        with self._lock:
            return self._api_by_item.get(code)

    def find_by_reference(self, reference: str) -> list[SimOrder]:
        index = self.world.index_of_reference(reference)
        found = [self.world.order(index)] if index is not None else []
        with self._lock:
            return found + list(self._api_by_reference.get(reference, []))

    def created_orders(self) -> list[SimOrder]:
        """The orders clients created through the API, oldest first."""
        with self._lock:
            return list(self._api)

    def all_orders(self, now: int) -> Iterator[SimOrder]:
        """Every order visible at ``now``, in order-id order."""
        for index in range(self.world.first_index_at(now + 1)):
            yield self.world.order(index)
        yield from (order for order in self.created_orders() if order.created <= now)

    def updated_between(self, low: int, high: int, now: int) -> Iterator[SimOrder]:
        """Orders whose last update at ``now`` lies in minutes [low, high)."""
        for feed in ("GUI", "NHAN"):
            scan = self._scan(feed, low, high, now)
            self._extend(scan, feed, low, high, now, None)
            yield from (order for order_id in scan.matches if (order := self.order(order_id)))

    def page(self, feed: str, low: int, high: int, page: int, size: int) -> list[SimOrder]:
        """Page ``page`` of the orders of ``feed`` last updated in minutes [low, high)."""
        now = self.minute()
        scan = self._scan(feed, low, high, now)
        wanted = (page + 1) * size
        self._extend(scan, feed, low, high, now, wanted)
        ids = scan.matches[page * size : wanted]
        return [order for order_id in ids if (order := self.order(order_id)) is not None]

    def _scan(self, feed: str, low: int, high: int, now: int) -> _Scan:
        with self._lock:
            key = (feed, low, high, now, self._version)
            scan = self._scans.get(key)
            if scan is None:
                first = self.world.first_index_at(low - MAX_MINUTES)
                end = self.world.first_index_at(min(high, now + 1))
                api = [o.order_id for o in self._api if o.feed == feed and o.created <= now]
                scan = self._scans[key] = _Scan(first, end, api)
                while len(self._scans) > 16:
                    self._scans.popitem(last=False)
            self._scans.move_to_end(key)
            return scan

    def _extend(
        self, scan: _Scan, feed: str, low: int, high: int, now: int, wanted: int | None
    ) -> None:
        with scan.lock:
            while scan.next_index < scan.end_index and (
                wanted is None or len(scan.matches) < wanted
            ):
                index = scan.next_index
                scan.next_index += 1
                shape = self.world.skeleton(index)
                if shape.feed != feed:
                    continue
                last = _state(self.events_of(index + 1, shape.events, now))[1]
                if low <= last < high:
                    scan.matches.append(index + 1)
            if scan.next_index >= scan.end_index and scan.api_ids:
                for order_id in scan.api_ids:
                    order = self.order(order_id)
                    if order is not None and low <= self.state(order, now)[1] < high:
                        scan.matches.append(order_id)
                scan.api_ids = []
