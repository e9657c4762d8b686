"""Vietnamese working days, for the J + n deadlines of TT 17/2017/TT-BTTTT art. 7.

A working day is a weekday that is not a public holiday (Labour Code 2019 art. 112, as the
``holidays`` package knows it, including Tết and its substituted days), plus any weekend day
the government turned into a make-up working day. Provinces also announce days off and
make-up days the package cannot know; those come from configuration.

Lateness is counted the same way as deadlines (``WorkingDayCounter``): a result due on the
last working day before Tết is not a week late after the holiday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

#: Guard against an endless loop when configuration marks every day off.
MAX_SEARCH_DAYS = 366
WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday)


class DayKind(StrEnum):
    """What a day after J is for the count: counted (working, make-up) or skipped."""

    WORKING = "working"
    MAKE_UP = "make_up"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"


@dataclass(frozen=True, slots=True)
class CountedDay:
    """One day after J: its kind, the public holiday's name, and its rank when it counts.

    Staff disputing a late item need each day, not only the deadline (``legs.explain``)."""

    day: date
    kind: DayKind
    holiday: str | None
    number: int | None

    @property
    def counted(self) -> bool:
        return self.number is not None


class WorkingCalendar:
    """Answers "is this a working day?" and adds working days to a date."""

    def __init__(
        self, extra_days_off: Iterable[date] = (), make_up_working_days: Iterable[date] = ()
    ) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._make_up = frozenset(make_up_working_days)
        both = self._extra_off & self._make_up
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"days both off and make-up working days: {listed}")

    def __repr__(self) -> str:
        """Everything that decides a day, the same in every process: the sync's record
        digest (``legs/fingerprint.py``) covers the calendar through it."""
        off = sorted(d.isoformat() for d in self._extra_off)
        make_up = sorted(d.isoformat() for d in self._make_up)
        version = getattr(holidays, "__version__", "")
        return f"WorkingCalendar(holidays {version}, off {off}, make-up {make_up})"

    @staticmethod
    @lru_cache(maxsize=64)
    def _public(year: int) -> holidays.HolidayBase:
        return holidays.country_holidays("VN", years=year, language="vi")

    def holiday_name(self, day: date) -> str | None:
        """The Vietnamese name of the public holiday on ``day``, if any."""
        name = self._public(day.year).get(day)
        return str(name) if name is not None else None

    def is_working_day(self, day: date) -> bool:
        if day in self._make_up:
            return True
        if day in self._extra_off:
            return False
        return bool(self._public(day.year).is_working_day(day))

    def day_kind(self, day: date) -> tuple[DayKind, str | None]:
        """What ``day`` is for the count, with the public holiday's name when it is one (a
        holiday on a Sunday keeps its name: Giỗ Tổ 26/04/2026)."""
        weekend = day.weekday() in WEEKEND
        if self.is_working_day(day):
            return (DayKind.MAKE_UP if weekend else DayKind.WORKING), None
        name = self.holiday_name(day)
        if name is not None:
            return DayKind.HOLIDAY, name
        return (DayKind.WEEKEND if weekend else DayKind.DAY_OFF), None

    def count_days(self, start: date, days: int) -> list[CountedDay]:
        """Every day from ``start`` + 1 to the ``days``-th working day after it, each with its
        kind: the count behind J + n, step by step; ``start`` itself is J."""
        if days < 0:
            raise ValueError("days must not be negative")
        counted: list[CountedDay] = []
        current, number = start, 0
        while number < days:
            current += timedelta(days=1)
            if len(counted) > MAX_SEARCH_DAYS * max(1, days):
                raise ValueError("no working day found: check the configured days off")
            kind, name = self.day_kind(current)
            if kind in (DayKind.WORKING, DayKind.MAKE_UP):
                number += 1
                counted.append(CountedDay(current, kind, None, number))
            else:
                counted.append(CountedDay(current, kind, name, None))
        return counted

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (J + n); ``start`` itself is J."""
        counted = self.count_days(start, days)
        return counted[-1].day if counted else start


class WorkingDayCounter:
    """Working days in ``(after, until]`` for any ``after`` on or after ``first``.

    For "days overdue" in the delivery report: a running count over the range is built
    once, so each line costs a subtraction.
    """

    def __init__(self, calendar: WorkingCalendar, first: date, until: date) -> None:
        self._first = first
        self._until = until
        running, count = [], 0
        day = first
        while day <= until:
            count += calendar.is_working_day(day)
            running.append(count)
            day += timedelta(days=1)
        self._running = running

    def after(self, start: date) -> int:
        """Working days after ``start`` up to and including ``until``; 0 if not before it."""
        if start >= self._until:
            return 0
        return self._running[-1] - self._running[(start - self._first).days]
