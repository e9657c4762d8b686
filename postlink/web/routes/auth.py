"""Logging in and out. The only console pages open to anonymous visitors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from postlink.models import User
from postlink.web.accounts import authenticate
from postlink.web.security import csrf_protect, current_user, db_session, start_session
from postlink.web.state import state_of
from postlink.web.templating import page

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
        message = f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {attempt.wait} giây."
        response = page(
            request,
            "login.html",
            {"next": _safe_next(next), "error": message},
            user=None,
            status_code=429,
        )
        response.headers["Retry-After"] = str(attempt.wait)
        return response
    user = authenticate(session, username, password)
    if user is None:  # the attempt stays counted as a failure
        return page(
            request,
            "login.html",
            {"next": _safe_next(next), "error": "Tên đăng nhập hoặc mật khẩu không đúng."},
            user=None,
            status_code=401,
        )
    session.commit()
    web.throttle.succeeded(attempt, keys[0])
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
