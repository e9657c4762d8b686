"""One aggregate pass over the period's legs, grouped as a report needs.

Every count a report prints comes from here: how many legs, how many delivered on time,
how many had a verdict (due), how many are open and late, and the fees known. Grouping by
(agency, leg, status), by (J date, leg) or by (procedure, leg, status) gives the delivery
report, its charts and the period report from the same definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col

from postlink.models import Leg
from postlink.reports.conditions import (
    delivered_by_deadline,
    due,
    flag,
    in_period,
    open_and_late,
)
from postlink.reports.filters import ReportFilter


@dataclass(slots=True)
class Counts:
    """Additive counts of a group of legs."""

    legs: int = 0
    on_time: int = 0
    due: int = 0
    open_late: int = 0
    fees: int = 0
    fees_known: int = 0

    def add(self, other: Counts) -> None:
        self.legs += other.legs
        self.on_time += other.on_time
        self.due += other.due
        self.open_late += other.open_late
        self.fees += other.fees
        self.fees_known += other.fees_known

    @property
    def late(self) -> int:
        return self.due - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        """Share of legs with a verdict that were delivered on time; None when none was due."""
        return self.on_time / self.due if self.due else None


def total(counts: Iterable[Counts]) -> Counts:
    summed = Counts()
    for each in counts:
        summed.add(each)
    return summed


def tally(
    session: Session,
    flt: ReportFilter,
    tz: ZoneInfo,
    groups: Sequence[SQLCoreOperations[Any]],
    where: ColumnElement[bool] | None = None,
) -> list[tuple[tuple[object, ...], Counts]]:
    """Counts of the filter's legs per distinct value of ``groups``."""
    dialect = session.get_bind().dialect.name
    query = (
        select(
            *groups,
            func.count(),
            flag(delivered_by_deadline(dialect, tz, flt.period.start)),
            flag(due(flt.as_of)),
            flag(open_and_late(flt.as_of)),
            func.coalesce(func.sum(col(Leg.total_fee)), 0),
            func.count(col(Leg.total_fee)),
        )
        .where(in_period(flt, tz))
        .group_by(*groups)
    )
    if where is not None:
        query = query.where(where)
    width = len(groups)
    return [
        (tuple(row[:width]), Counts(*(int(value or 0) for value in row[width:])))
        for row in session.execute(query)
    ]


def day_of(value: object) -> date:
    """A J date as read back (SQLite returns ISO text in an aggregate over a date column)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
