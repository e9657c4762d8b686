"""The inbound JSON API for the province's one-stop system (bearer tokens).

``PUT`` is the verb because registering is idempotent on the dossier code and the leg
(the postal reference ``<dossier>-P1`` / ``-R1`` is the key of ``sync.outbox.register``):
the first call answers 201, a repeat with the same details answers 200 with the same
command, a repeat with other details 409. A leg of a procedure excluded from postal handling
(QĐ 45/2016 art. 1 cl. 2) is stored as refused and answered 422 ``leg_excluded`` with the
list's reason — every time it is repeated, so the one-stop system cannot miss it.

Registrations of the same new dossier may race (the one-stop system retries, or sends the
pickup and the return at once). The dossier's row is claimed first with an insert … on
conflict do nothing, so racers share it instead of colliding on its unique code; two racers
for the same leg still collide on the command's key, and the loser registers again once,
finding the winner's command and answering as a repeat (issue 14 §3).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select
from starlette.responses import JSONResponse

from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.identifiers import IdentifierError, parse_dossier_code, parse_procedure_code
from postlink.models import ApiToken, Dossier, Leg, LegKind, OutboxCommand, OutboxState
from postlink.postal.models import Party, reference_for
from postlink.reports.strings import label
from postlink.sync.outbox import CREATE, Registration, register
from postlink.timeutil import utcnow
from postlink.web.accounts import token_for
from postlink.web.api_models import ApiErrorBody, Command, DossierStatus, LegRequest, LegStatus
from postlink.web.errors import ApiError, worded
from postlink.web.security import db_session
from postlink.web.state import state_of
from postlink.words import say

_bearer = HTTPBearer(auto_error=False, description="A token from `postlink token create`.")
#: Seconds between two writes of a token's last use (one per call would be a write per call).
_TOUCH_EVERY = timedelta(minutes=1)


def api_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiToken:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "Thiếu khóa API (Authorization: Bearer …).")
    with session_scope(state_of(request).engine) as session:
        token = token_for(session, credentials.credentials)
        if token is None:
            raise ApiError(401, "unauthorized", "Khóa API không hợp lệ hoặc đã bị thu hồi.")
        if token.last_used_at is None or utcnow() - token.last_used_at > _TOUCH_EVERY:
            token.last_used_at = utcnow()
            session.add(token)
        return token


ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ApiErrorBody, "description": text}
    for status, text in (
        (400, "invalid dossier or procedure code"),
        (401, "missing or invalid token"),
        (409, "the leg is already registered with other details"),
        (422, "leg_excluded: the procedure's leg may not go by post; or invalid_request"),
    )
}

DOSSIERS = Dossier.__table__  # type: ignore[attr-defined]
router = APIRouter(
    prefix="/api/v1", tags=["one-stop"], dependencies=[Depends(api_token)], responses=ERRORS
)

DossierCode = Annotated[
    str,
    Path(
        max_length=64,
        description="Dossier code (TT 01/2018 art. 19)",
        examples=["000.00.12.H14-250715-0007"],
    ),
]


def _dossier_code(code: str) -> str:
    try:
        return parse_dossier_code(code).text
    except IdentifierError:
        raise ApiError(400, "invalid_dossier_code", say("api.dossier_code", value=code)) from None


def _command(command: OutboxCommand) -> Command:
    return Command(
        dossier_code=command.dossier_code,
        leg=command.leg_kind,
        reference=command.reference,
        state=command.state,
        refusal_reason=command.refusal_reason,
        created_at=command.created_at,
    )


def _register(
    request: Request, token: ApiToken, code: str, leg: LegKind, body: LegRequest
) -> JSONResponse:
    dossier = _dossier_code(code)
    try:
        parse_procedure_code(body.procedure_code)
    except IdentifierError:
        value = body.procedure_code
        raise ApiError(400, "invalid_procedure_code", say("procedure.code", value=value)) from None
    citizen = body.citizen
    if not citizen.name.strip() or not citizen.address.strip():
        raise ApiError(422, "invalid_request", say("api.no_citizen"))
    if body.appointment_slip and leg != LegKind.PICKUP:
        raise ApiError(422, "invalid_request", say("routes.slip_on_return", dossier=dossier))
    registration = Registration(
        leg,
        dossier,
        body.procedure_code,
        body.procedure_name,
        Party(citizen.name, citizen.phone, citizen.address, commune_code=citizen.commune_code),
        body.appointment_slip,
    )
    existed, command = _register_once_more_if_raced(request, token, registration)
    if command.state == OutboxState.REFUSED:
        raise ApiError(
            422,
            "leg_excluded",
            f"Thủ tục {body.procedure_code} không thực hiện qua bưu chính: "
            f"{command.refusal_reason}",
            command=command.model_dump(mode="json"),
        )
    return JSONResponse(command.model_dump(mode="json"), status_code=200 if existed else 201)


def _claim_dossier(engine: Engine, code: str) -> None:
    """The dossier's row, inserted unless it exists, in a transaction of its own."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    now = utcnow()
    row = dialect.insert(Dossier).values(code=code, created_at=now, updated_at=now)
    with engine.begin() as connection:
        connection.execute(row.on_conflict_do_nothing(index_elements=["code"]))


def _register_once_more_if_raced(
    request: Request, token: ApiToken, registration: Registration
) -> tuple[bool, Command]:
    """Whether the leg was registered before, and its command. Registrations of one dossier
    take turns: each first locks the dossier's row (a no-op update: a row lock on
    PostgreSQL, the write lock on SQLite), so that "registered before" is read after any
    concurrent registration has committed and only one answer says created. A race lost
    all the same (its unique key, or SQLite's one writer) is retried once; by then the
    winner's rows are committed and this one is a repeat."""
    web = state_of(request)
    dossier = registration.dossier_code
    reference = reference_for(dossier, registration.leg)
    _claim_dossier(web.engine, dossier)
    for _ in range(2):
        existed: int | None = None
        try:
            with session_scope(web.engine) as session:
                session.execute(
                    update(DOSSIERS).where(DOSSIERS.c.code == dossier).values(code=DOSSIERS.c.code)
                )
                existed = session.exec(
                    select(OutboxCommand.id).where(
                        OutboxCommand.kind == CREATE, OutboxCommand.reference == reference
                    )
                ).first()
                actor = f"api:{token.name}"
                command = _command(
                    register(session, web.ctx, web.settings, registration, actor=actor)
                )
            return existed is not None, command
        except (IntegrityError, OperationalError):
            continue  # lost the race: the winner's rows are there for the next attempt
        except PostlinkError as exc:
            if existed is None:
                raise ApiError(400, "rejected", worded(exc)) from None
            raise ApiError(409, "conflict", say("api.conflict", dossier=dossier)) from None
    raise ApiError(409, "busy", say("api.busy", dossier=dossier))


@router.put("/dossiers/{dossier_code}/pickup", response_model=Command, status_code=201)
def register_pickup(
    request: Request,
    token: Annotated[ApiToken, Depends(api_token)],
    dossier_code: DossierCode,
    body: LegRequest,
) -> JSONResponse:
    """Register a pickup request: the post collects the dossier from the citizen."""
    return _register(request, token, dossier_code, LegKind.PICKUP, body)


@router.put("/dossiers/{dossier_code}/return", response_model=Command, status_code=201)
def register_return(
    request: Request,
    token: Annotated[ApiToken, Depends(api_token)],
    dossier_code: DossierCode,
    body: LegRequest,
) -> JSONResponse:
    """Mark a result ready for postal return: the post carries it to the citizen."""
    return _register(request, token, dossier_code, LegKind.RETURN, body)


@router.get("/dossiers/{dossier_code}", response_model=DossierStatus)
def dossier_status(
    dossier_code: DossierCode, session: Annotated[Session, Depends(db_session)]
) -> DossierStatus:
    """A dossier's postal status: both legs and their outbox commands (no personal data)."""
    code = _dossier_code(dossier_code)
    dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
    commands = session.exec(
        select(OutboxCommand)
        .where(OutboxCommand.dossier_code == code)
        .order_by(col(OutboxCommand.id))
    ).all()
    if dossier is None and not commands:
        raise ApiError(404, "dossier_not_found", f"Không có hồ sơ {code} trong postlink.")
    legs = (
        session.exec(select(Leg).where(Leg.dossier_id == dossier.id).order_by(col(Leg.id))).all()
        if dossier
        else []
    )
    return DossierStatus(
        dossier_code=code,
        procedure_code=dossier.procedure_code if dossier else None,
        filed_at=dossier.filed_at if dossier else None,
        legs=[
            LegStatus(
                leg=leg.kind,
                reference=leg.reference,
                item_code=leg.item_code,
                status=leg.status,
                status_label=label("status", leg.status),
                status_at=leg.status_at,
                j_date=leg.j_date,
                deadline=leg.deadline,
                overdue=leg.overdue,
                closed_at=leg.closed_at,
                match_class=leg.match_class,
            )
            for leg in legs
        ],
        commands=[_command(c) for c in commands],
    )
