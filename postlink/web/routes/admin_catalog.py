"""Admin: the procedure lists. Upload → every error, or the diff → publish → history.

Everything is ``postlink.catalog``: an upload is ``import_list`` as a draft (the file is
validated whole first; a file with errors stores nothing and every problem is shown with
its row, column, value and reason), the draft's page shows ``diff_against_base`` (what
publishing would change from its effective date), and publishing is ``publish`` with its
window rules (QĐ 45/2016 art. 18). Each step is audited by the catalog under the admin's
name. Uploads are limited in size (``POSTLINK_WEB_UPLOAD_MAX_BYTES``) and type (.xlsx,
.docx or .csv, checked by content as well as by name); what a workbook may expand to is
bounded by the reader before parsing. Publishing that changes dates already past shows
what it would change (``PublishPlan``) and asks for confirmation, with the offer to
re-judge the recorded legs (the audited ``postlink.sync.rematch``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.catalog.diff import diff_against_base
from postlink.catalog.history import procedure_history
from postlink.catalog.importer import ImportOutcome, import_list
from postlink.catalog.problems import CatalogValidationError
from postlink.catalog.publish import ConfirmationNeeded, NoChangesError, publish, withdraw
from postlink.catalog.reader import SAVE_AS
from postlink.catalog.versions import all_versions, entries_of
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.identifiers import IdentifierError
from postlink.models import ListVersion, User, VersionStatus
from postlink.timeutil import format_day
from postlink.web.errors import worded
from postlink.web.forms import parse_day
from postlink.web.inputs import RowId
from postlink.web.security import csrf_protect, db_session, require_admin
from postlink.web.state import state_of
from postlink.web.templating import flash, page
from postlink.words import language, say

router = APIRouter(
    prefix="/admin/catalog",
    include_in_schema=False,
    dependencies=[Depends(require_admin), Depends(csrf_protect)],
)

#: Changes listed on a draft's page; the rest behind "Xem tất cả" (a 20,000-row list is new
#: in full the first time, and a page of 20,000 rows helps nobody).
PREVIEW_CHANGES = 200

Admin = Annotated[User, Depends(require_admin)]
Db = Annotated[Session, Depends(db_session)]
_XLSX_MAGIC = b"PK\x03\x04"


@router.get("")
def versions(request: Request, user: Admin, session: Db, code: str = "") -> Response:
    history = None
    if code.strip():
        try:
            history = procedure_history(session, code.strip()[:80])
        except (PostlinkError, IdentifierError):
            flash(request, say("procedure.code", value=code.strip()[:80]), "error")
    context = {"versions": all_versions(session), "code": code, "history": history}
    return page(request, "admin/catalog.html", context, user=user)


def _upload_form(request: Request, user: User, **context: object) -> Response:
    values = {"problems": [], "error": "", "fields": {}, **context}
    status = 422 if values["problems"] or values["error"] else 200
    return page(request, "admin/upload.html", values, user=user, status_code=status)


@router.get("/upload")
def upload_form(request: Request, user: Admin) -> Response:
    return _upload_form(request, user)


def _saved_upload(upload: UploadFile, limit: int, folder: Path) -> Path:
    """The upload written to ``folder`` under its own suffix, after the size and type checks."""
    name = Path(upload.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".docx", ".csv"):
        english, vietnamese = SAVE_AS.get(suffix, ("", ""))  # the reader's advice, both
        advice = english if language() == "en" else vietnamese
        if advice:
            raise PostlinkError(code="catalog.upload.type_advice", name=name, advice=advice)
        raise PostlinkError(code="catalog.upload.type", name=name)
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PostlinkError(code="catalog.upload.too_large", kib=limit // 1024)
    if suffix == ".xlsx" and not data.startswith(_XLSX_MAGIC):
        raise PostlinkError(code="catalog.upload.bad_xlsx", name=name)
    if suffix == ".docx" and not data.startswith(_XLSX_MAGIC):
        raise PostlinkError(code="catalog.upload.bad_docx", name=name)
    if (
        suffix == ".csv"
        and b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise PostlinkError(code="catalog.upload.bad_csv", name=name)
    path = folder / (name or f"upload{suffix}")
    path.write_bytes(data)
    return path


@router.post("/upload")
def upload(
    request: Request,
    user: Admin,
    file: UploadFile,
    effective_from: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=2000)],
    decision: Annotated[str, Form(max_length=100)] = "",
    signed_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Validate and store the file as a draft; show its errors, or its diff to publish.

    An empty decision number is read from the file's title ("kèm theo Quyết định số …").
    """
    web = state_of(request)
    fields = {"decision": decision, "effective_from": effective_from, "signed_on": signed_on}
    fields["reason"] = reason
    try:
        effective = parse_day(effective_from, say("form.day.effective_from"))
        if effective is None or not reason.strip():
            raise PostlinkError(code="catalog.upload.missing")
        with tempfile.TemporaryDirectory() as folder:
            path = _saved_upload(file, web.settings.web_upload_max_bytes, Path(folder))
            with session_scope(web.engine) as session:
                outcome = import_list(
                    session,
                    path,
                    decision=decision or None,
                    effective_from=effective,
                    signed_on=parse_day(signed_on, say("form.day.signed_on")),
                    note=reason,
                    actor=user.username,
                )
    except CatalogValidationError as exc:
        omitted = say("catalog.omitted", count=exc.omitted) if exc.omitted else ""
        error = f"{exc} {omitted}".strip()
        return _upload_form(request, user, problems=exc.problems, error=error, fields=fields)
    except PostlinkError as exc:
        return _upload_form(request, user, error=worded(exc), fields=fields)
    return _draft_page(request, user, outcome)


def _draft_page(request: Request, user: User, outcome: ImportOutcome) -> Response:
    context = {
        "version": outcome.version,
        "status": outcome.status,
        "note": outcome.parsed.source_name,
        "diff": outcome.diff,
        "warnings": outcome.warnings,
        "reused": outcome.reused,
        "shown": PREVIEW_CHANGES,
    }
    return page(request, "admin/draft.html", context, user=user)


def _version(session: Session, version_id: int) -> ListVersion:
    version = session.get(ListVersion, version_id)
    if version is None:
        raise HTTPException(404)
    return version


@router.get("/versions/{version_id}")
def version_page(
    request: Request, user: Admin, session: Db, version_id: RowId, all: bool = False
) -> Response:
    version = _version(session, version_id)
    diff = diff_against_base(session, entries_of(session, version), version)
    context = {
        "version": version,
        "status": version.status,
        "note": version.source_name,
        "diff": diff,
        "warnings": [],
        "reused": False,
        "shown": None if all else PREVIEW_CHANGES,
    }
    return page(request, "admin/draft.html", context, user=user)


@router.post("/versions/{version_id}/publish")
def publish_version(
    request: Request,
    user: Admin,
    version_id: RowId,
    force: Annotated[bool, Form()] = False,
    confirm: Annotated[bool, Form()] = False,
    rematch_legs: Annotated[bool, Form()] = False,
) -> Response:
    """Publish; a publication changing past dates first shows what it changes, to confirm."""
    web = state_of(request)
    try:
        with session_scope(web.engine) as session:
            outcome = publish(
                session,
                _version(session, version_id),
                actor=user.username,
                force=force,
                confirm=confirm,
            )
    except ConfirmationNeeded as exc:
        context = {"plan": exc.plan, "force": force}
        return page(request, "admin/publish_confirm.html", context, user=user)
    except NoChangesError as exc:
        base = exc.base
        flash(
            request, say("catalog.publish.unchanged", id=base.id, decision=base.decision), "error"
        )
        return RedirectResponse(f"/admin/catalog/versions/{version_id}", status_code=303)
    except PostlinkError as exc:
        flash(request, worded(exc), "error")
        return RedirectResponse(f"/admin/catalog/versions/{version_id}", status_code=303)
    web.ctx.resolver.invalidate()
    version = outcome.version
    day = format_day(version.effective_from)
    message = say("catalog.publish.done", decision=version.decision, day=day)
    if rematch_legs:
        from postlink.sync.rematch import rematch  # the sync layer only when asked

        with session_scope(web.engine) as session:
            changes = rematch(
                session,
                web.ctx,
                actor=user.username,
                reason=say("catalog.publish.rematch_reason", decision=version.decision, day=day),
                since=version.effective_from,
            )
        legs, changed = changes.get("legs", 0), changes.get("changed", 0)
        message += " " + say("catalog.publish.rematched", legs=legs, changed=changed)
    flash(request, message)
    return RedirectResponse("/admin/catalog", status_code=303)


@router.post("/versions/{version_id}/withdraw")
def withdraw_version(
    request: Request,
    user: Admin,
    version_id: RowId,
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    web = state_of(request)
    try:
        with session_scope(web.engine) as session:
            version = _version(session, version_id)
            if version.status == VersionStatus.PUBLISHED:
                raise PostlinkError(code="catalog.withdraw.published")
            withdraw(session, version, actor=user.username, reason=reason)
    except PostlinkError as exc:
        flash(request, worded(exc), "error")
        return RedirectResponse(f"/admin/catalog/versions/{version_id}", status_code=303)
    flash(request, say("catalog.withdraw.done", id=version_id))
    return RedirectResponse("/admin/catalog", status_code=303)
