"""Hostile and clumsy input on every route: never a 5xx (issue 14 §3).

The probes are generated from the app's route table, so a route added later is probed
without anyone remembering to: each path parameter, query parameter and form field gets
each value of the families found by probing a running server (ids beyond 2^63, NUL bytes,
SQL fragments, dates at the ends of the calendar, overlong text), as a logged-in admin with
the session's CSRF token and, on the API, a valid bearer token. The bodies the issue names
(an 11 MB body, a chunked 12 MB body, an unknown field) and the racing registrations of
one new dossier are checked for their exact answers.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from postlink.db import session_scope
from postlink.models import Dossier, ListVersion, LoginAttempt, OutboxCommand
from postlink.web import accounts
from postlink.web.server import BackgroundServer, free_port
from tests.web.conftest import ADMIN, Browser, api_routes
from tests.web.test_api import BIRTH as BODY
from tests.web.test_api import DOSSIER

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: Values that reached a 500 on a running server, and their neighbours.
HOSTILE = (
    "9223372036854775808",  # 2^63: one past the largest BIGINT
    "18446744073709551617",
    "999999999999999999999999999999",
    "-1",
    "0",
    "a\x00b",
    "\x00",
    "' OR 1=1 --",
    "1; DROP TABLE app_user; --",
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "00/00/0000",
    "2026-02-30",
    "9999Q4",
    "0001H1",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "Đ" * 300,
    "x" * 5000,
    "\u202e\u200b",
)
#: Fields the desk forms read by name pattern rather than by declaration.
DESK_FIELDS = {
    "item-9223372036854775808": "complete",
    "item-1": "no-such-state",
    "dossier": "9223372036854775808",
    "postal_worker": "Hoàng Văn Bưu",
}
#: A path that names no row, used while another part of the request is probed, so that
#: no probe changes the admin's own account (which would end the probing session).
NO_ROW = "987654"


def _routes(app: FastAPI) -> Iterator[tuple[Any, str]]:
    for route in api_routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            yield route, method


def _fields(dependant: Dependant) -> tuple[list[str], list[str]]:
    """The query parameters and body fields a route reads, through all its dependencies."""
    query, body, stack = [], [], [dependant]
    while stack:
        current = stack.pop()
        query += [p.alias for p in current.query_params]
        body += [p.alias for p in current.body_params]
        stack.extend(current.dependencies)
    return sorted(set(query)), sorted(set(body))


def _path(route: Any, values: dict[str, str]) -> str:
    path = route.path_format
    for name in route.param_convertors:
        path = path.replace("{" + name + "}", quote(values.get(name, NO_ROW), safe=""))
    return path


@pytest.fixture
def token(engine: Engine) -> str:
    with session_scope(engine) as session:
        return accounts.create_token(session, "một cửa", actor="test").secret


class Prober:
    """Sends probes as a logged-in admin and collects every 5xx (logging in again when a
    probe ended the session, e.g. a logout, so that later probes still reach the handlers)."""

    def __init__(self, app: FastAPI, token: str) -> None:
        self.engine = app.state.web.engine
        self.client = TestClient(app, raise_server_exceptions=False)
        self.browser = Browser(self.client)
        self.bearer = {"Authorization": f"Bearer {token}"}
        self.failures: list[str] = []
        self.sent = 0
        self._login()

    def _login(self) -> None:
        # The probes of the login form count as failed logins of this client: forget them,
        # or the throttle would (rightly) refuse the prober's own login.
        with session_scope(self.engine) as session:
            session.execute(delete(LoginAttempt))
        answer = self.browser.login(*ADMIN)
        assert answer.status_code == 303, answer.text
        self.csrf = self.browser.token()

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), **self.bearer, "x-csrf-token": self.csrf}
        answer = self.client.request(
            method, path, headers=headers, follow_redirects=False, **kwargs
        )
        self.sent += 1
        if answer.status_code >= 500:
            shown = {k: (str(v)[:60] if v else v) for k, v in kwargs.items()}
            self.failures.append(f"{method} {path[:120]} {shown} → {answer.status_code}")
        if answer.headers.get("location", "").startswith("/login"):
            self._login()
        return answer


def test_hostile_values_on_every_route_never_reach_a_5xx(
    app: FastAPI, token: str, published_list: int
) -> None:
    prober = Prober(app, token)
    for route, method in _routes(app):
        query_fields, form_fields = _fields(route.dependant)
        body = method in ("POST", "PUT", "PATCH")
        for name in route.param_convertors:
            for value in HOSTILE:
                prober.send(method, _path(route, {name: value}))
        for param in query_fields:
            for value in HOSTILE:
                prober.send(method, _path(route, {}), params={param: value})
        if not body:
            continue
        for value in HOSTILE:
            if route.path.startswith("/api/"):
                prober.send(method, _path(route, {}), json={**BODY, "procedure_code": value})
                citizen = {**BODY["citizen"], "name": value}
                prober.send(method, _path(route, {}), json={**BODY, "citizen": citizen})
                continue
            for field in form_fields or ["anything"]:
                data = {**DESK_FIELDS, **dict.fromkeys(form_fields, "x"), field: value}
                prober.send(method, _path(route, {}), data=data)
                files = {field: ("a\x00.xlsx", value.encode(), "application/octet-stream")}
                prober.send(method, _path(route, {}), files=files)
        for raw in (b"\x00\xff{", b'{"citizen": [1, 2]}', b"[]", b"null", b"{" * 5000):
            prober.send(method, _path(route, {}), content=raw)
    assert prober.sent > 1000, prober.sent
    assert not prober.failures, "\n".join(prober.failures)


def test_oversized_and_unknown_bodies_on_the_api_are_refused_in_json(
    app: FastAPI, token: str, published_list: int
) -> None:
    path = f"/api/v1/dossiers/{DOSSIER}/pickup"
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    with TestClient(app, raise_server_exceptions=False) as client:
        eleven = client.put(path, content=b" " * (11 * 1024 * 1024), headers=headers)
        assert eleven.status_code == 413
        assert eleven.json()["code"] == "too_large"

        def chunks() -> Iterator[bytes]:
            for _ in range(12):
                yield b" " * (1024 * 1024)

        chunked = client.put(path, content=chunks(), headers=headers)
        assert chunked.status_code == 413, chunked.text
        assert chunked.json()["code"] == "too_large"
        assert "quá lớn" in chunked.json()["message"]

        unknown = client.put(path, json={**BODY, "note": "x" * 1000}, headers=headers)
        assert unknown.status_code == 422, unknown.text
        assert unknown.json()["errors"] == [
            {"field": "body.note", "type": "extra_forbidden", "problem": "trường không được hỗ trợ"}
        ]
        nul = client.put(path, json={**BODY, "procedure_name": "khai\x00sinh"}, headers=headers)
        assert nul.status_code == 422, nul.text
        five_mb = client.put(path, json={**BODY, "note": "x" * (5 * 1024 * 1024)}, headers=headers)
        assert five_mb.status_code == 413
    with Session(app.state.web.engine) as session:
        assert session.exec(select(OutboxCommand)).all() == [], "nothing refused was stored"


def test_a_chunked_12_mb_form_to_the_console_is_a_413(app: FastAPI) -> None:
    """On a real server, where the body arrives in 64 KiB pieces: the form parser refuses a
    field over 1 MiB with a 400 as soon as it has read that much, so a console form without
    a file is capped at that size and refused as too large before (the test client hands
    the app the whole body at once and hid the 400)."""
    server = BackgroundServer(app, "127.0.0.1", free_port()).start()

    def chunks() -> Iterator[bytes]:
        for _ in range(12):
            yield b"a" * (1024 * 1024)

    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            form = {"content-type": "application/x-www-form-urlencoded"}
            chunked = client.post("/login", content=chunks(), headers=form)
            declared = client.post("/login", data={"username": "a" * (2 * 1024 * 1024)})
            small = client.post("/login", data={"username": "a" * 1000, "password": "x"})
    finally:
        server.stop()
    assert chunked.status_code == 413, chunked.text[:200]
    assert "quá lớn" in chunked.text
    assert declared.status_code == 413, declared.text[:200]
    assert small.status_code < 500


def test_racing_registrations_of_a_new_dossier_are_idempotent(
    app: FastAPI, token: str, published_list: int, engine: Engine
) -> None:
    """Four PUTs at once (two pickups, two returns) for each of several new dossiers, on a
    real server: each leg is created once (one 201, the repeat a 200) and has exactly one
    command."""
    server = BackgroundServer(app, "127.0.0.1", free_port()).start()
    codes = [f"000.00.12.H14-260115-{n:04d}" for n in range(11, 21)]
    answers: list[int] = []
    created: Counter[tuple[str, str]] = Counter()
    try:
        for code in codes:
            barrier = threading.Barrier(4)

            def put(leg: str, code: str = code, barrier: threading.Barrier = barrier) -> None:
                with httpx.Client(base_url=server.url, timeout=30) as client:
                    barrier.wait()
                    answer = client.put(
                        f"/api/v1/dossiers/{code}/{leg}",
                        json=BODY,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    answers.append(answer.status_code)
                    created[code, leg] += answer.status_code == 201

            threads = [
                threading.Thread(target=put, args=(leg,))
                for leg in ("pickup", "return", "pickup", "return")
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        server.stop()
    assert len(answers) == 4 * len(codes)
    assert set(answers) <= {200, 201}, answers
    assert created == {(code, leg): 1 for code in codes for leg in ("pickup", "return")}
    with Session(engine) as session:
        dossiers = session.exec(select(Dossier).where(col(Dossier.code).in_(codes))).all()
        commands = session.exec(
            select(OutboxCommand).where(col(OutboxCommand.dossier_code).in_(codes))
        ).all()
    assert len(dossiers) == len(codes)
    assert sorted((c.dossier_code, c.leg_kind) for c in commands) == sorted(
        (code, leg) for code in codes for leg in ("pickup", "return")
    )


def test_a_text_field_over_1_mib_in_the_upload_form_is_a_413(app: FastAPI) -> None:
    """The catalog upload is multipart (a file of up to 10 MiB), so the body ceiling lets it
    through and the form parser refuses a text field over 1 MiB itself, with a bare 400;
    it is refused as too large, on the console's Vietnamese error page, and nothing is
    stored. On a real server, as an admin with the session's CSRF token."""
    server = BackgroundServer(app, "127.0.0.1", free_port()).start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            found = CSRF.search(client.get("/login").text)
            assert found
            login = {"username": ADMIN[0], "password": ADMIN[1], "csrf_token": found.group(1)}
            assert client.post("/login", data=login).status_code == 303
            found = CSRF.search(client.get("/admin/catalog/upload").text)
            assert found
            fields = {"csrf_token": found.group(1), "effective_from": "01/01/2027"}
            upload = {"file": ("danh-muc.csv", b"STT,Ma\r\n", "text/csv")}
            big = client.post(
                "/admin/catalog/upload",
                data={**fields, "reason": "x" * (1024 * 1024 + 1)},
                files=upload,
            )
            small = client.post(
                "/admin/catalog/upload", data={**fields, "reason": "thử"}, files=upload
            )
    finally:
        server.stop()
    assert big.status_code == 413, big.text[:300]
    assert "quá lớn" in big.text
    assert "Đăng xuất" in big.text, "the error page keeps the admin's navigation"
    assert small.status_code == 422, small.text[:300]
    with Session(app.state.web.engine) as session:
        assert session.exec(select(ListVersion)).all() == []
