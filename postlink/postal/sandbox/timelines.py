"""How a sandbox order moves: realistic MyVNPost status sequences (postal brief §3).

A timeline is a pure function of a ``Dice`` and a start minute, so the world can recompute
any order's history instead of storing it. Times are whole minutes since the world began
(the history endpoint shows minutes), strictly increasing, and a timeline never lasts more
than ``MAX_DAYS``, which is what lets a feed window map to a range of orders.

Failed deliveries follow TT 17/2017 art. 5 cl. 2 point h: the recipient is invited twice,
two working days apart, then the result goes back to the office. Working days here skip
weekends only; the sandbox does not model public holidays.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import TypeVar

from postlink.postal.sandbox.terms import Leg

T = TypeVar("T")

MINUTES_PER_DAY = 1440
#: No timeline lasts longer than this (days); the longest sequence, two failed deliveries
#: over a weekend and a return to the office, takes about 12.
MAX_DAYS = 14
MAX_MINUTES = MAX_DAYS * MINUTES_PER_DAY
#: A status code no table lists, to exercise the ``unknown`` path.
UNKNOWN_CODE = 99
MONEY_FEE_PAID = 28
MONEY_CANCELLATION_FEE = 29
CANCELLED_PICKUP = 9


class Dice:
    """Deterministic draws from a hash of a key: cheaper than seeding ``random.Random`` per
    order, which matters when a feed window recomputes thousands of timelines."""

    __slots__ = ("_bits",)

    def __init__(self, *key: object) -> None:
        self._bits = int.from_bytes(blake2b(repr(key).encode(), digest_size=64).digest())

    def below(self, n: int) -> int:
        self._bits, drawn = divmod(self._bits, n)
        return drawn

    def between(self, low: int, high: int) -> int:
        return low + self.below(high - low + 1)

    def chance(self, percent: int) -> bool:
        return self.below(100) < percent

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]


class _Track:
    """A timeline being written: (minute, code) pairs from ``start``."""

    def __init__(self, dice: Dice, start: int, start_weekday: int) -> None:
        self.dice = dice
        self.start_weekday = start_weekday
        self.now = start
        self.events: list[tuple[int, int]] = [(start, 1)]

    def then(self, code: int, low: int, high: int) -> _Track:
        self.now += self.dice.between(low, high)
        self.events.append((self.now, code))
        return self

    def maybe(self, percent: int, code: int, low: int, high: int) -> _Track:
        return self.then(code, low, high) if self.dice.chance(percent) else self

    def working_days_later(self, days: int, code: int) -> _Track:
        """Same time of day, ``days`` working days (Monday to Friday) later."""
        while days:
            self.now += MINUTES_PER_DAY
            if (self.start_weekday + self.now // MINUTES_PER_DAY) % 7 < 5:
                days -= 1
        self.now += self.dice.between(0, min(90, MINUTES_PER_DAY - 1 - self.now % MINUTES_PER_DAY))
        self.events.append((self.now, code))
        return self


def _collect(track: _Track) -> _Track:
    """Postman assigned, pickup under way, picked up, maybe the fee paid, office accepts."""
    track.then(2, 30, 240).then(4, 60, 1440).then(6, 10, 60)
    return track.maybe(50, MONEY_FEE_PAID, 1, 5).then(7, 60, 360)


def _carry(track: _Track) -> _Track:
    """Transit (sometimes forwarded, rarely an unknown code), delivery office, out."""
    track.then(10, 120, 720).maybe(30, 13, 60, 360).maybe(3, UNKNOWN_CODE, 10, 60)
    return track.then(11, 240, 1440).then(12, 60, 720)


def _return_to_office(track: _Track, partial: bool) -> _Track:
    track.then(16, 60, 600).maybe(70, 17, 60, 1440).then(18, 60, 720).then(24, 240, 1440)
    return track.then(20 if partial else 19, 240, 1440)


def _pickup(track: _Track) -> _Track:
    roll = track.dice.below(100)
    if roll < 10:  # pickup failed twice: the citizen was not there
        track.then(2, 30, 240).then(4, 60, 1440).then(5, 10, 120)
        return track.working_days_later(1, 4).then(5, 10, 120).then(8, 10, 60)
    if roll < 20:  # first pickup failed, second worked
        track.then(2, 30, 240).then(4, 60, 1440).then(5, 10, 120)
        track.working_days_later(1, 4).then(6, 10, 60).then(7, 60, 360)
        return _carry(track).then(14, 30, 240)
    return _carry(_collect(track)).then(14, 30, 240)


def _return(track: _Track) -> _Track:
    roll = track.dice.below(100)
    _carry(_collect(track))
    if roll < 65:
        return track.then(14, 30, 240)
    if roll < 77:  # first invitation failed, second delivered
        return track.then(15, 30, 240).working_days_later(2, 12).then(14, 30, 240)
    if roll < 95:  # two invitations two working days apart, then back to the office
        track.then(15, 30, 240).working_days_later(2, 12).then(15, 30, 240)
        return _return_to_office(track, partial=roll >= 92)
    return track.then(23, 30, 240)


def timeline(dice: Dice, leg: Leg, start: int, start_weekday: int) -> tuple[tuple[int, int], ...]:
    """The (minute, code) events of one order, created at minute ``start``.

    ``start_weekday`` is the weekday (Monday = 0) of minute 0. About 8% of orders are
    cancelled before pickup, some with a cancellation fee.
    """
    track = _Track(dice, start, start_weekday)
    if dice.chance(8):
        if dice.chance(50):
            track.then(CANCELLED_PICKUP, 60, 2880).maybe(30, MONEY_CANCELLATION_FEE, 5, 600)
        else:
            track.then(3, 5, 60).then(-8, 60, 1440)
    elif leg is Leg.PICKUP:
        _pickup(track)
    else:
        _return(track)
    if track.now - start > MAX_MINUTES:
        raise AssertionError(f"a sandbox timeline outgrew {MAX_DAYS} days")
    return tuple(track.events)
