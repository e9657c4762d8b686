"""Leg-by-leg lists (overdue, failed, returned, excluded) with their dossier and citizen.

Lists carry personal data (Law 91/2025/QH15 on personal data protection): the phone
number is masked here, once, unless the filter asks for full contact, so that no format
can leak what another hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, or_, select
from sqlmodel import Session, col

from postlink.models import Dossier, Leg
from postlink.reports.conditions import in_period
from postlink.reports.filters import ReportFilter
from postlink.reports.formatting import contact


@dataclass(frozen=True, slots=True)
class LegLine:
    leg_id: int
    dossier_code: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    kind: str
    status: str
    item_code: str
    j_date: date | None
    deadline: date | None
    invitations: int
    last_invitation_on: date | None
    last_event_at: datetime | None
    closed_at: datetime | None
    citizen: str
    phone: str
    match_reason: str
    match_legal_basis: str


_COLUMNS = (
    col(Leg.id),
    col(Dossier.code),
    col(Leg.procedure_code),
    col(Dossier.procedure_code),
    col(Dossier.procedure_name),
    col(Leg.agency_code),
    col(Leg.kind),
    col(Leg.status),
    col(Leg.item_code),
    col(Leg.j_date),
    col(Leg.deadline),
    col(Leg.invitations),
    col(Leg.last_invitation_on),
    col(Leg.last_event_at),
    col(Leg.closed_at),
    col(Dossier.citizen_name),
    col(Dossier.citizen_phone),
    col(Leg.match_reason),
    col(Leg.match_legal_basis),
    col(Leg.reference),
)


def leg_lines(
    session: Session,
    flt: ReportFilter,
    tz: ZoneInfo,
    sections: Mapping[str, ColumnElement[bool]],
) -> dict[str, list[LegLine]]:
    """The filter's legs in each named section (a leg may be in several), in leg order.

    One pass over the period for all sections: each condition becomes a 0/1 column, so the
    delivery report's four lists cost one index scan instead of four.
    """
    names = list(sections)
    flags = [case((condition, 1), else_=0) for condition in sections.values()]
    query = (
        select(*_COLUMNS, *flags)
        .select_from(Leg)
        .outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
        .where(in_period(flt, tz), or_(*sections.values()))
        .order_by(col(Leg.id))
    )
    found: dict[str, list[LegLine]] = {name: [] for name in names}
    width = len(_COLUMNS)
    for row in session.execute(query):
        (leg_id, code, leg_proc, dossier_proc, proc_name, agency, kind, status, item) = row[:9]
        (j_date, deadline, invitations, last_invited, last_at, closed_at) = row[9:15]
        name, phone, reason, basis, reference = row[15:width]
        line = LegLine(
            leg_id=leg_id,
            dossier_code=code or reference,
            procedure_code=leg_proc or dossier_proc or "",
            procedure_name=proc_name or "",
            agency_code=agency,
            kind=kind,
            status=status,
            item_code=item or "",
            j_date=j_date,
            deadline=deadline,
            invitations=invitations,
            last_invitation_on=last_invited,
            last_event_at=last_at,
            closed_at=closed_at,
            citizen=name or "",
            phone=contact(phone or "", flt.full_contact),
            match_reason=reason,
            match_legal_basis=basis,
        )
        for section, flag in zip(names, row[width:], strict=True):
            if flag:
                found[section].append(line)
    return found
