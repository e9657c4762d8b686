"""The outbox: orders the office owes the post, sent exactly once.

A pickup registration (the citizen asked for the dossier to be collected) or a result ready
for postal return becomes a command keyed by (kind, reference), so registering it twice is
a no-op. A command for a procedure whose leg is excluded from postal handling (QĐ 45/2016
art. 1 cl. 2, as published under art. 18) is refused at once with the list's reason.

Sending follows the adapter rule "never blindly retry order creation": the attempt counter
is committed *before* the call, so after a crash or an ambiguous failure the next attempt
knows an order may already exist and looks it up by reference before creating one.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from postlink import defaults
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.identifiers import IdentifierError, parse_dossier_code, parse_procedure_code
from postlink.legs.apply import SyncContext, apply_orders
from postlink.legs.match import judge
from postlink.models import Dossier, LegKind, MatchClass, OutboxCommand, OutboxState
from postlink.postal.errors import (
    PostalAuthError,
    PostalError,
    PostalRefused,
    PostalStopped,
    PostalUnavailable,
)
from postlink.postal.models import Order, OrderRequest, Party, reference_for
from postlink.settings import Settings
from postlink.timeutil import local_date, utcnow
from postlink.words import CodedValue

CREATE = "create"


@dataclass(frozen=True, slots=True)
class Registration:
    """What the one-stop system tells us about a dossier leg the post must carry."""

    leg: LegKind
    dossier_code: str
    procedure_code: str
    procedure_name: str
    citizen: Party
    #: TT 17/2017 art. 7: the dossier (pickup) leg carries an appointment slip (giấy hẹn),
    #: which doubles n; the one-stop system says so when it registers the pickup.
    appointment_slip: bool = False


def office_party(settings: Settings) -> Party:
    return Party(
        name=settings.office_name,
        phone=settings.office_phone,
        address=settings.office_address,
        province_code=settings.office_province_code,
        commune_code=settings.office_commune_code,
    )


def _request(registration: Registration, office: Party) -> OrderRequest:
    """Pickup: citizen → office; return: office → citizen (QĐ 45/2016 arts. 6 and 9)."""
    pickup = registration.leg == LegKind.PICKUP
    return OrderRequest(
        reference=reference_for(registration.dossier_code, registration.leg),
        leg=registration.leg,
        dossier_code=registration.dossier_code,
        procedure_code=registration.procedure_code,
        procedure_name=registration.procedure_name,
        sender=registration.citizen if pickup else office,
        receiver=office if pickup else registration.citizen,
        note=f"TTHC {registration.procedure_code}: {registration.procedure_name}",
    )


def _payload(request: OrderRequest) -> dict[str, Any]:
    return asdict(request)


def order_request(command: OutboxCommand) -> OrderRequest:
    """The order a command asks the post to carry, rebuilt from its stored payload."""
    fields = dict(command.payload)
    fields["leg"] = LegKind(fields["leg"])
    fields["sender"] = Party(**fields["sender"])
    fields["receiver"] = Party(**fields["receiver"])
    return OrderRequest(**fields)


def _normalised(registration: Registration) -> Registration:
    try:
        dossier = parse_dossier_code(registration.dossier_code).text
    except IdentifierError:
        raise PostlinkError(code="api.dossier_code", value=registration.dossier_code) from None
    try:
        procedure = parse_procedure_code(registration.procedure_code).text
    except IdentifierError:
        raise PostlinkError(code="procedure.code", value=registration.procedure_code) from None
    if not registration.citizen.name.strip():
        raise PostlinkError(code="registration.no_name", dossier=dossier)
    if not registration.citizen.address.strip():
        raise PostlinkError(code="registration.no_address", dossier=dossier)
    if registration.appointment_slip and registration.leg != LegKind.PICKUP:
        raise PostlinkError(code="routes.slip_on_return", dossier=dossier)
    return Registration(
        registration.leg,
        dossier,
        procedure,
        registration.procedure_name,
        registration.citizen,
        registration.appointment_slip,
    )


def register(
    session: Session, ctx: SyncContext, settings: Settings, raw: Registration, *, actor: str
) -> OutboxCommand:
    """Add (or find) the command for this leg; refuse it when the leg is excluded."""
    registration = _normalised(raw)
    request = _request(registration, office_party(settings))
    existing = session.exec(
        select(OutboxCommand).where(
            OutboxCommand.kind == CREATE, OutboxCommand.reference == request.reference
        )
    ).first()
    if existing is not None:
        if existing.payload != _payload(request):
            raise PostlinkError(
                code="registration.conflict",
                reference=request.reference,
                command=existing.id,
                state=CodedValue("outbox", existing.state),
            )
        return existing
    dossier = session.exec(
        select(Dossier).where(Dossier.code == registration.dossier_code)
    ).first() or Dossier(code=registration.dossier_code)
    dossier.procedure_code = parse_procedure_code(registration.procedure_code).base
    dossier.procedure_code_raw = registration.procedure_code
    dossier.procedure_name = registration.procedure_name
    dossier.agency_code = parse_dossier_code(registration.dossier_code).unit.text
    dossier.citizen_name = registration.citizen.name
    dossier.citizen_phone = registration.citizen.phone
    dossier.citizen_address = registration.citizen.address
    dossier.commune_code = registration.citizen.commune_code
    if registration.leg == LegKind.PICKUP:
        dossier.appointment_slip = registration.appointment_slip
    dossier.updated_at = utcnow()
    session.add(dossier)
    match = judge(
        ctx.resolver,
        leg=registration.leg,
        procedure_code=dossier.procedure_code,
        registered_procedure=None,
        agency_code=dossier.agency_code,
        on=local_date(utcnow(), ctx.tz),
        tz=ctx.tz,
    )
    command = OutboxCommand(
        kind=CREATE,
        leg_kind=registration.leg,
        dossier_code=registration.dossier_code,
        reference=request.reference,
        payload=_payload(request),
        created_by=actor,
    )
    if match.match_class == MatchClass.EXCLUDED:
        command.state = OutboxState.REFUSED
        basis = f" ({match.legal_basis})" if match.legal_basis else ""
        command.refusal_reason = f"{match.reason}{basis}"
    session.add(command)
    session.flush()
    return command


def _backoff(attempts: int, settings: Settings) -> timedelta:
    delay = min(settings.outbox_backoff * 2 ** (attempts - 1), defaults.OUTBOX_BACKOFF_CAP)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def _claim(ctx: SyncContext, command_id: int) -> tuple[OrderRequest, int] | None:
    """Commit the attempt before the call, so a crash mid-call is seen by the next attempt."""
    with session_scope(ctx.engine) as session:
        command = session.get(OutboxCommand, command_id)
        if command is None or command.state != OutboxState.PENDING:
            return None
        command.attempts += 1
        command.updated_at = utcnow()
        session.add(command)
        return order_request(command), command.attempts


def _send(ctx: SyncContext, request: OrderRequest, attempt: int) -> Order:
    if attempt > 1:
        found = ctx.adapter.find_order(request.reference)
        if found is not None:
            return found
    return ctx.adapter.create_order(request)


def _finish(
    ctx: SyncContext,
    command_id: int,
    settings: Settings,
    order: Order | None,
    error: str,
    *,
    may_fail: bool = True,
) -> str:
    """Record the outcome; ``may_fail=False`` when the post was unavailable, which is not the
    command's fault and never turns it ``failed``, however long the outage."""
    with session_scope(ctx.engine) as session:
        command = session.get(OutboxCommand, command_id)
        assert command is not None
        command.updated_at = utcnow()
        if order is not None:
            apply_orders(session, ctx, [order], {}, [], source="outbox")
            session.flush()
            command.state = OutboxState.SENT
            command.last_error = ""
        elif may_fail and command.attempts >= settings.outbox_max_attempts:
            command.state, command.last_error = OutboxState.FAILED, error
        else:
            command.last_error = error
            command.next_attempt_at = utcnow() + _backoff(command.attempts, settings)
        session.add(command)
        return command.state


def _refuse(ctx: SyncContext, command_id: int, reason: str) -> None:
    with session_scope(ctx.engine) as session:
        command = session.get(OutboxCommand, command_id)
        assert command is not None
        command.state, command.refusal_reason = OutboxState.REFUSED, reason
        command.updated_at = utcnow()
        session.add(command)


def push(
    ctx: SyncContext,
    settings: Settings,
    counts: Counter[str],
    limit: int = 200,
    stop: threading.Event | None = None,
) -> None:
    """Send due pending commands; each ends sent, refused or failed, or waits for a retry.

    The batch stops (issue 11 §4):

    * at the first command the post is unavailable for: that one call spent the retry
      budget, so the next 199 would each spend it too. The command keeps its attempt (a
      lookup by reference comes first next time) and the rest are not touched; the error is
      raised so that the run records it, and the next run tries again;
    * when the worker is stopping (``stop`` is set between commands, or the postal layer
      ends a retry with ``PostalStopped``): the claimed command stays pending, its attempt
      counted, so the next run looks its reference up before creating anything.
    """
    with Session(ctx.engine) as session:
        due = session.exec(
            select(OutboxCommand.id)
            .where(
                OutboxCommand.state == OutboxState.PENDING,
                col(OutboxCommand.next_attempt_at) <= utcnow(),
            )
            .order_by(col(OutboxCommand.id))
            .limit(limit)
        ).all()
    for command_id in due:
        assert command_id is not None
        if stop is not None and stop.is_set():
            counts["stopped"] = 1
            return
        claimed = _claim(ctx, command_id)
        if claimed is None:
            continue
        request, attempt = claimed
        try:
            order = _send(ctx, request, attempt)
        except PostalRefused as exc:
            _refuse(ctx, command_id, f"the post refused the order: {exc}")
            counts["refused"] += 1
            continue
        except PostalStopped:
            counts["stopped"] = 1
            return
        except PostalAuthError:
            raise
        except PostalUnavailable as exc:
            counts[_finish(ctx, command_id, settings, None, str(exc), may_fail=False)] += 1
            counts["left_for_next_run"] = len(due) - due.index(command_id) - 1
            raise
        except PostalError as exc:
            counts[_finish(ctx, command_id, settings, None, str(exc))] += 1
            continue
        counts[_finish(ctx, command_id, settings, order, "")] += 1
