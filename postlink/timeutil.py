"""Time helpers: store aware UTC, show and reason in the province's local time.

Legal dates (the J date of TT 17/2017 art. 7, a list's effective date) are Vietnam
calendar dates, so an instant is turned into a local date before any date comparison.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def require_aware(value: datetime) -> datetime:
    """Reject naive datetimes: a time without an offset is ambiguous on a UTC server."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no time zone; pass an aware datetime")
    return value


def local_date(value: datetime, tz: ZoneInfo) -> date:
    """The calendar date of an instant in ``tz``."""
    return require_aware(value).astimezone(tz).date()


def format_day(value: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese forms write a day; empty for None."""
    return "" if value is None else f"{value:%d/%m/%Y}"


def format_local(value: datetime | None, tz: ZoneInfo) -> str:
    """dd/mm/yyyy HH:MM in ``tz``, as Vietnamese forms write it; empty for None."""
    if value is None:
        return ""
    return require_aware(value).astimezone(tz).strftime("%d/%m/%Y %H:%M")
