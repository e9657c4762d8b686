"""Period report to the provincial department (TT 17/2017/TT-BTTTT art. 13).

Quarterly, half-yearly or yearly: the procedures handled through the post with their
volumes per leg and the fees known, then per leg how many were delivered (and on time),
failed, returned, cancelled, and still unresolved past their deadline. The post reports no
"lost" status, so lost and damaged items, compensation and complaints are left as fields
for the office to fill in before sending (art. 13 asks for them; no system here knows them);
the number of compensation cases and the safety level, when the office gives them with the
report's options, are printed in their fields.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlmodel import Session, col

from postlink.legs.status import LegStatus
from postlink.models import Leg, LegKind, ListEntry, ListVersion, VersionStatus
from postlink.reports.conditions import returned_without_due_invitations
from postlink.reports.document import Cell, Column, Kind, Report, Table
from postlink.reports.filters import Period, ReportFilter
from postlink.reports.listing import LegLine, leg_lines
from postlink.reports.strings import label, text
from postlink.reports.tally import Counts, tally, total
from postlink.settings import Settings

_BLANK = (
    "manual.complaints",
    "manual.complaints_resolved",
    "manual.lost",
    "manual.damaged",
    "manual.compensation",
)


def _names(session: Session, codes: list[str], period: Period) -> dict[str, str]:
    """Procedure names as the lists in force during ``period`` word them (TT 17/2017
    art. 13 reports what was handled then): only published versions whose window
    ``[effective_from, effective_to)`` meets the period, never a draft or a later list; the
    version in force last in the period wins, and its general entry over an agency's own."""
    query = (
        select(col(ListEntry.procedure_code), col(ListEntry.name))
        .join(ListVersion, col(ListVersion.id) == col(ListEntry.version_id))
        .where(
            col(ListEntry.procedure_code).in_(codes),
            col(ListVersion.status) == VersionStatus.PUBLISHED,
            col(ListVersion.effective_from) <= period.end,
            or_(
                col(ListVersion.effective_to).is_(None),
                col(ListVersion.effective_to) > period.start,
            ),
        )
        .order_by(
            col(ListVersion.effective_from),
            col(ListVersion.id),
            col(ListEntry.agency_code).desc(),
        )
    )
    return {str(code): str(name) for code, name in session.execute(query).all()}


def _procedure_table(session: Session, per: dict[str, dict[str, Counts]], period: Period) -> Table:
    codes = sorted(code for code in per if code)
    names = _names(session, codes, period)
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


def _volume_row(kind: str, statuses: dict[str, Counts], undue: int) -> tuple[Cell, ...]:
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
        undue,
        among(lambda s: s is LegStatus.CANCELLED),
        everything.open_late,
        everything.fees,
    )


def _volume_table(per_kind: dict[str, dict[str, Counts]], undue: dict[str, int]) -> Table:
    columns = (
        Column("col.leg"),
        Column("col.total", Kind.INT),
        Column("col.delivered", Kind.INT),
        Column("col.on_time", Kind.INT),
        Column("col.on_time_rate", Kind.PERCENT),
        Column("col.open", Kind.INT),
        Column("col.failed", Kind.INT),
        Column("col.returned", Kind.INT),
        Column("col.returned_without_due_invitations", Kind.INT),
        Column("col.cancelled", Kind.INT),
        Column("col.unresolved_late", Kind.INT),
        Column("col.fees", Kind.MONEY),
    )
    rows = [
        _volume_row(label("leg", kind.value), per_kind[kind.value], undue.get(kind.value, 0))
        for kind in LegKind
        if kind.value in per_kind
    ]
    if rows:
        merged: dict[str, Counts] = defaultdict(Counts)
        for statuses in per_kind.values():
            for status, counts in statuses.items():
                merged[status].add(counts)
        rows.append(_volume_row(text("label.total"), merged, sum(undue.values())))
    return Table("section.volumes", columns, rows, numbered=False)


def _undue_return_table(lines: list[LegLine]) -> Table:
    """TT 17/2017 art. 5 cl. 2 point h: each result taken back to the office before two
    invitations two working days apart, for the department to follow up with the post."""
    columns = (
        Column("col.dossier"),
        Column("col.procedure_code"),
        Column("col.agency"),
        Column("col.item"),
        Column("col.invitations", Kind.INT),
        Column("col.last_invitation", Kind.DATE),
        Column("col.closed_at", Kind.MOMENT),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            line.dossier_code,
            line.procedure_code,
            line.agency_code,
            line.item_code,
            line.invitations,
            line.last_invitation_on,
            line.closed_at,
        )
        for line in lines
    ]
    return Table("section.period_returned_without_due_invitations", columns, rows)


def _manual_table(flt: ReportFilter) -> Table:
    """The figures art. 13 asks for that no postal record holds: those the office gave
    (compensation cases, safety level) printed, the rest left blank to fill in by hand."""
    columns = (Column("col.item_name"), Column("col.value"))
    rows: list[tuple[Cell, ...]] = [(text(key), None) for key in _BLANK]
    rows.append((text("manual.compensation_cases"), flt.compensation_cases))
    rows.append((text("manual.safety_level"), flt.safety_level or None))
    return Table("section.manual", columns, rows, note=text("manual.note"))


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
    undue = leg_lines(session, flt, settings.tz, {"undue": returned_without_due_invitations()})[
        "undue"
    ]
    undue_per_kind = Counter(line.kind for line in undue)
    return Report(
        name="period",
        title_key="title.period",
        basis_key="basis.period",
        filter=flt,
        tables=[
            _procedure_table(session, per_procedure, flt.period),
            _volume_table(per_kind, undue_per_kind),
            _undue_return_table(undue),
            _manual_table(flt),
        ],
        summary=[
            ("col.total", overall.legs, Kind.INT),
            ("col.on_time_rate", overall.on_time_rate, Kind.PERCENT),
            ("col.fees", overall.fees, Kind.MONEY),
        ],
        meta={"office": settings.office_name},
    )
