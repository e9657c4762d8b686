"""Admin: console accounts and inbound API tokens (every change audited in ``accounts``).

A refused change (a taken or malformed user name, a short password, an admin disabling
themself) re-renders the form with the reason in Vietnamese and what was typed, rather
than a bare error page (issue 14 §1).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.db import session_scope
from postlink.models import ApiToken, User
from postlink.web import accounts
from postlink.web.accounts import AccountError
from postlink.web.errors import worded
from postlink.web.inputs import RowId
from postlink.web.security import csrf_protect, require_admin
from postlink.web.state import state_of
from postlink.web.templating import flash, page

router = APIRouter(
    prefix="/admin",
    include_in_schema=False,
    dependencies=[Depends(require_admin), Depends(csrf_protect)],
)

Admin = Annotated[User, Depends(require_admin)]


def _back(request: Request, target: str, done: str) -> Response:
    flash(request, done)
    return RedirectResponse(target, status_code=303)


_NEW_USER = {"username": "", "full_name": "", "role": "staff"}


def _users_page(
    request: Request,
    user: User,
    *,
    error: str = "",
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with Session(state_of(request).engine) as session:
        rows = session.exec(select(User).order_by(col(User.username))).all()
    context = {"rows": rows, "error": error, "typed": typed or _NEW_USER}
    return page(request, "admin/users.html", context, user=user, status_code=status_code)


def _tokens_page(
    request: Request,
    user: User,
    *,
    issued: accounts.IssuedToken | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    with Session(state_of(request).engine) as session:
        rows = session.exec(select(ApiToken).order_by(col(ApiToken.id).desc())).all()
    context = {"rows": rows, "issued": issued, "error": error}
    return page(request, "admin/tokens.html", context, user=user, status_code=status_code)


@router.get("/users")
def users(request: Request, user: Admin) -> Response:
    return _users_page(request, user)


@router.post("/users")
def add_user(
    request: Request,
    user: Admin,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=16)],
    full_name: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    try:
        with session_scope(state_of(request).engine) as session:
            accounts.add_user(
                session, username, password, role=role, full_name=full_name, actor=user.username
            )
    except AccountError as exc:
        typed = {"username": username, "full_name": full_name, "role": role}
        return _users_page(request, user, error=worded(exc), typed=typed, status_code=400)
    return _back(request, "/admin/users", f"Đã tạo tài khoản {username.strip().lower()}.")


@router.post("/users/{user_id}")
def update_user(
    request: Request,
    user: Admin,
    user_id: RowId,
    role: Annotated[str, Form(max_length=16)],
    full_name: Annotated[str, Form(max_length=255)] = "",
    active: Annotated[bool, Form()] = False,
) -> Response:
    try:
        with session_scope(state_of(request).engine) as session:
            target = session.get(User, user_id)
            if target is None:
                raise HTTPException(404)
            accounts.update_user(
                session, target, role=role, active=active, full_name=full_name, actor=user.username
            )
            name = target.username
    except AccountError as exc:
        return _users_page(request, user, error=worded(exc), status_code=400)
    return _back(request, "/admin/users", f"Đã cập nhật tài khoản {name}.")


@router.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    user: Admin,
    user_id: RowId,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        with session_scope(state_of(request).engine) as session:
            target = session.get(User, user_id)
            if target is None:
                raise HTTPException(404)
            accounts.set_password(session, target.username, password, actor=user.username)
            name = target.username
    except AccountError as exc:
        return _users_page(request, user, error=worded(exc), status_code=400)
    return _back(request, "/admin/users", f"Đã đặt lại mật khẩu cho {name}.")


@router.get("/tokens")
def tokens(request: Request, user: Admin) -> Response:
    return _tokens_page(request, user)


@router.post("/tokens")
def create_token(
    request: Request, user: Admin, name: Annotated[str, Form(max_length=100)]
) -> Response:
    """The secret is shown on this one answer and never again (only its hash is kept)."""
    try:
        with session_scope(state_of(request).engine) as session:
            issued = accounts.create_token(session, name, actor=user.username)
    except AccountError as exc:
        return _tokens_page(request, user, error=worded(exc), status_code=400)
    return _tokens_page(request, user, issued=issued)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, user: Admin, token_id: RowId) -> Response:
    try:
        with session_scope(state_of(request).engine) as session:
            accounts.revoke_token(session, token_id, actor=user.username)
    except AccountError as exc:
        return _tokens_page(request, user, error=worded(exc), status_code=400)
    return _back(request, "/admin/tokens", f"Đã thu hồi khóa API {token_id}.")
