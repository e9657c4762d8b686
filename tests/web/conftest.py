"""Web fixtures: the app on each database, accounts, a logged-in client, the sandbox.

``client`` drives the app in-process (Starlette's TestClient, over httpx); the browser
tests in ``test_e2e.py`` run the same app under uvicorn on a loopback port instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from postlink import defaults
from postlink.catalog.resolve import Resolver
from postlink.db import session_scope
from postlink.legs.apply import SyncContext
from postlink.legs.deadlines import load_policy
from postlink.postal.exchange_log import DatabaseRecorder
from postlink.settings import get_settings
from postlink.sync.jobs import build_context
from postlink.web import accounts
from postlink.web.app import create_app
from tests.postal.fixtures import SandboxHandle, sandbox_factory, sandbox_server, webhook_receiver
from tests.sync.conftest import published_list

__all__ = ["published_list", "sandbox_factory", "sandbox_server", "webhook_receiver"]

ADMIN = ("admin", "admin-pass-1")
STAFF = ("staff", "staff-pass-1")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with RFC 9106 parameters costs ~0.3 s a hash on this machine; the web tests
    hash and verify hundreds of times, so they use argon2's cheapest profile instead (the
    code path is the same; test_accounts checks the production parameters)."""
    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    monkeypatch.setattr(accounts, "_HASHER", cheap)
    dummy = cheap.hash("dummy-password")
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: dummy)


@pytest.fixture
def accounts_made(engine: Engine) -> None:
    """An admin and a staff account."""
    with session_scope(engine) as session:
        accounts.add_user(session, *ADMIN, role="admin", full_name="Quản Trị", actor="test")
        accounts.add_user(session, *STAFF, role="staff", full_name="Nông Thị Lan", actor="test")


@pytest.fixture
def app(engine: Engine, accounts_made: None) -> FastAPI:
    """The app on the test database; its postal adapter points at no running post."""
    settings = get_settings()
    return create_app(settings, engine, build_context(settings, engine))


def sandbox_context(engine: Engine, sandbox: SandboxHandle) -> SyncContext:
    """The worker's context on a sandbox, verifying webhooks with the sandbox's HMAC secret."""
    return SyncContext(
        engine=engine,
        adapter=sandbox.adapter(
            DatabaseRecorder(engine),
            POSTLINK_POSTAL_WEBHOOK_VERIFICATION="hmac",
            POSTLINK_POSTAL_WEBHOOK_SECRET="sandbox",
            POSTLINK_POSTAL_RETRY_BUDGET="1",
        ),
        resolver=Resolver(engine),
        policy=load_policy(defaults.DEADLINES_FILE),
        tz=get_settings().tz,
    )


@pytest.fixture
def sandbox_ctx(
    engine: Engine, sandbox_server: SandboxHandle, published_list: int
) -> Iterator[SyncContext]:
    ctx = sandbox_context(engine, sandbox_server)
    yield ctx
    ctx.adapter.close()


@pytest.fixture
def sandbox_app(engine: Engine, accounts_made: None, sandbox_ctx: SyncContext) -> FastAPI:
    """The app whose adapter talks to a running sandbox (webhooks, tracking history)."""
    return create_app(get_settings(), engine, sandbox_ctx)


def api_routes(app: FastAPI) -> list[Any]:
    """Every endpoint of the app with its full path, methods and dependencies. FastAPI
    0.16x keeps included routers as branches of ``app.routes`` (walked by its
    ``iter_route_contexts``); earlier versions list the routes themselves."""
    walk = getattr(routing, "iter_route_contexts", None)
    found = []
    for item in walk(app.routes) if walk else app.routes:
        original = getattr(item, "original_route", item)
        if isinstance(original, routing.APIRoute):
            found.append(item)
    assert len(found) > 20, "the route table was not walked"
    return found


@dataclass
class Browser:
    """A TestClient that knows the session's CSRF token."""

    client: TestClient

    def token(self) -> str:
        found = _CSRF.search(self.client.get("/login").text) or _CSRF.search(
            self.client.get("/").text
        )
        assert found, "no CSRF token on the page"
        return found.group(1)

    def login(self, username: str, password: str) -> Any:
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": self.token()},
            follow_redirects=False,
        )

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """A form post carrying the CSRF token, as the console's forms do."""
        return self.client.post(
            path,
            data={**(data or {}), "csrf_token": self.token()},
            follow_redirects=False,
            **kwargs,
        )

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)


MakeBrowser = Callable[..., Browser]


@pytest.fixture
def browser_for(app: FastAPI) -> Iterator[MakeBrowser]:
    """``browser_for()`` is anonymous; ``browser_for(*ADMIN)`` is logged in."""
    clients: list[TestClient] = []

    def make(
        username: str | None = None, password: str | None = None, on: FastAPI = app
    ) -> Browser:
        client = TestClient(on, base_url="http://testserver")
        clients.append(client)
        browser = Browser(client)
        if username and password:
            answer = browser.login(username, password)
            assert answer.status_code == 303, answer.text
        return browser

    yield make
    for client in clients:
        client.close()
