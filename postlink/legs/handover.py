"""Creating a handover record (biên bản giao nhận) between the office and the post.

QĐ 45/2016/QĐ-TTg art. 7: the receiver and the postal worker count the dossiers against
each waybill and sign a record listing every dossier with its waybill number and whether it
is complete; cl. 4: **the moment the record is signed is the legal filing time** of each
dossier in it, so signing stores ``filed_at`` on every complete dossier that has none yet.
Arts. 8-9: results handed by the office to the post get the mirror record (direction out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session, col

from postlink import audit
from postlink.errors import PostlinkError
from postlink.models import Direction, Dossier, Handover, HandoverItem, ItemState, Leg, LegKind
from postlink.timeutil import require_aware

#: Which leg a handover carries: dossiers come in on pickup legs, results go out on returns.
LEG_OF = {Direction.IN: LegKind.PICKUP, Direction.OUT: LegKind.RETURN}


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """One item as staff name it: waybill number, order reference or dossier code."""

    ref: str
    state: ItemState = ItemState.COMPLETE


def _find_leg(session: Session, ref: str, kind: LegKind) -> Leg:
    query = (
        select(Leg)
        .outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
        .where(
            col(Leg.kind) == kind.value,
            or_(col(Leg.item_code) == ref, col(Leg.reference) == ref, col(Dossier.code) == ref),
        )
        .order_by(col(Leg.id).desc())
    )
    leg = session.scalars(query).first()
    if leg is None:
        raise PostlinkError(
            f"item {ref!r}: no {kind.value} leg has this waybill number, order reference or "
            "dossier code; check the number on the Phiếu gửi (postlink sync may not have "
            "fetched it yet)"
        )
    return leg


def _id(leg: Leg) -> int:
    assert leg.id is not None  # legs read from the database have ids
    return leg.id


def _already_handed(session: Session, leg: Leg, direction: Direction, ref: str) -> None:
    previous = session.scalars(
        select(Handover)
        .join(HandoverItem, col(HandoverItem.handover_id) == col(Handover.id))
        .where(col(HandoverItem.leg_id) == leg.id, col(Handover.direction) == direction.value)
    ).first()
    if previous is not None:
        raise PostlinkError(
            f"item {ref!r} is already on handover {previous.id} signed "
            f"{previous.signed_at:%Y-%m-%d %H:%M} UTC; leave it out of this one"
        )


def create_handover(
    session: Session,
    *,
    direction: Direction,
    items: Sequence[ItemSpec],
    officer: str,
    postal_worker: str,
    signed_at: datetime,
    office: str,
    actor: str,
    note: str = "",
) -> Handover:
    """Record a signed handover; set the filing time of its complete dossiers (art. 7 cl. 4)."""
    if not items:
        raise PostlinkError(code="handover.no_items")
    if not officer.strip():
        raise PostlinkError(code="handover.no_officer")
    if not postal_worker.strip():
        raise PostlinkError(code="handover.no_worker")
    refs = [item.ref for item in items]
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise PostlinkError(code="handover.listed_twice", refs=", ".join(repeated))
    signed = require_aware(signed_at)
    legs = [_find_leg(session, item.ref, LEG_OF[direction]) for item in items]
    for item, leg in zip(items, legs, strict=True):
        _already_handed(session, leg, direction, item.ref)
    handover = Handover(
        direction=direction.value,
        office=office,
        officer=officer.strip(),
        postal_worker=postal_worker.strip(),
        signed_at=signed,
        note=note,
        created_by=actor,
    )
    session.add(handover)
    session.flush()
    assert handover.id is not None  # assigned by the flush
    filed: list[str] = []
    for item, leg in zip(items, legs, strict=True):
        session.add(HandoverItem(handover_id=handover.id, leg_id=_id(leg), state=item.state.value))
        dossier = session.get(Dossier, leg.dossier_id) if leg.dossier_id else None
        if (
            direction is Direction.IN
            and item.state is ItemState.COMPLETE
            and dossier is not None
            and dossier.filed_at is None
        ):
            dossier.filed_at = signed
            session.add(dossier)
            filed.append(dossier.code)
    audit.record(
        session,
        actor=actor,
        action="handover.create",
        entity_type="handover",
        entity_id=handover.id,
        after={
            "direction": direction.value,
            "signed_at": signed.isoformat(),
            "officer": handover.officer,
            "postal_worker": handover.postal_worker,
            "items": [{"ref": i.ref, "state": i.state.value} for i in items],
            "filed": filed,
        },
        reason="QĐ 45/2016 art. 7",
    )
    return handover
