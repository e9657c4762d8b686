"""Admin: console accounts and inbound API tokens (every change audited in ``accounts``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import ApiToken, User
from postlink.web import accounts
from postlink.web.security import csrf_protect, db_session, require_admin
from postlink.web.state import state_of
from postlink.web.templating import flash, page

router = APIRouter(
    prefix="/admin",
    include_in_schema=False,
    dependencies=[Depends(require_admin), Depends(csrf_protect)],
)

Admin = Annotated[User, Depends(require_admin)]
Db = Annotated[Session, Depends(db_session)]


def _back(request: Request, target: str, done: str) -> Response:
    flash(request, done)
    return RedirectResponse(target, status_code=303)


@router.get("/users")
def users(request: Request, user: Admin, session: Db) -> Response:
    rows = session.exec(select(User).order_by(col(User.username))).all()
    return page(request, "admin/users.html", {"rows": rows}, user=user)


@router.post("/users")
def add_user(
    request: Request,
    user: Admin,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=16)],
    full_name: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    with session_scope(state_of(request).engine) as session:
        accounts.add_user(
            session, username, password, role=role, full_name=full_name, actor=user.username
        )
    return _back(request, "/admin/users", f"Đã tạo tài khoản {username.strip().lower()}.")


@router.post("/users/{user_id}")
def update_user(
    request: Request,
    user: Admin,
    user_id: int,
    role: Annotated[str, Form(max_length=16)],
    full_name: Annotated[str, Form(max_length=255)] = "",
    active: Annotated[bool, Form()] = False,
) -> Response:
    with session_scope(state_of(request).engine) as session:
        target = session.get(User, user_id)
        if target is None:
            raise HTTPException(404)
        accounts.update_user(
            session, target, role=role, active=active, full_name=full_name, actor=user.username
        )
        name = target.username
    return _back(request, "/admin/users", f"Đã cập nhật tài khoản {name}.")


@router.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    user: Admin,
    user_id: int,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    with session_scope(state_of(request).engine) as session:
        target = session.get(User, user_id)
        if target is None:
            raise HTTPException(404)
        accounts.set_password(session, target.username, password, actor=user.username)
        name = target.username
    return _back(request, "/admin/users", f"Đã đặt lại mật khẩu cho {name}.")


@router.get("/tokens")
def tokens(request: Request, user: Admin, session: Db) -> Response:
    rows = session.exec(select(ApiToken).order_by(col(ApiToken.id).desc())).all()
    return page(request, "admin/tokens.html", {"rows": rows, "issued": None}, user=user)


@router.post("/tokens")
def create_token(
    request: Request, user: Admin, name: Annotated[str, Form(max_length=100)]
) -> Response:
    """The secret is shown on this one answer and never again (only its hash is kept)."""
    with session_scope(state_of(request).engine) as session:
        issued = accounts.create_token(session, name, actor=user.username)
        rows = session.exec(select(ApiToken).order_by(col(ApiToken.id).desc())).all()
    return page(request, "admin/tokens.html", {"rows": rows, "issued": issued}, user=user)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, user: Admin, token_id: int) -> Response:
    try:
        with session_scope(state_of(request).engine) as session:
            accounts.revoke_token(session, token_id, actor=user.username)
    except PostlinkError as exc:
        flash(request, str(exc), "error")
        return RedirectResponse("/admin/tokens", status_code=303)
    return _back(request, "/admin/tokens", f"Đã thu hồi khóa API {token_id}.")
