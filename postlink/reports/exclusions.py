"""Exclusions report: procedures that may not go through the post, and cases that did.

QĐ 45/2016/QĐ-TTg art. 1 cl. 2 excludes procedures where the person must appear in
person; art. 18 has the province publish the list, by decision. Part I shows the list in
force on the chosen day (an agency-specific entry overrides the general one, as real
one-stop systems keep eligibility per procedure × agency), grouped by field and level with
reason, legal basis and decision. Part II shows, for the period, every leg the sync judged
``excluded`` and every outbox command refused for an excluded procedure, with what staff
must do, and counts per procedure and per agency.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from postlink.catalog.versions import in_force_on
from postlink.legs.status import LegStatus
from postlink.models import (
    Dossier,
    Leg,
    ListEntry,
    ListVersion,
    MatchClass,
    OutboxCommand,
    OutboxState,
)
from postlink.reports.document import Cell, Column, Kind, Report, Table
from postlink.reports.filters import ReportFilter
from postlink.reports.formatting import contact
from postlink.reports.listing import leg_lines
from postlink.reports.strings import label, text
from postlink.settings import Settings


@dataclass(frozen=True, slots=True)
class Case:
    """One dossier or result of an excluded procedure that reached the post."""

    dossier_code: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    kind: str
    status: str
    source: str
    reason: str
    legal_basis: str
    citizen: str
    phone: str

    @property
    def action(self) -> str:
        if self.source == "refused":
            return text("action.refused")
        if self.kind == "pickup":
            return text("action.pickup")
        return text(
            "action.return_closed" if LegStatus(self.status).terminal else "action.return_open"
        )


def _excluded_part(entry: ListEntry) -> str:
    if not entry.postal_submission and not entry.postal_return:
        return text("excluded.both")
    return text("excluded.submission" if not entry.postal_submission else "excluded.return")


def _in_force_entries(
    session: Session, version: ListVersion, agency: str | None
) -> list[ListEntry]:
    """The version's entries as seen by ``agency`` (its own entry wins over the general one)."""
    query = select(ListEntry).where(col(ListEntry.version_id) == version.id)
    if agency:
        query = query.where(col(ListEntry.agency_code).in_(("", agency)))
    entries = list(session.scalars(query))
    if not agency:
        return entries
    chosen: dict[str, ListEntry] = {}
    for entry in sorted(entries, key=lambda e: e.agency_code):
        chosen[entry.procedure_code] = entry
    return list(chosen.values())


def _list_table(session: Session, flt: ReportFilter) -> Table:
    columns = (
        Column("col.field"),
        Column("col.level"),
        Column("col.procedure_code"),
        Column("col.procedure"),
        Column("col.agency"),
        Column("col.exclusion"),
        Column("col.reason"),
        Column("col.legal_basis"),
        Column("col.decision"),
    )
    version = in_force_on(session, flt.list_day)
    if version is None:
        return Table(
            "section.list",
            columns,
            [],
            note=text("label.no_list").format(day=f"{flt.list_day:%d/%m/%Y}"),
        )
    decision = text("label.decision_of").format(
        decision=version.decision, day=f"{version.effective_from:%d/%m/%Y}"
    )
    excluded = [
        e
        for e in _in_force_entries(session, version, flt.agency)
        if not (e.postal_submission and e.postal_return)
    ]
    excluded.sort(key=lambda e: (e.field, e.level or "", e.procedure_code, e.agency_code))
    rows: list[tuple[Cell, ...]] = [
        (
            e.field,
            label("level", e.level or "none"),
            e.procedure_code_raw or e.procedure_code,
            e.name,
            e.agency or e.agency_code,
            _excluded_part(e),
            e.reason,
            e.legal_basis,
            decision,
        )
        for e in excluded
    ]
    return Table("section.list", columns, rows, group_by=2)


def _leg_cases(session: Session, flt: ReportFilter, settings: Settings) -> list[Case]:
    lines = leg_lines(
        session, flt, settings.tz, {"excluded": col(Leg.match_class) == MatchClass.EXCLUDED.value}
    )["excluded"]
    return [
        Case(
            line.dossier_code,
            line.procedure_code,
            line.procedure_name,
            line.agency_code,
            line.kind,
            line.status,
            "leg",
            line.match_reason,
            line.match_legal_basis,
            line.citizen,
            line.phone,
        )
        for line in lines
    ]


def _refused_cases(session: Session, flt: ReportFilter, settings: Settings) -> list[Case]:
    first, after = flt.period.utc_bounds(settings.tz)
    query = (
        select(OutboxCommand, Dossier)
        .outerjoin(Dossier, col(Dossier.code) == col(OutboxCommand.dossier_code))
        .where(
            col(OutboxCommand.state) == OutboxState.REFUSED.value,
            col(OutboxCommand.created_at) >= first,
            col(OutboxCommand.created_at) < after,
        )
        .order_by(col(OutboxCommand.created_at), col(OutboxCommand.id))
    )
    if flt.agency:
        query = query.where(col(Dossier.agency_code) == flt.agency)
    if flt.leg:
        query = query.where(col(OutboxCommand.leg_kind) == flt.leg.value)
    cases = []
    for command, dossier in session.execute(query).all():
        cases.append(
            Case(
                command.dossier_code,
                (dossier.procedure_code or "") if dossier else "",
                dossier.procedure_name if dossier else "",
                dossier.agency_code if dossier else "",
                command.leg_kind,
                "",
                "refused",
                command.refusal_reason,
                "",
                dossier.citizen_name if dossier else "",
                contact(dossier.citizen_phone, flt.full_contact) if dossier else "",
            )
        )
    return cases


def _cases_table(cases: list[Case]) -> Table:
    columns = (
        Column("col.dossier"),
        Column("col.procedure_code"),
        Column("col.procedure"),
        Column("col.agency"),
        Column("col.leg"),
        Column("col.status"),
        Column("col.source"),
        Column("col.reason"),
        Column("col.legal_basis"),
        Column("col.action"),
        Column("col.citizen"),
        Column("col.phone"),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            c.dossier_code,
            c.procedure_code,
            c.procedure_name,
            c.agency_code,
            label("leg_short", c.kind),
            label("status", c.status) if c.status else "",
            text(f"source.{c.source}"),
            c.reason,
            c.legal_basis,
            c.action,
            c.citizen,
            c.phone,
        )
        for c in cases
    ]
    return Table("section.cases", columns, rows)


def _count_table(key: str, heading: Column, counts: Counter[str]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (name, count) for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Table(key, (heading, Column("col.count", Kind.INT)), rows)


def build(session: Session, flt: ReportFilter, settings: Settings) -> Report:
    cases = _leg_cases(session, flt, settings) + _refused_cases(session, flt, settings)
    cases.sort(key=lambda c: (c.procedure_code, c.dossier_code, c.kind))
    by_procedure = Counter(c.procedure_code or text("label.none") for c in cases)
    by_agency = Counter(c.agency_code or text("label.none") for c in cases)
    return Report(
        name="exclusions",
        title_key="title.exclusions",
        basis_key="basis.exclusions",
        filter=flt,
        tables=[
            _list_table(session, flt),
            _cases_table(cases),
            _count_table("section.by_procedure", Column("col.procedure_code"), by_procedure),
            _count_table("section.by_agency", Column("col.agency"), by_agency),
        ],
        summary=[("col.count", len(cases), Kind.INT)],
    )
