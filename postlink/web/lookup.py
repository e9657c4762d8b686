"""Finding a dossier the way staff ask for it, and everything the dossier page shows.

A citizen at the counter gives a dossier code (from the appointment slip), a waybill number
(from the Phiếu gửi) or a phone number; each is an exact, indexed lookup, so a search stays
instant on millions of legs. Phone numbers are tried in their 0… and +84… forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlmodel import Session, and_, col, or_, select

from postlink.identifiers import IdentifierError, parse_dossier_code
from postlink.models import Dossier, Event, Handover, HandoverItem, Leg, OutboxCommand

#: Dossiers shown for one search (a phone number may have many).
MAX_HITS = 50
_PHONE = re.compile(r"^(?:\+?84|0)(\d{8,10})$")
_SEPARATORS = re.compile(r"[\s.\-()]")


@dataclass
class Hit:
    """One search result: a dossier and its legs, or a leg the post made without our code."""

    dossier: Dossier | None
    legs: list[Leg] = field(default_factory=list)


def phone_variants(text: str) -> list[str]:
    """``0912 345 678`` → the forms a number may be stored in; empty when not a phone."""
    found = _PHONE.match(_SEPARATORS.sub("", text))
    if found is None:
        return []
    rest = found.group(1)
    return [f"0{rest}", f"+84{rest}", f"84{rest}"]


def _dossier_code(text: str) -> str:
    try:
        return parse_dossier_code(text).text
    except IdentifierError:
        return text


def search(session: Session, query: str, adapter: str) -> list[Hit]:
    """Dossiers by code or phone, legs by waybill number or by our reference with
    ``adapter`` (the unique key of a leg, so every lookup is one index probe)."""
    text = query.strip()
    if not text:
        return []
    dossiers = list(
        session.exec(
            select(Dossier)
            .where(
                or_(
                    col(Dossier.code) == _dossier_code(text),
                    col(Dossier.citizen_phone).in_(phone_variants(text) or [""]),
                )
            )
            .order_by(col(Dossier.created_at).desc())
            .limit(MAX_HITS)
        ).all()
    )
    by_item = session.exec(
        select(Leg).where(
            or_(
                col(Leg.item_code) == text.upper(),
                and_(col(Leg.adapter) == adapter, col(Leg.reference) == text),
            )
        )
    ).all()
    known = {d.id for d in dossiers}
    orphans = [Hit(None, [leg]) for leg in by_item if leg.dossier_id is None]
    extra_ids = {leg.dossier_id for leg in by_item} - known - {None}
    if extra_ids:
        dossiers += session.exec(select(Dossier).where(col(Dossier.id).in_(extra_ids))).all()
    hits = {d.id: Hit(d) for d in dossiers}
    if hits:
        for leg in session.exec(select(Leg).where(col(Leg.dossier_id).in_(list(hits)))).all():
            hits[leg.dossier_id].legs.append(leg)
    return [*hits.values(), *orphans]


@dataclass
class DossierView:
    """A dossier (or a lone leg), its legs with their timelines, commands and handovers."""

    dossier: Dossier | None
    legs: list[Leg]
    events: dict[int, list[Event]]
    commands: list[OutboxCommand]
    handovers: dict[int, list[tuple[Handover, HandoverItem]]]


def _view(session: Session, dossier: Dossier | None, legs: list[Leg]) -> DossierView:
    ids = [leg.id for leg in legs if leg.id is not None]
    events: dict[int, list[Event]] = {i: [] for i in ids}
    for event in session.exec(
        select(Event).where(col(Event.leg_id).in_(ids)).order_by(col(Event.occurred_at))
    ).all():
        events[event.leg_id].append(event)
    handovers: dict[int, list[tuple[Handover, HandoverItem]]] = {i: [] for i in ids}
    for handover, item in session.exec(
        select(Handover, HandoverItem)
        .join(HandoverItem, col(HandoverItem.handover_id) == col(Handover.id))
        .where(col(HandoverItem.leg_id).in_(ids))
    ).all():
        handovers[item.leg_id].append((handover, item))
    commands = (
        list(
            session.exec(
                select(OutboxCommand)
                .where(OutboxCommand.dossier_code == dossier.code)
                .order_by(col(OutboxCommand.id))
            ).all()
        )
        if dossier
        else []
    )
    return DossierView(dossier, legs, events, commands, handovers)


def dossier_view(session: Session, code: str) -> DossierView | None:
    dossier = session.exec(select(Dossier).where(Dossier.code == _dossier_code(code))).first()
    if dossier is None:
        return None
    legs = session.exec(
        select(Leg).where(Leg.dossier_id == dossier.id).order_by(col(Leg.kind), col(Leg.id))
    ).all()
    return _view(session, dossier, list(legs))


def leg_view(session: Session, leg_id: int) -> DossierView | None:
    """A leg the post created without a dossier code of ours (match class unknown)."""
    leg = session.get(Leg, leg_id)
    if leg is None:
        return None
    dossier = session.get(Dossier, leg.dossier_id) if leg.dossier_id else None
    if dossier is not None:
        return dossier_view(session, dossier.code)
    return _view(session, None, [leg])
