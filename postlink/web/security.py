"""Sessions, CSRF tokens, role checks and protective headers for the console.

* Sessions are Starlette's signed cookies (itsdangerous): ``HttpOnly``, ``SameSite=Lax``,
  and ``Secure`` whenever the request came over HTTPS (directly or through a trusted proxy).
  A session carries the user's id and the user's session generation when it was opened;
  logout, a password change and deactivation bump the generation (``accounts.end_sessions``), so
  every cookie of that user stops working at once, even one copied before the logout
  (issue 14 §3: sessions revocable on the server). Role and activity are read from the
  database on every request, so a demotion takes effect at once.
* Every form carries the session's CSRF token; every unsafe request to the console must
  return it (OWASP synchronizer token pattern), on top of SameSite cookies.
* Staff pages need a logged-in active user; admin pages need the admin role (issue 7).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from postlink.models import Role, User

SESSION_COOKIE = "postlink_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Sent with every response. No inline scripts anywhere; reports carry inline CSS and SVG.
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
        b"object-src 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


class LoginRequired(Exception):
    """No logged-in user: pages redirect to the login form."""


class Forbidden(Exception):
    """Logged in, but the role does not allow this (a staff user on an admin page)."""


class CsrfFailed(Exception):
    """An unsafe request without the session's CSRF token."""


class SchemeAwareSessions:
    """Signed session cookies, marked ``Secure`` exactly when the request is HTTPS."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int) -> None:
        options: dict[str, Any] = {
            "secret_key": secret_key,
            "session_cookie": SESSION_COOKIE,
            "max_age": max_age,
            "same_site": "lax",
        }
        self.plain = SessionMiddleware(app, https_only=False, **options)
        self.secure = SessionMiddleware(app, https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        https = scope.get("scheme") in ("https", "wss")
        await (self.secure if https else self.plain)(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def start_session(request: Request, user: User) -> None:
    """A fresh session for ``user`` (nothing from before the login survives)."""
    request.session.clear()
    request.session.update(
        {"uid": user.id, "gen": user.session_generation, CSRF_FIELD: secrets.token_urlsafe(32)}
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login form needs one too)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe request whose form field or header does not carry the token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise CsrfFailed


def db_session(request: Request) -> Any:
    """One database session per request, closed after the response."""
    with Session(request.app.state.web.engine, expire_on_commit=False) as session:
        yield session


def current_user(request: Request) -> User | None:
    """The logged-in user, read in a session of its own that is closed at once, so that the
    request holds no pooled connection while it does other work."""
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    with Session(request.app.state.web.reader, expire_on_commit=False) as session:
        user = session.get(User, uid)
    if user is None or not user.active or request.session.get("gen") != user.session_generation:
        request.session.clear()
        return None
    return user


async def require_staff(user: Annotated[User | None, Depends(current_user)]) -> User:
    """Staff pages: any active account (admins have staff rights). Async because it does
    no I/O: FastAPI would otherwise send it through the thread pool on every request."""
    if user is None:
        raise LoginRequired
    return user


async def require_admin(user: Annotated[User, Depends(require_staff)]) -> User:
    if user.role != Role.ADMIN:
        raise Forbidden
    return user
