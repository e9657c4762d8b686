"""A failing web request leaves no citizen's personal data in the server's log (issue 13
§5): uvicorn's access line and its traceback, with the handlers ``postlink serve`` gives
it (``postlink.logs.uvicorn_config``)."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
import requests
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from postlink import logs
from postlink.db import session_scope
from postlink.web import lookup
from postlink.web.server import free_port
from tests.test_personal_data_logs import PHONE, _assert_no_personal_data, _failing_dossier
from tests.web.conftest import STAFF


def test_a_failing_web_request_logs_no_personal_data(
    app: FastAPI,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A staff search by phone that fails on a database error: uvicorn's access line and
    its traceback of the failure (its own handlers, as ``postlink serve`` configures them)."""

    def failing_search(session: Session, text: str, adapter: str) -> list[Any]:
        with session_scope(engine) as writer:
            _failing_dossier(writer)
        return []

    monkeypatch.setattr(lookup, "search", failing_search)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="info", log_config=logs.uvicorn_config()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        base = f"http://127.0.0.1:{port}"
        browser = requests.Session()
        form = browser.get(f"{base}/login", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        login = {"username": STAFF[0], "password": STAFF[1], "csrf_token": token.group(1)}
        assert browser.post(f"{base}/login", data=login, timeout=10).status_code == 200
        answer = browser.get(f"{base}/search", params={"q": PHONE}, timeout=10)
        assert answer.status_code == 500
        _assert_no_personal_data(answer.text)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    captured = capfd.readouterr()
    text = captured.out + captured.err
    assert "Exception in ASGI application" in text
    assert '"GET /search HTTP/1.1" 500' in text
    assert re.search(r"NOT NULL|not-null", text), text
    _assert_no_personal_data(text)
