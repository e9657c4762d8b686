"""The counter's two handovers with the postal worker, and what each one lists.

Receiving (QĐ 45/2016 art. 7): the pickup legs the post says have reached the office and
that no signed record holds yet; staff tick each complete, incomplete or missing — or scan
the barcode on each item, which finds and ticks it — and sign, and
``legs.handover.create_handover`` stores the record with the signing time as the filing
time (cl. 4). A round may bring hundreds of items, so the list is paginated and says how
many there are in all (issue 14 §2). Handing results (arts. 8-9): dossiers already filed
without a return order become return orders through the outbox (``sync.outbox.register``,
which refuses an excluded procedure with the list's reason); once the post has created an
order, the result waits for the worker to collect it and is handed over on an outgoing
record.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from postlink.legs.status import LegStatus
from postlink.models import (
    Direction,
    Dossier,
    Handover,
    HandoverItem,
    Leg,
    LegKind,
    OutboxCommand,
    OutboxState,
)
from postlink.postal.models import Party
from postlink.sync.outbox import Registration
from postlink.web.dashboard import ARRIVED, AnySelect, LegRow, legs_with_dossiers

T = TypeVar("T")

#: Pickup legs the post has accepted and not yet handed over: at the delivery office or
#: delivered to ours, or still on the way (the worker may bring them before the feed says so).
RECEIVABLE = (LegStatus.ACCEPTED, LegStatus.IN_TRANSIT, *ARRIVED)
#: Return legs whose order exists but whose item the postal worker has not collected yet.
AWAITING_COLLECTION = (
    LegStatus.DRAFT,
    LegStatus.CREATED,
    LegStatus.PICKUP_SCHEDULED,
    LegStatus.PICKUP_IN_PROGRESS,
    LegStatus.PICKUP_FAILED_ATTEMPT,
)
#: Rows the results lists show at most (results leave a few at a time).
DESK_ROWS = 200
#: Rows per page of the items still to receive.
RECEIVE_ROWS = 50


def _not_handed(direction: Direction) -> ColumnElement[bool]:
    return ~exists(
        select(HandoverItem.id)
        .join(Handover, col(Handover.id) == col(HandoverItem.handover_id))
        .where(col(HandoverItem.leg_id) == col(Leg.id), col(Handover.direction) == direction)
    )


@dataclass(frozen=True)
class Shown(Generic[T]):
    """The first ``DESK_ROWS`` rows of a desk list and how many there are in all, so that
    the page says what it leaves out (issue 14 §2)."""

    rows: list[T]
    count: int


def _count(session: Session, query: AnySelect, shown: int) -> int:
    if shown < DESK_ROWS:
        return shown
    counted = sa_select(func.count()).select_from(query.order_by(None).subquery())
    return int(session.execute(counted).scalar_one())


def _legs(session: Session, query: Select[Leg, Dossier]) -> Shown[LegRow]:
    rows = [(leg, dossier) for leg, dossier in session.execute(query.limit(DESK_ROWS)).all()]
    return Shown(rows, _count(session, query, len(rows)))


def _first(session: Session, query: AnySelect) -> Shown[Any]:
    rows = list(session.scalars(query.limit(DESK_ROWS)).all())
    return Shown(rows, _count(session, query, len(rows)))


def _receivable() -> Select[Leg, Dossier]:
    return legs_with_dossiers().where(
        col(Leg.kind) == LegKind.PICKUP,
        col(Leg.status).in_(list(RECEIVABLE)),
        _not_handed(Direction.IN),
    )


@dataclass(frozen=True)
class ReceivePage:
    """One page of the items still to receive, leaving out those already ticked."""

    rows: list[LegRow]
    count: int
    page: int
    pages: int


def receivable_page(session: Session, page: int, ticked: Collection[int]) -> ReceivePage:
    query = _receivable()
    if ticked:
        query = query.where(col(Leg.id).not_in(list(ticked)))
    count = session.execute(
        sa_select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    pages = max(1, -(-count // RECEIVE_ROWS))
    page = min(page, pages)
    ordered = query.order_by(col(Leg.status_at).desc(), col(Leg.id))
    rows = session.execute(ordered.offset((page - 1) * RECEIVE_ROWS).limit(RECEIVE_ROWS)).all()
    return ReceivePage([(leg, dossier) for leg, dossier in rows], count, page, pages)


def receivable_by_id(session: Session, ids: Collection[int]) -> dict[int, LegRow]:
    """The ticked items that are still to receive (another desk may have signed one)."""
    if not ids:
        return {}
    rows = session.execute(_receivable().where(col(Leg.id).in_(list(ids)))).all()
    return {leg.id: (leg, dossier) for leg, dossier in rows if leg.id is not None}


def scanned(session: Session, text: str) -> Leg | None:
    """The item still to receive whose waybill number (the S10 barcode a scanner types)
    or dossier code is ``text``."""
    code = "".join(text.split()).upper()
    if not code:
        return None
    found = session.execute(
        _receivable().where(or_(col(Leg.item_code) == code, col(Dossier.code) == code)).limit(1)
    ).first()
    return found[0] if found else None


def awaiting_collection(session: Session) -> Shown[LegRow]:
    return _legs(
        session,
        legs_with_dossiers()
        .where(
            col(Leg.kind) == LegKind.RETURN,
            col(Leg.status).in_(list(AWAITING_COLLECTION)),
            _not_handed(Direction.OUT),
        )
        .order_by(col(Leg.created_at), col(Leg.id)),
    )


def results_ready(session: Session) -> Shown[Dossier]:
    """Filed dossiers with neither a return leg nor a return command yet."""
    no_leg = ~exists(
        select(Leg.id).where(col(Leg.dossier_id) == col(Dossier.id), col(Leg.kind) == "return")
    )
    no_command = ~exists(
        select(OutboxCommand.id).where(
            col(OutboxCommand.dossier_code) == col(Dossier.code),
            col(OutboxCommand.leg_kind) == LegKind.RETURN,
        )
    )
    return _first(
        session,
        sa_select(Dossier)
        .where(col(Dossier.filed_at).is_not(None), no_leg, no_command)
        .order_by(col(Dossier.filed_at).desc()),
    )


def open_return_commands(session: Session) -> Shown[OutboxCommand]:
    """Return commands not yet turned into an order: pending, refused or failed."""
    states = [OutboxState.PENDING, OutboxState.REFUSED, OutboxState.FAILED]
    return _first(
        session,
        sa_select(OutboxCommand)
        .where(col(OutboxCommand.leg_kind) == LegKind.RETURN, col(OutboxCommand.state).in_(states))
        .order_by(col(OutboxCommand.updated_at).desc()),
    )


def return_registration(dossier: Dossier) -> Registration:
    """The result goes back to the citizen who sent the dossier (QĐ 45/2016 art. 9)."""
    return Registration(
        LegKind.RETURN,
        dossier.code,
        dossier.procedure_code_raw or dossier.procedure_code or "",
        dossier.procedure_name,
        Party(
            name=dossier.citizen_name,
            phone=dossier.citizen_phone,
            address=dossier.citizen_address,
            commune_code=dossier.commune_code,
        ),
    )


def dossiers_by_id(session: Session, ids: Iterable[int]) -> list[Dossier]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.exec(select(Dossier).where(col(Dossier.id).in_(wanted))).all())
