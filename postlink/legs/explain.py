"""How a leg's deadline was reached, step by step, for staff disputing a late item.

TT 17/2017/TT-BTTTT art. 7: the deadline is J + n working days. Staff arguing with the post
over a late result need every step: the J date and the event that set it, the route and
why, n, each day counted or skipped (weekend, public holiday by name, the province's day
off) and each weekend day worked as a make-up day, the deadline, and the delivery attempts
that count as invitations (TT 17/2017 art. 5 cl. 2 point h). ``postlink leg explain`` and
the dossier page both present this one explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from postlink.legs.calendar import CountedDay
from postlink.legs.deadlines import DeadlinePolicy
from postlink.legs.invitations import Judgement, explain_leg
from postlink.legs.lifecycle import Step
from postlink.legs.route_table import RouteTable
from postlink.legs.routes import SPECIAL_AREA
from postlink.legs.status import LegStatus
from postlink.models import Dossier, Event, Leg, LegKind
from postlink.timeutil import format_day
from postlink.words import say


@dataclass(frozen=True, slots=True)
class Moment:
    """An event of the leg as the post reported it."""

    at: datetime
    status: str
    code: str
    label: str


@dataclass(frozen=True)
class Explanation:
    """How one leg's deadline was reached; ``as_json`` gives the command's stable keys."""

    reference: str
    kind: str
    dossier_code: str | None
    item_code: str | None
    j_date: date | None
    j_event: Moment | None
    route: str
    route_label: str
    route_why: str
    commune_unknown: bool
    appointment_slip: bool
    n: int | None
    days: list[CountedDay]
    deadline: date | None
    overdue: bool
    closed_at: datetime | None
    invitations: list[Moment]
    #: The invitation rule's verdict and its reasons, worded (None until the item is back).
    invitation_verdict: str | None
    invitation_reasons: list[str]

    def as_json(self) -> dict[str, Any]:
        def moment(m: Moment | None) -> dict[str, str] | None:
            if m is None:
                return None
            return {"at": m.at.isoformat(), "status": m.status, "code": m.code, "label": m.label}

        return {
            "reference": self.reference,
            "leg": self.kind,
            "dossier_code": self.dossier_code,
            "item_code": self.item_code,
            "j_date": _iso(self.j_date),
            "j_event": moment(self.j_event),
            "route": {
                "name": self.route,
                "label": self.route_label,
                "why": self.route_why,
                "commune_unknown": self.commune_unknown,
                "appointment_slip": self.appointment_slip,
            },
            "n": self.n,
            "days": [
                {
                    "date": d.day.isoformat(),
                    "kind": d.kind.value,
                    "counted": d.counted,
                    "number": d.number,
                    "holiday": d.holiday,
                }
                for d in self.days
            ],
            "deadline": _iso(self.deadline),
            "overdue": self.overdue,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "invitations": {
                "count": len(self.invitations),
                "attempts": [moment(m) for m in self.invitations],
                "verdict": self.invitation_verdict,
                "reasons": self.invitation_reasons,
            },
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _route_n(leg: Leg, table: RouteTable, slip: bool) -> tuple[str, int | None]:
    """The route's label, and n as counted (a leg from before routes were stored: the row's)."""
    row = table.rows.get(leg.route)
    if leg.route == SPECIAL_AREA:
        return say("routes.special_label"), leg.route_days
    if row is None:
        return leg.route, leg.route_days
    return row.label, leg.route_days if leg.route_days is not None else row.n(slip)


def _worded(judgement: Judgement) -> list[str]:
    """The reasons of a verdict as staff read them, dates as dd/mm/yyyy."""

    def shown(value: object) -> object:
        return format_day(value) if isinstance(value, date) else value

    return [say(r.code, **{k: shown(v) for k, v in r.params.items()}) for r in judgement.reasons]


def explain(session: Session, leg: Leg, policy: DeadlinePolicy, tz: ZoneInfo) -> Explanation:
    """The explanation of ``leg``'s deadline from what is stored: nothing is re-decided but
    the invitation verdict's reasons, judged again from the events by the same rule."""
    dossier = session.get(Dossier, leg.dossier_id) if leg.dossier_id else None
    slip = bool(dossier and dossier.appointment_slip and leg.kind == LegKind.PICKUP)
    events = session.exec(
        select(Event).where(Event.leg_id == leg.id).order_by(col(Event.occurred_at))
    ).all()
    moments = [Moment(e.occurred_at, e.status, e.raw_code, e.raw_label) for e in events]
    label, n = _route_n(leg, policy.route_table, slip)
    days = policy.calendar.count_days(leg.j_date, n) if leg.j_date and n is not None else []
    judged = leg.invitation_verdict is not None
    steps = [Step(e.occurred_at, LegStatus(e.status)) for e in events]
    reasons = _worded(explain_leg(policy.invitation_rule, leg, steps, tz)) if judged else []
    return Explanation(
        reference=leg.reference,
        kind=leg.kind,
        dossier_code=dossier.code if dossier else None,
        item_code=leg.item_code,
        j_date=leg.j_date,
        j_event=next((m for m in moments if LegStatus(m.status).taken_by_post), None),
        route=leg.route,
        route_label=label,
        route_why=leg.route_why,
        commune_unknown=leg.route_commune_unknown,
        appointment_slip=slip,
        n=n,
        days=days,
        deadline=leg.deadline,
        overdue=leg.overdue,
        closed_at=leg.closed_at,
        invitations=[m for m in moments if LegStatus(m.status).failed_delivery],
        invitation_verdict=leg.invitation_verdict,
        invitation_reasons=reasons,
    )


def find_leg(session: Session, reference: str) -> Leg | None:
    """The leg with this postal reference (``<dossier>-P1``) or waybill number."""
    # As typed, or upper-cased as dossier codes and waybill numbers are written; a foreign
    # post's own reference may hold lower-case letters (a GUID).
    wanted = {reference.strip(), reference.strip().upper()}
    return session.exec(
        select(Leg)
        .where(col(Leg.reference).in_(wanted) | col(Leg.item_code).in_(wanted))
        .order_by(col(Leg.id))
    ).first()
