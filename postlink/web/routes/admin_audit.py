"""Admin: the audit log, filtered by who, what, which entity and when (newest first), each
row's changes worded by ``audit_view``."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session, col, select
from starlette.responses import Response

from postlink.models import AuditEntry, User
from postlink.web.audit_view import ENTITIES, AuditWords, action_choices
from postlink.web.forms import parse_day, shown_day
from postlink.web.inputs import BadInput
from postlink.web.security import csrf_protect, db_session, require_admin
from postlink.web.state import state_of
from postlink.web.templating import page, word

router = APIRouter(
    prefix="/admin/audit",
    include_in_schema=False,
    dependencies=[Depends(require_admin), Depends(csrf_protect)],
)

#: Rows per page of the log.
PAGE_ROWS = 100


@router.get("")
def audit_log(
    request: Request,
    user: Annotated[User, Depends(require_admin)],
    session: Annotated[Session, Depends(db_session)],
    actor: Annotated[str, Query(max_length=100)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    entity: Annotated[str, Query(max_length=100)] = "",
    entity_id: Annotated[str, Query(max_length=100)] = "",
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> Response:
    """``action`` matches a prefix (``catalog.`` is every catalog action); ``entity`` is an
    entity type, optionally with ``:id`` (``list_version:3``), or with its number in
    ``entity_id`` as the form sends it: the form offers both by their Vietnamese names, so
    an admin never has to type a code (issue 14)."""
    tz = state_of(request).settings.tz
    query = select(AuditEntry)
    error = ""
    if actor.strip():
        query = query.where(col(AuditEntry.actor) == actor.strip())
    if action.strip():
        query = query.where(col(AuditEntry.action).startswith(action.strip()))
    if entity.strip():
        kind, _, ident = entity.strip().partition(":")
        ident = entity_id.strip() or ident
        query = query.where(col(AuditEntry.entity_type) == kind)
        if ident:
            query = query.where(col(AuditEntry.entity_id) == ident)
    try:
        first, last = parse_day(start, "từ"), parse_day(end, "đến")
    except BadInput as exc:
        first = last = None
        error = exc.message
    if first:
        query = query.where(col(AuditEntry.at) >= datetime.combine(first, time(0), tzinfo=tz))
    if last:
        after = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
        query = query.where(col(AuditEntry.at) < after)
    rows = session.exec(
        query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset((page_number - 1) * PAGE_ROWS)
        .limit(PAGE_ROWS + 1)
    ).all()
    context = {
        "rows": rows[:PAGE_ROWS],
        "words": AuditWords(tz, word),
        "actions": action_choices(),
        "entities": ENTITIES,
        "more": len(rows) > PAGE_ROWS,
        "page_number": page_number,
        "filters": {
            "actor": actor,
            "action": action,
            "entity": entity.partition(":")[0],
            "entity_id": entity_id or entity.partition(":")[2],
            "from": shown_day(start),
            "to": shown_day(end),
        },
        "error": error,
    }
    return page(request, "admin/audit.html", context, user=user)
