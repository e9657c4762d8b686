"""The counter: receiving dossiers from the post and handing results to it.

Both end in a signed handover record made by ``reports.handover.create_handover`` (the
signing time is the filing time of complete incoming dossiers, QĐ 45/2016 art. 7 cl. 4) and
printed by the reports' handover record. Results become return orders through the outbox,
which refuses an excluded procedure with the list's reason (QĐ 45/2016 art. 1 cl. 2).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import Direction, Handover, ItemState, Leg, User
from postlink.reports.filters import ReportFilter, between
from postlink.reports.handover import ItemSpec, create_handover
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.sync.outbox import register
from postlink.timeutil import local_date, utcnow
from postlink.web import desk
from postlink.web.inputs import RowId, row_id
from postlink.web.routes.reports import MEDIA
from postlink.web.security import csrf_protect, db_session, require_staff
from postlink.web.state import state_of
from postlink.web.templating import flash, page

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
        flash(request, "Nhập họ tên nhân viên bưu chính ký biên bản.", "error")
        return RedirectResponse(back, status_code=303)
    try:
        handover_id = _store(request, user, direction, items, worker)
    except PostlinkError as exc:
        flash(request, str(exc), "error")
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
                raise PostlinkError(f"Không tìm thấy bưu gửi {leg_id}.")
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


@router.get("/handovers/receive")
def receive_form(request: Request, user: Staff, session: Db) -> Response:
    rows = desk.receivable(session)
    return page(request, "receive.html", {"rows": rows, "signer": _signer(user)}, user=user)


@router.post("/handovers/receive")
async def receive(
    request: Request, user: Staff, postal_worker: Annotated[str, Form(max_length=255)]
) -> Response:
    items = await _ticked(request)
    if any(state not in ItemState.__members__.values() for _, state in items):
        raise PostlinkError("Tình trạng hồ sơ không hợp lệ.")
    if not items:
        flash(request, "Chưa chọn hồ sơ nào để đưa vào biên bản.", "error")
        return RedirectResponse("/handovers/receive", status_code=303)
    return _sign(request, user, Direction.IN, items, postal_worker, "/handovers/receive")


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
        flash(request, "Chưa chọn kết quả nào để giao.", "error")
        return RedirectResponse("/results", status_code=303)
    return _sign(request, user, Direction.OUT, items, postal_worker, "/results")
