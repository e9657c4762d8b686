"""Counting working days between two dates, for "days overdue" in the delivery report.

A deadline is J + n *working* days (TT 17/2017 art. 7), so lateness is counted the same
way: a result due on the last working day before Tết is not a week late after the holiday.
A running count over the range is built once, so each line costs a subtraction.
"""

from __future__ import annotations

from datetime import date, timedelta

from postlink.sync.calendar import WorkingCalendar


class WorkingDayCounter:
    """Working days in ``(after, until]`` for any ``after`` on or after ``first``."""

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
