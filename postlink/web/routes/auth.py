"""Logging in and out. The only console pages open to anonymous visitors.

Every login, failed login and logout leaves an audit row (issue 14 §3) naming the account
and the client address, never the password. A failed login's row names the account only
when it exists, so the log holds no passwords typed into the name field by mistake. Logout
ends every session of the account on the server (``accounts.end_sessions``): a cookie
copied before it no longer opens anything.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from postlink import audit
from postlink.db import session_scope
from postlink.models import User
from postlink.web.accounts import authenticate, end_sessions, find_user
from postlink.web.security import csrf_protect, current_user, db_session, start_session
from postlink.web.state import state_of
from postlink.web.templating import page
from postlink.words import say

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


def _safe_next(target: str | None) -> str:
    """Only a local path: a crafted ``next`` must not send staff to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(
    request: Request,
    user: Annotated[User | None, Depends(current_user)],
    next: str | None = None,
) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return page(request, "login.html", {"next": _safe_next(next), "error": ""}, user=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    session: Annotated[Session, Depends(db_session)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password unless throttled (five failures a minute: see ``throttle``)."""
    web = state_of(request)
    client = request.client.host if request.client else "?"
    # Cut to the column's width: lower() can lengthen a name ("İ" becomes two characters).
    keys = (f"user:{username.strip().lower()[:150]}", f"ip:{client[:45]}")
    attempt = web.throttle.attempt(*keys)
    if attempt.wait:
        _audit_failure(session, username, client, "throttled")
        message = say("login.throttled", wait=attempt.wait)
        response = _refused(request, next, message, 429)
        response.headers["Retry-After"] = str(attempt.wait)
        return response
    user = authenticate(session, username, password)
    if user is None:  # the attempt stays counted as a failure
        _audit_failure(session, username, client, "wrong_password")
        return _refused(request, next, say("login.wrong"), 401)
    _audit(session, user.username, "user.login", {"client": client})
    session.commit()
    web.throttle.succeeded(attempt, keys[0])
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


def _refused(request: Request, next: str, message: str, status: int) -> Response:
    context = {"next": _safe_next(next), "error": message}
    return page(request, "login.html", context, user=None, status_code=status)


def _audit(session: Session, username: str, action: str, after: dict[str, str] | None) -> None:
    """An audit row about an account's session (``username`` empty: no such account)."""
    actor = username or "anonymous"
    audit.record(
        session, actor=actor, action=action, entity_type="user", entity_id=username, after=after
    )


def _audit_failure(session: Session, username: str, client: str, why: str) -> None:
    """A failed login in the audit log, in its own transaction (the login's is rolled back)."""
    session.rollback()
    known = find_user(session, username)
    _audit(
        session,
        known.username if known else "",
        "user.login_failed",
        {"client": client, "why": why},
    )
    session.commit()


@router.post("/logout")
def logout(request: Request, user: Annotated[User | None, Depends(current_user)]) -> Response:
    if user is not None:
        with session_scope(state_of(request).engine) as session:
            end_sessions(session, user)
            _audit(session, user.username, "user.logout", None)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
