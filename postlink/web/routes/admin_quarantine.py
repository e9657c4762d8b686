"""Admin: quarantined postal records as a work queue (issue 16).

The list shows each open record with its reason and source, grouped by reason; a record's
page shows the raw body the post sent (escaped: it is a network peer's text). An admin
replays one record, every record of a reason or all of them with the code installed now,
or resolves one with a note; both are audited (``sync.quarantine``).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.db import session_scope
from postlink.models import Quarantined, User
from postlink.sync import quarantine
from postlink.web.security import csrf_protect, db_session, require_admin
from postlink.web.state import state_of
from postlink.web.templating import flash, page
from postlink.words import say

router = APIRouter(
    prefix="/admin/quarantine",
    include_in_schema=False,
    dependencies=[Depends(require_admin), Depends(csrf_protect)],
)

Admin = Annotated[User, Depends(require_admin)]
Db = Annotated[Session, Depends(db_session)]
#: A record id as the database can hold it (BIGINT): anything else is a 422, never a 500.
RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]
#: Records listed on the page (the reasons table counts them all).
PAGE_ROWS = 200


@router.get("")
def queue(
    request: Request,
    user: Admin,
    session: Db,
    reason: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    reasons = quarantine.open_reasons(session)
    context = {
        "rows": quarantine.open_rows(session, reason=reason or None, limit=PAGE_ROWS),
        "reasons": reasons,
        "total": sum(count for _, count in reasons),
        "reason": reason or "",
    }
    return page(request, "admin/quarantine.html", context, user=user)


@router.get("/{record_id}")
def record(request: Request, user: Admin, session: Db, record_id: RecordId) -> Response:
    row = session.get(Quarantined, record_id)
    if row is None:
        raise HTTPException(404)
    context = {"row": row, "body": readable_body(row.raw)}
    return page(request, "admin/quarantine_record.html", context, user=user)


def readable_body(raw: str) -> str:
    """The post's body as an admin reads it: JSON laid out with its letters as letters, so
    ``"Quy\\u1ebft"`` reads «Quyết» (issue 14: no raw JSON escape on the console); a body
    that is not JSON, or JSON that cannot be re-laid out, is shown as it came."""
    try:
        laid_out = json.dumps(json.loads(raw), ensure_ascii=False, indent=2)
        laid_out.encode("utf-8")  # a lone surrogate (``\\ud800``) cannot be sent as UTF-8
    except ValueError:  # UnicodeEncodeError is one
        return raw
    return laid_out


@router.post("/replay")
def replay(
    request: Request,
    user: Admin,
    record_id: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
    reason: Annotated[str | None, Form(max_length=2000)] = None,
    everything: Annotated[bool, Form(alias="all")] = False,
) -> Response:
    web = state_of(request)
    outcome = quarantine.replay(
        web.ctx,
        actor=user.username,
        ids=[record_id] if record_id is not None else [],
        reason=reason or None,
        everything=everything,
        lock=web.webhook_lock,  # taken batch by batch: webhooks go on between them
    )
    message = say(
        "quarantine.replayed",
        replayed=outcome.replayed,
        recovered=len(outcome.recovered),
        failing=len(outcome.still_failing),
    )
    flash(request, message, "error" if outcome.still_failing else "ok")
    target = f"/admin/quarantine/{record_id}" if record_id is not None else "/admin/quarantine"
    return RedirectResponse(target, status_code=303)


@router.post("/{record_id}/resolve")
def resolve(
    request: Request,
    user: Admin,
    record_id: RecordId,
    note: Annotated[str, Form(max_length=2000)],
) -> Response:
    with session_scope(state_of(request).engine) as session:
        quarantine.resolve(session, record_id, actor=user.username, note=note)
    flash(request, say("quarantine.closed", id=record_id))
    return RedirectResponse("/admin/quarantine", status_code=303)
