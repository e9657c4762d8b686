"""The counter: receiving dossiers from the post and handing results to it.

Both end in a signed handover record made by ``legs.handover.create_handover`` (the
signing time is the filing time of complete incoming dossiers, QĐ 45/2016 art. 7 cl. 4) and
printed by the reports' handover record. Results become return orders through the outbox,
which refuses an excluded procedure with the list's reason (QĐ 45/2016 art. 1 cl. 2).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.legs.handover import ItemSpec, create_handover
from postlink.models import Direction, Handover, ItemState, Leg, User
from postlink.reports.filters import ReportFilter, between
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.sync.outbox import register
from postlink.timeutil import local_date, utcnow
from postlink.web import desk
from postlink.web.errors import worded
from postlink.web.inputs import BadInput, RowId, row_id
from postlink.web.routes.reports import MEDIA
from postlink.web.security import csrf_protect, db_session, require_staff
from postlink.web.state import state_of
from postlink.web.templating import flash, page
from postlink.words import say

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_staff), Depends(csrf_protect)]
)

Staff = Annotated[User, Depends(require_staff)]
Db = Annotated[Session, Depends(db_session)]
#: Form value of an item left off the record (not ticked).
SKIP = "skip"


def _signer(user: User) -> str:
    return user.full_name or user.username


async def _ticked(request: Request) -> list[tuple[int, str]]:
    """``item-<leg id>`` fields of the form whose value is not ``skip``."""
    form = await request.form()
    ticked = []
    for key, value in form.multi_items():
        leg_id = row_id(key[5:]) if key.startswith("item-") else None
        if leg_id is not None and value != SKIP:
            ticked.append((leg_id, str(value)))
    return ticked


def _sign(
    request: Request,
    user: User,
    direction: Direction,
    items: list[tuple[int, str]],
    worker: str,
    back: str,
) -> Response:
    """Sign the record, or go back to the form with what was wrong."""
    if not worker.strip():
        flash(request, say("desk.no_worker"), "error")
        return RedirectResponse(back, status_code=303)
    try:
        handover_id = _store(request, user, direction, items, worker)
    except PostlinkError as exc:
        flash(request, worded(exc), "error")
        return RedirectResponse(back, status_code=303)
    flash(request, f"Đã ký biên bản giao nhận số {handover_id}.")
    return RedirectResponse(f"/handovers/{handover_id}", status_code=303)


def _store(
    request: Request, user: User, direction: Direction, items: list[tuple[int, str]], worker: str
) -> int | None:
    web = state_of(request)
    with session_scope(web.engine) as session:
        specs = []
        for leg_id, state in items:
            leg = session.get(Leg, leg_id)
            if leg is None:
                raise BadInput(say("desk.item_unknown", value=leg_id))
            specs.append(ItemSpec(leg.reference, ItemState(state)))
        handover = create_handover(
            session,
            direction=direction,
            items=specs,
            officer=_signer(user),
            postal_worker=worker,
            signed_at=utcnow(),
            office=web.settings.office_name,
            actor=user.username,
        )
        return handover.id


def _receive_page(
    request: Request,
    user: User,
    ticked: list[tuple[int, str]],
    *,
    page_number: int = 1,
    worker: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    """The items ticked so far (carried in the form, newest scan first) above one page of
    those still to receive; the form keeps the ticks across pages and scans."""
    with Session(state_of(request).engine) as session:
        still = desk.receivable_by_id(session, [leg_id for leg_id, _ in ticked])
        rest = desk.receivable_page(session, page_number, still)
    context = {
        "ticked": [(*still[leg_id], state) for leg_id, state in ticked if leg_id in still],
        "rest": rest,
        "signer": _signer(user),
        "worker": worker,
        "error": error,
    }
    return page(request, "receive.html", context, user=user, status_code=status_code)


@router.get("/handovers/receive")
def receive_form(
    request: Request,
    user: Staff,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> Response:
    return _receive_page(request, user, [], page_number=page_number)


@router.post("/handovers/receive")
async def receive(
    request: Request,
    user: Staff,
    postal_worker: Annotated[str, Form(max_length=255)] = "",
    scan: Annotated[str, Form(max_length=64)] = "",
    action: Annotated[str, Form(max_length=20)] = "sign",
) -> Response:
    """One form, three buttons: ``scan`` (the default, so a scanner's Enter lands here)
    ticks the scanned item complete; ``page:<n>`` turns the page; ``sign`` signs."""
    items = await _ticked(request)
    if any(state not in ItemState.__members__.values() for _, state in items):
        raise BadInput(say("desk.state_invalid"))
    again = partial(_receive_page, request, user, worker=postal_worker)
    if action.startswith("page:"):
        return again(items, page_number=row_id(action[5:]) or 1)
    if action == "scan":
        return _scan(request, items, scan, again)
    if not items:
        return again(items, error=say("desk.nothing_ticked"), status_code=400)
    if not postal_worker.strip():
        return again(items, error=say("desk.no_worker"), status_code=400)
    with Session(state_of(request).engine) as session:
        if len(desk.receivable_by_id(session, [leg_id for leg_id, _ in items])) < len(items):
            return again(items, error=say("desk.already_handed"), status_code=409)
    try:
        handover_id = _store(request, user, Direction.IN, items, postal_worker)
    except PostlinkError as exc:
        return again(items, error=worded(exc), status_code=400)
    flash(request, f"Đã ký biên bản giao nhận số {handover_id}.")
    return RedirectResponse(f"/handovers/{handover_id}", status_code=303)


def _scan(
    request: Request,
    items: list[tuple[int, str]],
    code: str,
    again: Callable[..., Response],
) -> Response:
    """Tick the scanned item complete and put it first; say so, or why not."""
    if not code.strip():
        return again(items)
    with Session(state_of(request).engine) as session:
        leg = desk.scanned(session, code)
    shown = "".join(code.split()).upper()
    if leg is None or leg.id is None:
        return again(items, error=say("desk.scan_unknown", value=shown), status_code=404)
    if any(leg_id == leg.id for leg_id, _ in items):
        flash(request, say("desk.scan_again", value=shown))
        return again(items)
    flash(request, say("desk.scan_done", value=shown))
    return again([(leg.id, ItemState.COMPLETE.value), *items])


@router.get("/handovers/{handover_id}")
def handover_page(request: Request, user: Staff, session: Db, handover_id: RowId) -> Response:
    handover = session.get(Handover, handover_id)
    if handover is None:
        raise HTTPException(404)
    return page(request, "handover.html", {"handover": handover}, user=user)


@router.get("/handovers/{handover_id}/record.{fmt}")
def handover_record(request: Request, handover_id: RowId, fmt: Format) -> Response:
    """The record to print and sign: the reports' handover record, as HTML or PDF."""
    web = state_of(request)
    with Session(web.engine) as session:
        handover = session.get(Handover, handover_id)
        if handover is None or fmt not in (Format.HTML, Format.PDF):
            raise HTTPException(404)
        day = local_date(handover.signed_at, web.settings.tz)
    flt = ReportFilter(period=between(day, day), as_of=day, handover_id=handover_id)
    report = build_report(web.engine, ReportName.HANDOVER, flt, web.settings)
    return Response(render(report, fmt, web.settings), media_type=MEDIA[fmt])


@router.get("/results")
def results(request: Request, user: Staff, session: Db) -> Response:
    context = {
        "ready": desk.results_ready(session),
        "commands": desk.open_return_commands(session),
        "awaiting": desk.awaiting_collection(session),
        "signer": _signer(user),
    }
    return page(request, "results.html", context, user=user)


@router.post("/results/orders")
async def create_return_orders(request: Request, user: Staff) -> Response:
    """Register a return order for each ticked dossier; refusals are reported with reasons."""
    form = await request.form()
    ids = [i for v in form.getlist("dossier") if isinstance(v, str) and (i := row_id(v))]
    web = state_of(request)
    with session_scope(web.engine) as session:
        for dossier in desk.dossiers_by_id(session, ids):
            try:
                command = register(
                    session,
                    web.ctx,
                    web.settings,
                    desk.return_registration(dossier),
                    actor=user.username,
                )
            except PostlinkError as exc:
                flash(request, f"{dossier.code}: {exc}", "error")
                continue
            if command.refusal_reason:
                flash(request, f"{dossier.code}: bị từ chối — {command.refusal_reason}", "error")
            else:
                flash(request, f"{dossier.code}: đã tạo lệnh trả kết quả qua bưu điện.")
    return RedirectResponse("/results", status_code=303)


@router.post("/results/handover")
async def hand_results(
    request: Request, user: Staff, postal_worker: Annotated[str, Form(max_length=255)]
) -> Response:
    items = [(leg_id, ItemState.COMPLETE.value) for leg_id, _ in await _ticked(request)]
    if not items:
        flash(request, say("desk.nothing_results"), "error")
        return RedirectResponse("/results", status_code=303)
    return _sign(request, user, Direction.OUT, items, postal_worker, "/results")
