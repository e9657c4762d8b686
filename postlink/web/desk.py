"""The counter's two handovers with the postal worker, and what each one lists.

Receiving (QĐ 45/2016 art. 7): the pickup legs the post says have reached the office and
that no signed record holds yet; staff tick each complete, incomplete or missing and sign,
and ``reports.handover.create_handover`` stores the record with the signing time as the
filing time (cl. 4). Handing results (arts. 8-9): dossiers already filed without a return
order become return orders through the outbox (``sync.outbox.register``, which refuses an
excluded procedure with the list's reason); once the post has created an order, the result
waits for the worker to collect it and is handed over on an outgoing record.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, exists
from sqlmodel import Session, col, select

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
from postlink.postal.models import NormalizedStatus, Party
from postlink.sync.outbox import Registration
from postlink.web.dashboard import ARRIVED, LegRow, legs_with_dossiers

#: Pickup legs the post has accepted and not yet handed over: at the delivery office or
#: delivered to ours, or still on the way (the worker may bring them before the feed says so).
RECEIVABLE = (NormalizedStatus.ACCEPTED, NormalizedStatus.IN_TRANSIT, *ARRIVED)
#: Return legs whose order exists but whose item the postal worker has not collected yet.
AWAITING_COLLECTION = (
    NormalizedStatus.DRAFT,
    NormalizedStatus.CREATED,
    NormalizedStatus.PICKUP_SCHEDULED,
    NormalizedStatus.PICKUP_IN_PROGRESS,
    NormalizedStatus.PICKUP_FAILED_ATTEMPT,
)
#: Rows one desk list shows at most (a postal round brings far fewer).
DESK_ROWS = 200


def _not_handed(direction: Direction) -> ColumnElement[bool]:
    return ~exists(
        select(HandoverItem.id)
        .join(Handover, col(Handover.id) == col(HandoverItem.handover_id))
        .where(col(HandoverItem.leg_id) == col(Leg.id), col(Handover.direction) == direction)
    )


def _legs(session: Session, query: Select[Leg, Dossier]) -> list[LegRow]:
    return [(leg, dossier) for leg, dossier in session.execute(query.limit(DESK_ROWS)).all()]


def receivable(session: Session) -> list[LegRow]:
    return _legs(
        session,
        legs_with_dossiers()
        .where(
            col(Leg.kind) == LegKind.PICKUP,
            col(Leg.status).in_(list(RECEIVABLE)),
            _not_handed(Direction.IN),
        )
        .order_by(col(Leg.status_at).desc(), col(Leg.id)),
    )


def awaiting_collection(session: Session) -> list[LegRow]:
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


def results_ready(session: Session) -> list[Dossier]:
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
    return list(
        session.exec(
            select(Dossier)
            .where(col(Dossier.filed_at).is_not(None), no_leg, no_command)
            .order_by(col(Dossier.filed_at).desc())
            .limit(DESK_ROWS)
        ).all()
    )


def open_return_commands(session: Session) -> list[OutboxCommand]:
    """Return commands not yet turned into an order: pending, refused or failed."""
    states = [OutboxState.PENDING, OutboxState.REFUSED, OutboxState.FAILED]
    return list(
        session.exec(
            select(OutboxCommand)
            .where(
                col(OutboxCommand.leg_kind) == LegKind.RETURN, col(OutboxCommand.state).in_(states)
            )
            .order_by(col(OutboxCommand.updated_at).desc())
            .limit(DESK_ROWS)
        ).all()
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
