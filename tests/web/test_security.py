"""Security of the console (issue 7): roles on every route, CSRF, throttling, escaping."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.models import ApiToken, AuditEntry, Dossier, Leg, User
from postlink.settings import get_settings
from postlink.timeutil import local_date, utcnow
from postlink.web.routes.api import api_token
from postlink.web.security import csrf_protect, require_admin, require_staff
from tests.web.conftest import ADMIN, STAFF, MakeBrowser

#: Routes anyone may reach: the login form, the API (bearer tokens) and the webhook
#: (the post's signature) have their own checks, tested in test_api and test_webhook.
PUBLIC = {"/login", "/logout", "/openapi.json"}

ADMIN_PAGES = [
    "/admin/catalog",
    "/admin/catalog/upload",
    "/admin/catalog/versions/1",
    "/admin/audit",
    "/admin/users",
    "/admin/tokens",
]
ADMIN_ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("/admin/users", {"username": "intruder", "password": "intruder-1", "role": "admin"}),
    ("/admin/users/1", {"role": "staff", "active": "false"}),
    ("/admin/users/1/password", {"password": "taken-over-1"}),
    ("/admin/tokens", {"name": "stolen"}),
    ("/admin/tokens/1/revoke", {}),
    ("/admin/catalog/versions/1/publish", {}),
    ("/admin/catalog/versions/1/withdraw", {"reason": "x"}),
]


def _dependencies(route: APIRoute) -> set[Any]:
    found = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        found.add(dependant.call)
        stack.extend(dependant.dependencies)
    return found


def test_every_route_checks_a_role_or_is_deliberately_public(app: FastAPI) -> None:
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        calls = _dependencies(route)
        if route.path.startswith("/admin"):
            assert require_admin in calls, route.path
        elif route.path.startswith("/api/"):
            assert api_token in calls, route.path
        elif route.path not in PUBLIC and route.path != "/webhooks/postal":
            assert require_staff in calls, route.path
        if route.path.startswith(("/api/", "/webhooks/")):
            continue
        assert csrf_protect in calls, f"{route.path} has no CSRF check"


def _snapshot(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(User)).one(),
            session.exec(select(func.count()).select_from(ApiToken)).one(),
            session.exec(select(func.count()).select_from(AuditEntry)).one(),
        )


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_anonymous_and_staff(browser_for: MakeBrowser, path: str) -> None:
    anonymous = browser_for().get(path)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    staff = browser_for(*STAFF).get(path)
    assert staff.status_code == 403
    assert "chỉ dành cho quản trị viên" in staff.text


def test_admin_actions_refuse_anonymous_and_staff(browser_for: MakeBrowser, engine: Engine) -> None:
    anonymous, staff = browser_for(), browser_for(*STAFF)
    before = _snapshot(engine)  # after the login, which is audited
    for path, data in ADMIN_ACTIONS:
        assert anonymous.post(path, data).status_code == 303, path
        assert staff.post(path, data).status_code == 403, path
    assert _snapshot(engine) == before
    with Session(engine) as session:
        admin = session.exec(select(User).where(User.username == "admin")).one()
    assert admin.role == "admin"
    assert admin.active


def test_staff_pages_refuse_anonymous(browser_for: MakeBrowser) -> None:
    anonymous = browser_for()
    for path in ("/", "/search?q=1", "/reports/delivery", "/handovers/receive", "/results"):
        answer = anonymous.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")


def test_form_post_without_csrf_token_is_refused(browser_for: MakeBrowser, engine: Engine) -> None:
    admin = browser_for(*ADMIN)
    before = _snapshot(engine)
    answer = admin.client.post(
        "/admin/users",
        data={"username": "nocsrf", "password": "no-csrf-pass", "role": "staff"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "Biểu mẫu không hợp lệ" in answer.text
    wrong = admin.client.post(
        "/admin/tokens", data={"name": "x", "csrf_token": "forged"}, follow_redirects=False
    )
    assert wrong.status_code == 403
    assert _snapshot(engine) == before


def test_login_without_csrf_token_is_refused(browser_for: MakeBrowser) -> None:
    answer = browser_for().client.post(
        "/login", data={"username": ADMIN[0], "password": ADMIN[1]}, follow_redirects=False
    )
    assert answer.status_code == 403


def test_sixth_wrong_password_within_a_minute_is_throttled(browser_for: MakeBrowser) -> None:
    browser = browser_for()
    for _ in range(5):
        assert browser.login(ADMIN[0], "wrong-password").status_code == 401
    throttled = browser.login(ADMIN[0], "wrong-password")
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert "quá nhiều lần" in throttled.text
    # Even the right password is refused while throttled: no oracle for a guesser.
    assert browser.login(*ADMIN).status_code == 429


def test_a_name_that_lengthens_when_lowered_is_refused_not_an_error(
    browser_for: MakeBrowser,
) -> None:
    """``"İ".lower()`` is two characters: the throttle's key must still fit its column."""
    assert browser_for().login("İ" * 100, "wrong-password").status_code == 401


def test_session_cookie_flags(browser_for: MakeBrowser, app: FastAPI) -> None:
    answer = browser_for().login(*ADMIN)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as https:
        page = https.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()


def test_security_headers(browser_for: MakeBrowser) -> None:
    answer = browser_for().get("/login")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"


def test_password_reset_ends_other_sessions(browser_for: MakeBrowser) -> None:
    staff = browser_for(*STAFF)
    assert staff.get("/").status_code == 200
    admin = browser_for(*ADMIN)
    assert admin.post("/admin/users/2/password", {"password": "new-pass-123"}).status_code == 303
    assert staff.get("/").status_code == 303


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_in_citizen_name_is_rendered_inert(browser_for: MakeBrowser, engine: Engine) -> None:
    with session_scope(engine) as session:
        dossier = Dossier(
            code="000.00.12.H14-260110-0001",
            procedure_code="1.001193",
            citizen_name=XSS,
            citizen_phone="0912345678",
            citizen_address=XSS,
        )
        session.add(dossier)
        session.flush()
        session.add(
            Leg(
                dossier_id=dossier.id,
                kind="pickup",
                adapter="myvnpost",
                reference=f"{dossier.code}-P1",
                item_code="EB123456785VN",
                status="delivered",
                match_class="excluded",
                j_date=local_date(utcnow(), get_settings().tz),  # on the dashboard's panel
            )
        )
    staff = browser_for(*STAFF)
    for path in ("/dossiers/000.00.12.H14-260110-0001", "/search?q=0912345678", "/"):
        page = staff.get(path).text
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "0912***678" in staff.get("/search?q=0912345678").text
    assert "0912***678" in staff.get("/").text
    assert "0912345678" in staff.get("/dossiers/000.00.12.H14-260110-0001").text
