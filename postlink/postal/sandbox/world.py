"""The sandbox's seeded world: order ``i`` and its whole timeline are a pure function of
(seed, i), so a world of a million orders costs no memory until someone reads it.

Orders are created at evenly spaced minutes over ``span_days`` from ``start`` (a Vietnam
midnight): order ``i`` at minute ``i * span // size``. With timelines bounded in length, the
orders whose last update falls in a date window form one contiguous range of indices, found
by arithmetic instead of a scan of the world.

Kinds of order, as the post's API would show them (postal brief §1b):
- ``NHAN``: dossiers citizens handed in at a post office counter, addressed to the office,
  carrying whatever the counter typed: a counter code and the codes in the note, the bare
  dossier code and only the procedure's name, or nothing usable at all;
- ``GUI`` pickups (``<dossier>-P1``) and returns (``<dossier>-R1``) the office ordered, with
  ``TTHC <code>: <name>`` in the note; some codes are excluded from the post or unknown.
The citizen and the procedure derive from the dossier code, so both legs of one dossier
(a pickup on day d and a return on day d + RETURN_LAG_DAYS) agree.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from hashlib import blake2b

from postlink.postal.sandbox import people
from postlink.postal.sandbox.terms import Leg, Person, s10_check_digit
from postlink.postal.sandbox.timelines import MINUTES_PER_DAY, Dice, timeline

#: Days between receiving a dossier and sending its result back, in the world's codes.
RETURN_LAG_DAYS = 7
#: Serial numbers of item codes: world orders EB1xxxxxxx, orders created through the API EC.
SERIAL_BASE = 10_000_000
#: ``originalID`` is ``MYVNP`` + the day created (YYMMDD) + a number within the day, as in
#: the brief's example ``MYVNP240105000123``; orders created through the API count from here.
API_ORIGINAL_BASE = 900_000
#: Share (percent) of world items whose S10 check digit is wrong (domain brief §3).
BAD_CHECK_DIGIT_PERCENT = 2

_OURS = re.compile(r"^(?P<unit>.+)-(?P<day>\d{6})-(?P<seq>\d{4})(?:-(?P<leg>[PR])1)?$")
_COUNTER = re.compile(r"^BCCB(?P<id>\d{8})$")
_ORIGINAL = re.compile(r"^MYVNP(?P<day>\d{6})(?P<rank>\d{6})$")


def guid(*key: object) -> str:
    """A GUID-style ``orderHdrID`` (brief §1: ``"8a7f1c2e-…"``), a pure function of ``key``."""
    digest = blake2b(repr(key).encode(), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def original_id(day: date, number: int) -> str:
    return f"MYVNP{day:%y%m%d}{number:06d}"


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the change feed needs of an order: its feed, leg and events."""

    feed: str
    leg: Leg
    created: int
    events: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class SimOrder:
    """One order as the post holds it. ``order_id`` is the sandbox's own row number, never
    shown on the wire; the post's ids are ``order_hdr_id`` (a GUID) and ``original_id``."""

    order_id: int
    order_hdr_id: str
    original_id: str
    item_code: str
    reference: str
    feed: str
    leg: Leg
    sender: Person
    receiver: Person
    content_note: str
    main_fee: int
    vas_fee: int
    created: int
    events: tuple[tuple[int, int], ...]


def item_code(prefix: str, number: int, bad_check: bool = False) -> str:
    serial = f"{SERIAL_BASE + number:08d}"
    check = s10_check_digit(serial)
    return f"{prefix}{serial}{(check + 1) % 10 if bad_check else check}VN"


def office() -> Person:
    return Person(
        people.OFFICE_NAME,
        people.OFFICE_PHONE,
        people.OFFICE_ADDRESS,
        people.PROVINCE,
        people.OFFICE_COMMUNE,
    )


class World:
    def __init__(self, seed: int, size: int, start: date, span_days: int) -> None:
        if size < 1 or span_days < 1:
            raise ValueError("a sandbox world needs at least one order and one day")
        per_day = -(-size // span_days) + 1
        if per_day > len(people.UNITS) * 9999:
            raise ValueError(
                f"{size} orders over {span_days} days overflow the dossier codes' daily "
                "sequence; give the world more days"
            )
        self.seed = seed
        self.size = size
        self.start = start
        self.span = span_days * MINUTES_PER_DAY
        self.start_weekday = start.weekday()
        self.skeleton = lru_cache(maxsize=4_096)(self._skeleton)
        self.order = lru_cache(maxsize=2_048)(self._order)

    # --- Time ---------------------------------------------------------------------------------

    def created(self, index: int) -> int:
        return index * self.span // self.size

    def first_index_at(self, minute: int) -> int:
        """The first order created at or after ``minute`` (clamped to [0, size])."""
        if minute <= 0:
            return 0
        return min(self.size, -(-minute * self.size // self.span))

    def day_of(self, minute: int) -> date:
        return self.start + timedelta(days=minute // MINUTES_PER_DAY)

    # --- Orders -------------------------------------------------------------------------------

    def _skeleton(self, index: int) -> Skeleton:
        dice = Dice(self.seed, "kind", index)
        roll = dice.below(100)
        feed, leg = ("NHAN", Leg.PICKUP) if roll < 35 else ("GUI", Leg.PICKUP)
        if roll >= 55:
            leg = Leg.RETURN
        created = self.created(index)
        events = timeline(Dice(self.seed, "timeline", index), leg, created, self.start_weekday)
        return Skeleton(feed, leg, created, events)

    def dossier_code(self, index: int, leg: Leg) -> str:
        """Unit, receipt date and sequence encode the index, so references can be looked up."""
        day = self.created(index) // MINUTES_PER_DAY
        rank = index - self.first_index_at(day * MINUTES_PER_DAY)
        unit = people.UNITS[rank % len(people.UNITS)]
        received = self.start + timedelta(days=day)
        if leg is Leg.RETURN:
            received -= timedelta(days=RETURN_LAG_DAYS)
        return f"{unit}-{received:%y%m%d}-{rank // len(people.UNITS) + 1:04d}"

    def _order(self, index: int) -> SimOrder:
        shape = self.skeleton(index)
        dossier = self.dossier_code(index, shape.leg)
        who = Dice(self.seed, "dossier", dossier)
        commune, commune_name = who.pick(people.COMMUNES)
        citizen = Person(
            f"{who.pick(people.FAMILY)} {who.pick(people.MIDDLE)} {who.pick(people.GIVEN)}",
            f"{who.pick(people.MOBILE)}{who.below(10_000_000):07d}",
            f"Tổ {who.between(1, 30)}, {commune_name}, tỉnh Cao Bằng",
            people.PROVINCE,
            commune,
        )
        roll = who.below(100)
        table = people.ELIGIBLE if roll < 85 else people.EXCLUDED if roll < 92 else people.UNKNOWN
        code, name = who.pick(table)
        order_id = index + 1
        day = shape.created // MINUTES_PER_DAY
        rank = index - self.first_index_at(day * MINUTES_PER_DAY)
        dice = Dice(self.seed, "order", index)
        reference, note = self._labels(dice, shape, order_id, dossier, code, name)
        sender, receiver = (citizen, office()) if shape.leg is Leg.PICKUP else (office(), citizen)
        return SimOrder(
            order_id=order_id,
            order_hdr_id=guid(self.seed, "order", index),
            original_id=original_id(self.start + timedelta(days=day), rank),
            item_code=item_code("EB", index, dice.chance(BAD_CHECK_DIGIT_PERCENT)),
            reference=reference,
            feed=shape.feed,
            leg=shape.leg,
            sender=sender,
            receiver=receiver,
            content_note=note,
            main_fee=26_000 + 500 * dice.below(12),
            vas_fee=8_000 if dice.chance(40) else 0,
            created=shape.created,
            events=shape.events,
        )

    @staticmethod
    def _labels(
        dice: Dice, shape: Skeleton, order_id: int, dossier: str, code: str, name: str
    ) -> tuple[str, str]:
        """saleOrderCode and contentNote: ours are regular, the counter's are not (§1b)."""
        if shape.feed == "GUI":
            suffix = "P1" if shape.leg is Leg.PICKUP else "R1"
            return f"{dossier}-{suffix}", f"TTHC {code}: {name}"
        roll = dice.below(100)
        if roll < 50:
            shown = f"{code}.000.00.00.H14" if dice.chance(10) else code
            return f"BCCB{order_id:08d}", f"Hồ sơ {dossier} - TTHC {shown} - {name}"
        if roll < 80:
            return dossier, name
        return "", "Giấy tờ cá nhân gửi cơ quan nhà nước"

    # --- Lookups ------------------------------------------------------------------------------

    def index_of_item(self, code: str) -> int | None:
        if len(code) != 13 or not code.startswith("EB") or not code[2:10].isdigit():
            return None
        index = int(code[2:10]) - SERIAL_BASE
        if 0 <= index < self.size and self.order(index).item_code == code:
            return index
        return None

    def index_of_order_id(self, order_id: int) -> int | None:
        return order_id - 1 if 1 <= order_id <= self.size else None

    def index_of_original_id(self, text: str) -> int | None:
        """The order whose ``originalID`` is ``text``: its day and rank within the day."""
        match = _ORIGINAL.match(text)
        if match is None:
            return None
        try:
            day = (datetime.strptime(match.group("day"), "%y%m%d").date() - self.start).days
        except ValueError:
            return None
        index = self.first_index_at(day * MINUTES_PER_DAY) + int(match.group("rank"))
        if day < 0 or not 0 <= index < self.size or self.order(index).original_id != text:
            return None
        return index

    def index_of_reference(self, reference: str) -> int | None:
        counter = _COUNTER.match(reference)
        if counter is not None:
            index = self.index_of_order_id(int(counter.group("id")))
        else:
            index = self._index_of_dossier_reference(reference)
        if index is not None and self.order(index).reference == reference:
            return index
        return None

    def _index_of_dossier_reference(self, reference: str) -> int | None:
        match = _OURS.match(reference)
        if match is None or match.group("unit") not in people.UNITS:
            return None
        try:
            received = datetime.strptime(match.group("day"), "%y%m%d").date()
        except ValueError:
            return None
        day = (received - self.start).days
        if match.group("leg") == "R":
            day += RETURN_LAG_DAYS
        units = len(people.UNITS)
        rank = (int(match.group("seq")) - 1) * units + people.UNITS.index(match.group("unit"))
        index = self.first_index_at(day * MINUTES_PER_DAY) + rank
        if day < 0 or index >= self.first_index_at((day + 1) * MINUTES_PER_DAY):
            return None
        return index
