"""SQL building blocks over the ``leg`` table shared by the reports.

Which legs a period covers: those whose J date (TT 17/2017 art. 7) falls in it; a leg the
post never took in hand (a pickup that failed, an order cancelled before pickup) has no J
date and is placed by the day it was created. Both branches are ranges on the leading
columns of ``ix_leg_period``, which also covers every column the aggregates read, so a
report over a year of a million legs never touches the table itself.

"On time" follows TT 17/2017 art. 7: the leg was delivered no later than the end of its
deadline day (J + n working days, stored on the leg) in the province's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, text
from sqlmodel import col

from postlink.legs.status import LegStatus, statuses
from postlink.models import Leg
from postlink.reports.filters import ReportFilter


def in_period(flt: ReportFilter, tz: ZoneInfo) -> ColumnElement[bool]:
    """The filter's legs: J in the period (or created in it when J is unknown), agency, leg."""
    first, after = flt.period.utc_bounds(tz)
    j_date, created = col(Leg.j_date), col(Leg.created_at)
    clauses: list[ColumnElement[bool]] = [
        or_(
            j_date.between(flt.period.start, flt.period.end),
            and_(j_date.is_(None), created >= first, created < after),
        )
    ]
    if flt.agency:
        clauses.append(col(Leg.agency_code) == flt.agency)
    if flt.leg:
        clauses.append(col(Leg.kind) == flt.leg.value)
    return and_(*clauses)


def _utc_offset(tz: ZoneInfo, on: date) -> timedelta:
    offset = datetime(on.year, on.month, on.day, 12, tzinfo=tz).utcoffset()
    return offset or timedelta(0)


def delivered_by_deadline(dialect: str, tz: ZoneInfo, on: date) -> ColumnElement[bool]:
    """Delivered before the end of the deadline day, local time.

    PostgreSQL converts the local midnight with the zone's rules; SQLite has no zones, so
    the zone's offset on ``on`` is used (exact for Asia/Ho_Chi_Minh, which has no DST).
    """
    if dialect == "postgresql":
        cutoff = text("leg.closed_at < timezone(:report_tz, (leg.deadline + 1)::timestamp)")
        condition = cutoff.bindparams(report_tz=tz.key)
    else:
        minutes = int(_utc_offset(tz, on).total_seconds() // 60)
        cutoff = text("leg.closed_at < datetime(leg.deadline, '+1 day', :report_offset)")
        condition = cutoff.bindparams(report_offset=f"{-minutes:+d} minutes")
    return and_(
        col(Leg.status).in_(statuses(lambda s: s.delivered)),
        col(Leg.deadline).is_not(None),
        condition,
    )


def due(as_of: date) -> ColumnElement[bool]:
    """Legs with a verdict: a deadline, not cancelled, and closed or past the deadline."""
    return and_(
        col(Leg.deadline).is_not(None),
        col(Leg.status) != LegStatus.CANCELLED,
        or_(col(Leg.closed_at).is_not(None), col(Leg.deadline) < as_of),
    )


def open_and_late(as_of: date) -> ColumnElement[bool]:
    """Still open and past the deadline, or flagged overdue by the sync (missed invitation)."""
    return and_(
        col(Leg.closed_at).is_(None),
        or_(col(Leg.deadline) < as_of, col(Leg.overdue).is_(True)),
    )


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 when ``condition`` holds, else 0: for SUM() in one aggregate pass."""
    return func.sum(case((condition, 1), else_=0))
