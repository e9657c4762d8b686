"""Period report to the provincial department (TT 17/2017/TT-BTTTT art. 13).

Quarterly, half-yearly or yearly: the procedures handled through the post with their
volumes per leg and the fees known, then per leg how many were delivered (and on time),
failed, returned, cancelled, and still unresolved past their deadline. The post reports no
"lost" status, so lost and damaged items, compensation and complaints are left as fields
for the office to fill in before sending (art. 13 asks for them; no system here knows them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlmodel import Session, col

from postlink.legs.status import LegStatus
from postlink.models import Leg, LegKind, ListEntry
from postlink.reports.document import Cell, Column, Kind, Report, Table
from postlink.reports.filters import ReportFilter
from postlink.reports.strings import label, text
from postlink.reports.tally import Counts, tally, total
from postlink.settings import Settings

_MANUAL = (
    "manual.complaints",
    "manual.complaints_resolved",
    "manual.lost",
    "manual.damaged",
    "manual.compensation",
)


def _names(session: Session, codes: list[str]) -> dict[str, str]:
    """Procedure names from the lists, the newest version's wording winning."""
    query = (
        select(col(ListEntry.procedure_code), col(ListEntry.name))
        .where(col(ListEntry.procedure_code).in_(codes))
        .order_by(col(ListEntry.version_id))
    )
    return {str(code): str(name) for code, name in session.execute(query).all()}


def _procedure_table(session: Session, per: dict[str, dict[str, Counts]]) -> Table:
    codes = sorted(code for code in per if code)
    names = _names(session, codes)
    columns = (
        Column("col.procedure_code"),
        Column("col.procedure"),
        Column("col.pickups", Kind.INT),
        Column("col.returns", Kind.INT),
        Column("col.fees", Kind.MONEY),
        Column("col.fees_known", Kind.INT),
    )
    rows: list[tuple[Cell, ...]] = []
    for code in [*codes, *([""] if "" in per else [])]:
        kinds = per[code]
        both = total(kinds.values())
        pickups = kinds[LegKind.PICKUP.value].legs if LegKind.PICKUP.value in kinds else 0
        returns = kinds[LegKind.RETURN.value].legs if LegKind.RETURN.value in kinds else 0
        rows.append(
            (
                code or text("label.none"),
                names.get(code, ""),
                pickups,
                returns,
                both.fees,
                both.fees_known,
            )
        )
    return Table("section.procedures", columns, rows)


def _volume_row(kind: str, statuses: dict[str, Counts]) -> tuple[Cell, ...]:
    def among(which: Callable[[LegStatus], bool]) -> int:
        return sum(counts.legs for status, counts in statuses.items() if which(LegStatus(status)))

    everything = total(statuses.values())
    open_legs = among(lambda s: not s.terminal)
    return (
        kind,
        everything.legs,
        among(lambda s: s.delivered),
        everything.on_time,
        everything.on_time_rate,
        open_legs,
        among(lambda s: s is LegStatus.PICKUP_FAILED),
        among(lambda s: s.returning),
        among(lambda s: s is LegStatus.CANCELLED),
        everything.open_late,
        everything.fees,
    )


def _volume_table(per_kind: dict[str, dict[str, Counts]]) -> Table:
    columns = (
        Column("col.leg"),
        Column("col.total", Kind.INT),
        Column("col.delivered", Kind.INT),
        Column("col.on_time", Kind.INT),
        Column("col.on_time_rate", Kind.PERCENT),
        Column("col.open", Kind.INT),
        Column("col.failed", Kind.INT),
        Column("col.returned", Kind.INT),
        Column("col.cancelled", Kind.INT),
        Column("col.unresolved_late", Kind.INT),
        Column("col.fees", Kind.MONEY),
    )
    rows = [
        _volume_row(label("leg", kind.value), per_kind[kind.value])
        for kind in LegKind
        if kind.value in per_kind
    ]
    if rows:
        merged: dict[str, Counts] = defaultdict(Counts)
        for statuses in per_kind.values():
            for status, counts in statuses.items():
                merged[status].add(counts)
        rows.append(_volume_row(text("label.total"), merged))
    return Table("section.volumes", columns, rows, numbered=False)


def _manual_table() -> Table:
    columns = (Column("col.item_name"), Column("col.value"))
    return Table(
        "section.manual", columns, [(text(key), None) for key in _MANUAL], note=text("manual.note")
    )


def build(session: Session, flt: ReportFilter, settings: Settings) -> Report:
    groups = tally(
        session, flt, settings.tz, (col(Leg.procedure_code), col(Leg.kind), col(Leg.status))
    )
    per_procedure: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    per_kind: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    for (code, kind, status), counts in groups:
        per_procedure[str(code or "")][str(kind)].add(counts)
        per_kind[str(kind)][str(status)].add(counts)
    overall = total(counts for _, counts in groups)
    return Report(
        name="period",
        title_key="title.period",
        basis_key="basis.period",
        filter=flt,
        tables=[_procedure_table(session, per_procedure), _volume_table(per_kind), _manual_table()],
        summary=[
            ("col.total", overall.legs, Kind.INT),
            ("col.on_time_rate", overall.on_time_rate, Kind.PERCENT),
            ("col.fees", overall.fees, Kind.MONEY),
        ],
        meta={"office": settings.office_name},
    )
