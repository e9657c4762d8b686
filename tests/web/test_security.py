"""Security of the console (issue 7): roles on every route, CSRF, throttling, escaping."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink.db import session_scope
from postlink.models import ApiToken, AuditEntry, Dossier, Leg, User
from postlink.settings import get_settings
from postlink.timeutil import local_date, utcnow
from postlink.web.routes.api import api_token
from postlink.web.security import csrf_protect, require_admin, require_staff
from tests.web.conftest import ADMIN, STAFF, MakeBrowser, api_routes

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


def _dependencies(route: Any) -> set[Any]:
    found = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        found.add(dependant.call)
        stack.extend(dependant.dependencies)
    return found


def test_every_route_checks_a_role_or_is_deliberately_public(app: FastAPI) -> None:
    for route in api_routes(app):
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


def _cookie(browser: Any) -> str:
    value = browser.client.cookies.get("postlink_session")
    assert value, "no session cookie"
    return str(value)


def _replay(app: FastAPI, cookie: str, path: str) -> int:
    """Open ``path`` in a fresh client with nothing but a saved session cookie."""
    from fastapi.testclient import TestClient

    with TestClient(app, cookies={"postlink_session": cookie}) as thief:
        return thief.get(path, follow_redirects=False).status_code


def test_logout_ends_the_session_even_for_a_cookie_saved_before(
    browser_for: MakeBrowser, app: FastAPI
) -> None:
    staff = browser_for(*STAFF)
    saved = _cookie(staff)
    assert _replay(app, saved, "/") == 200
    assert _replay(app, saved, "/search?q=0912345678") == 200
    assert staff.post("/logout").status_code == 303
    assert _replay(app, saved, "/") == 303
    assert _replay(app, saved, "/search?q=0912345678") == 303
    assert staff.get("/").status_code == 303
    again = browser_for(*STAFF)  # logging in again opens a new session that works
    assert again.get("/").status_code == 200


def test_deactivation_and_password_change_end_sessions(
    browser_for: MakeBrowser, app: FastAPI, engine: Engine
) -> None:
    staff = browser_for(*STAFF)
    saved = _cookie(staff)
    admin = browser_for(*ADMIN)
    with Session(engine) as session:
        staff_id = session.exec(select(User.id).where(User.username == "staff")).one()
    answer = admin.post(f"/admin/users/{staff_id}", {"role": "staff", "full_name": "Lan"})
    assert answer.status_code == 303
    assert _replay(app, saved, "/") == 303
    answer = admin.post(f"/admin/users/{staff_id}", {"role": "staff", "active": "true"})
    assert answer.status_code == 303
    assert _replay(app, saved, "/") == 303, "reactivating does not revive an old session"
    staff = browser_for(*STAFF)
    saved = _cookie(staff)
    assert (
        admin.post(f"/admin/users/{staff_id}/password", {"password": "khac-9876"}).status_code
        == 303
    )
    assert _replay(app, saved, "/") == 303


def test_logins_failures_and_logouts_are_audited_without_the_password(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    browser = browser_for()
    assert browser.login("staff", "sai-mat-khau-1").status_code == 401
    assert browser.login("khong-co-ai", "staff-pass-1").status_code == 401
    assert browser.login(*STAFF).status_code == 303
    assert browser.post("/logout").status_code == 303
    with Session(engine) as session:
        rows = session.exec(
            select(AuditEntry)
            .where(col(AuditEntry.action).startswith("user.log"))
            .order_by(col(AuditEntry.id))
        ).all()
    seen = [(r.actor, r.action, r.entity_id, (r.after or {}).get("why")) for r in rows]
    assert seen == [
        ("staff", "user.login_failed", "staff", "wrong_password"),
        ("anonymous", "user.login_failed", "", "wrong_password"),
        ("staff", "user.login", "staff", None),
        ("staff", "user.logout", "staff", None),
    ]
    stored = " ".join(f"{r.before} {r.after} {r.reason}" for r in rows)
    for secret in ("sai-mat-khau-1", "staff-pass-1", "khong-co-ai"):
        assert secret not in stored


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
