"""Staff pages: the dashboard, the search and the dossier page.

The dossier page is the one place that shows a citizen's full phone number and address
(Law 91/2025/QH15 on personal data protection: only to logged-in staff who need it);
every list masks the phone.
These pages open their database session in the handler rather than through a generator
dependency, which FastAPI would enter and leave through its thread pool on every request
(they are the pages under load: bench/web_bench.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.responses import Response

from postlink.legs.explain import explain
from postlink.models import User
from postlink.web import dashboard, lookup
from postlink.web.inputs import RowId
from postlink.web.security import csrf_protect, require_staff
from postlink.web.state import state_of
from postlink.web.templating import page

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_staff), Depends(csrf_protect)]
)

Staff = Annotated[User, Depends(require_staff)]


@router.get("/")
def home(request: Request, user: Staff) -> Response:
    web = state_of(request)
    board = dashboard.build(web.reader, web.settings, web.job_health)
    return page(request, "dashboard.html", {"board": board}, user=user)


@router.get("/lists/{name}")
def full_list(
    request: Request,
    user: Staff,
    name: str,
    q: Annotated[str, Query(max_length=80)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> Response:
    """A dashboard panel's every row, paginated and filtered (issue 14 §2)."""
    spec = dashboard.LISTS.get(name)
    if spec is None:
        raise HTTPException(404)
    web = state_of(request)
    listing = dashboard.full_list(web.reader, web.settings, spec, page_number, q.strip())
    context = {"name": name, "spec": spec, "q": q, "listing": listing}
    return page(request, "list.html", context, user=user)


@router.get("/search")
def search(request: Request, user: Staff, q: str = "") -> Response:
    web = state_of(request)
    with Session(web.reader) as session:
        hits = lookup.search(session, q[:100], web.ctx.adapter.name)
    return page(request, "search.html", {"q": q, "hits": hits}, user=user)


def _dossier_page(
    request: Request, user: User, session: Session, view: lookup.DossierView | None
) -> Response:
    """The dossier page: its legs, how each deadline was reached (as ``postlink leg explain``
    shows it) and the invitation verdict of its returned results."""
    if view is None:
        raise HTTPException(404)
    web = state_of(request)
    policy, tz = web.ctx.policy, web.settings.tz
    deadlines = {
        leg.id: explain(session, leg, policy, tz) for leg in view.legs if leg.id is not None
    }
    return page(request, "dossier.html", {"view": view, "deadlines": deadlines}, user=user)


@router.get("/dossiers/{code}")
def dossier(request: Request, user: Staff, code: str) -> Response:
    with Session(state_of(request).reader) as session:
        view = lookup.dossier_view(session, code)
        return _dossier_page(request, user, session, view)


@router.get("/legs/{leg_id}")
def leg(request: Request, user: Staff, leg_id: RowId) -> Response:
    with Session(state_of(request).reader) as session:
        view = lookup.leg_view(session, leg_id)
        return _dossier_page(request, user, session, view)
