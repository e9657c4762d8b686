"""Delivery status report: how the period's legs stand against their legal deadlines.

Per agency and leg: counts by normalised status and the on-time rate against J + n working
days (TT 17/2017 art. 7); the overdue list, oldest deadline first, with working days
overdue; failed deliveries with the invitations made (QĐ 45/2016 art. 10: at least two,
two working days apart); results returned to the office; pickups that failed; and the
daily volume and on-time rate as inline SVG charts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import and_, or_
from sqlmodel import Session, col

from postlink.legs.calendar import WorkingDayCounter
from postlink.legs.deadlines import load_policy
from postlink.legs.status import LegStatus, statuses
from postlink.models import Leg, LegKind
from postlink.reports import charts
from postlink.reports.conditions import open_and_late
from postlink.reports.document import Cell, Chart, Column, Kind, Report, Table
from postlink.reports.filters import ReportFilter
from postlink.reports.listing import LegLine, leg_lines
from postlink.reports.strings import label, text
from postlink.reports.tally import Counts, day_of, tally, total
from postlink.settings import Settings

_ON_TIME_COLUMNS = (
    Column("col.agency"),
    Column("col.leg"),
    Column("col.total", Kind.INT),
    Column("col.due", Kind.INT),
    Column("col.on_time", Kind.INT),
    Column("col.late", Kind.INT),
    Column("col.on_time_rate", Kind.PERCENT),
    Column("col.unresolved_late", Kind.INT),
)


def _status_order(status: str) -> tuple[int, str]:
    rank = LegStatus(status).rank
    return (50 if rank is None else rank, status)


def _status_table(groups: list[tuple[tuple[object, ...], Counts]]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (str(agency), label("leg_short", str(kind)), label("status", str(status)), counts.legs)
        for (agency, kind, status), counts in sorted(
            groups, key=lambda g: (str(g[0][0]), str(g[0][1]), _status_order(str(g[0][2])))
        )
    ]
    columns = (
        Column("col.agency"),
        Column("col.leg"),
        Column("col.status"),
        Column("col.count", Kind.INT),
    )
    return Table("section.status_counts", columns, rows, group_by=2, numbered=False)


def _rate_row(agency: str, kind: str, counts: Counts) -> tuple[Cell, ...]:
    return (
        agency,
        kind,
        counts.legs,
        counts.due,
        counts.on_time,
        counts.late,
        counts.on_time_rate,
        counts.open_late,
    )


def _on_time_table(groups: list[tuple[tuple[object, ...], Counts]]) -> Table:
    per: dict[tuple[str, str], Counts] = defaultdict(Counts)
    for (agency, kind, _status), counts in groups:
        per[(str(agency), str(kind))].add(counts)
    rows = [
        _rate_row(agency, label("leg_short", kind), counts)
        for (agency, kind), counts in sorted(per.items())
    ]
    if rows:
        rows.append(_rate_row(text("label.total"), "", total(per.values())))
    return Table("section.on_time", _ON_TIME_COLUMNS, rows, numbered=False)


def _charts(session: Session, flt: ReportFilter, settings: Settings) -> list[Chart]:
    per_day: dict[date, dict[str, Counts]] = defaultdict(dict)
    for (j_date, kind), counts in tally(
        session, flt, settings.tz, (col(Leg.j_date), col(Leg.kind)), col(Leg.j_date).is_not(None)
    ):
        per_day[day_of(j_date)][str(kind)] = counts
    days = flt.period.days()
    series = {
        label("leg_short", kind.value): [
            per_day[d][kind].legs if kind in per_day[d] else 0 for d in days
        ]
        for kind in LegKind
    }
    rates = [total(per_day[d].values()).on_time_rate if d in per_day else None for d in days]
    return [
        Chart("chart.volume", charts.stacked_bars(days, series)),
        Chart("chart.on_time", charts.rate_line(days, rates)),
    ]


#: Every leg list starts with what identifies the leg and ends with whom to contact.
_LEAD = (
    Column("col.dossier"),
    Column("col.procedure_code"),
    Column("col.agency"),
    Column("col.leg"),
    Column("col.status"),
    Column("col.item"),
)
_TAIL = (Column("col.citizen"), Column("col.phone"))


def _leg_table(
    key: str,
    lines: list[LegLine],
    middle: tuple[Column, ...],
    values: Callable[[LegLine], tuple[Cell, ...]],
) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            line.dossier_code,
            line.procedure_code,
            line.agency_code,
            label("leg_short", line.kind),
            label("status", line.status),
            line.item_code,
            *values(line),
            line.citizen,
            line.phone,
        )
        for line in lines
    ]
    return Table(key, (*_LEAD, *middle, *_TAIL), rows)


def _overdue_table(lines: list[LegLine], counter: WorkingDayCounter) -> Table:
    middle = (
        Column("col.j_date", Kind.DATE),
        Column("col.deadline", Kind.DATE),
        Column("col.days_overdue", Kind.INT),
    )
    return _leg_table(
        "section.overdue",
        lines,
        middle,
        lambda line: (
            line.j_date,
            line.deadline,
            counter.after(line.deadline) if line.deadline else None,
        ),
    )


def _contact_table(key: str, lines: list[LegLine], moment_key: str) -> Table:
    """Failed deliveries, returned results and failed pickups: attempts and last news."""
    middle = (Column("col.invitations", Kind.INT), Column(moment_key, Kind.MOMENT))
    return _leg_table(
        key, lines, middle, lambda line: (line.invitations, line.closed_at or line.last_event_at)
    )


def build(session: Session, flt: ReportFilter, settings: Settings) -> Report:
    tz = settings.tz
    groups = tally(session, flt, tz, (col(Leg.agency_code), col(Leg.kind), col(Leg.status)))
    lines = leg_lines(
        session,
        flt,
        tz,
        {
            "overdue": open_and_late(flt.as_of),
            "failed": or_(
                col(Leg.invitations) > 0, col(Leg.status) == LegStatus.DELIVERY_FAILED_ATTEMPT
            ),
            "returned": col(Leg.status).in_(statuses(lambda s: s.returning)),
            "failed_pickup": and_(
                col(Leg.kind) == LegKind.PICKUP.value, col(Leg.status) == LegStatus.PICKUP_FAILED
            ),
        },
    )
    overdue = sorted(lines["overdue"], key=lambda line: line.deadline or flt.as_of)
    first = min((line.deadline for line in overdue if line.deadline), default=flt.as_of)
    counter = WorkingDayCounter(load_policy(settings.deadlines_file).calendar, first, flt.as_of)
    overall = total(counts for _, counts in groups)
    return Report(
        name="delivery",
        title_key="title.delivery",
        basis_key="basis.delivery",
        filter=flt,
        tables=[
            _status_table(groups),
            _on_time_table(groups),
            _overdue_table(overdue, counter),
            _contact_table("section.failed_delivery", lines["failed"], "col.last_event"),
            _contact_table("section.returned", lines["returned"], "col.closed_at"),
            _contact_table("section.failed_pickup", lines["failed_pickup"], "col.last_event"),
        ],
        charts=_charts(session, flt, settings),
        summary=[
            ("col.total", overall.legs, Kind.INT),
            ("col.on_time_rate", overall.on_time_rate, Kind.PERCENT),
            ("col.unresolved_late", overall.open_late, Kind.INT),
        ],
    )
