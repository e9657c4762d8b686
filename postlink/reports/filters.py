"""The one filter that drives every report and every format.

A report's HTML, CSV, XLSX and PDF are rendered from the same ``ReportFilter``, so the
numbers in an export always agree with the page. Periods follow the reporting cycle of
TT 17/2017/TT-BTTTT art. 13 (quarter, half-year, year) or are any range of local dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from postlink.errors import PostlinkError
from postlink.models import LegKind
from postlink.reports.strings import text

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})[Hh]([12])$")
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of local calendar dates with its Vietnamese label."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PostlinkError(
                code="period.reversed", start=f"{self.start:%d/%m/%Y}", end=f"{self.end:%d/%m/%Y}"
            )

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start 00:00, day after end 00:00) local, as UTC instants for timestamp columns."""
        first = datetime.combine(self.start, time(0), tzinfo=tz).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz)
        return first, after.astimezone(UTC)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise PostlinkError(code="period.year", value=value, first=2000, last=2100)
    return value


def quarter(spec: str) -> Period:
    """``2026Q1`` → 1/1/2026-31/3/2026 (TT 17/2017 art. 13 quarterly report)."""
    found = _QUARTER.match(spec.strip())
    if not found:
        raise PostlinkError(code="period.quarter", value=spec)
    year, number = _year(int(found[1])), int(found[2])
    start = date(year, 3 * number - 2, 1)
    end = date(year + (number == 4), (3 * number) % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end, text("period_quarter").format(q=_ROMAN[number - 1], year=year))


def half(spec: str) -> Period:
    """``2026H1`` → 1/1/2026-30/6/2026 (TT 17/2017 art. 13 half-year report)."""
    found = _HALF.match(spec.strip())
    if not found:
        raise PostlinkError(code="period.half", value=spec)
    year, number = _year(int(found[1])), int(found[2])
    start, end = (date(year, 1, 1), date(year, 6, 30))
    if number == 2:
        start, end = date(year, 7, 1), date(year, 12, 31)
    return Period(start, end, text("period_half").format(h=_ROMAN[number - 1], year=year))


def year(value: int) -> Period:
    """The calendar year (TT 17/2017 art. 13 yearly report)."""
    checked = _year(value)
    return Period(
        date(checked, 1, 1), date(checked, 12, 31), text("period_year").format(year=value)
    )


def between(start: date, end: date) -> Period:
    label = text("period_range").format(start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")
    return Period(start, end, label)


def choose_period(
    *,
    start: date | None,
    end: date | None,
    quarter_spec: str | None,
    half_spec: str | None,
    year_value: int | None,
    today: date,
) -> Period:
    """The one period the options name; with none given, the month so far."""
    if sum(bool(value) for value in (start or end, quarter_spec, half_spec, year_value)) > 1:
        raise PostlinkError(code="period.several")
    if quarter_spec:
        return quarter(quarter_spec)
    if half_spec:
        return half(half_spec)
    if year_value:
        return year(year_value)
    return between(start or (end or today).replace(day=1), end or today)


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """What a report covers.

    ``as_of`` is the day the report judges open legs against (a leg is overdue when its
    deadline is before it); ``list_on`` is the day whose list in force the exclusions report
    shows (QĐ 45/2016 art. 18). ``full_contact`` shows citizens' phone numbers unmasked,
    for staff allowed to see them (Law 91/2025/QH15 on personal data protection).
    ``compensation_cases`` and ``safety_level`` are figures only the office knows, which
    the period report prints where it would leave a blank (TT 17/2017 art. 13 asks for
    compensation and for the safety of dossiers and results; no postal status records them).
    """

    period: Period
    as_of: date
    agency: str | None = None
    leg: LegKind | None = None
    list_on: date | None = None
    full_contact: bool = False
    handover_id: int | None = None
    compensation_cases: int | None = None
    safety_level: str = ""
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def list_day(self) -> date:
        return self.list_on or min(self.period.end, self.as_of)
