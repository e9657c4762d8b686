"""``postlink serve`` as production runs it: several worker processes behind one port, which
share sessions (the signed cookie) and login throttling (the database)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import Engine

from postlink.web.server import free_port
from postlink.web.throttle import MAX_FAILURES
from tests.web.conftest import ADMIN

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def worker_processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def test_worker_processes_share_sessions_and_throttling(
    engine: Engine, accounts_made: None, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "POSTLINK_DATA_DIR": str(tmp_path), "POSTLINK_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "postlink", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while len(worker_processes(server.pid)) < 2 or not _answers(base):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "postlink serve did not start two workers"
            time.sleep(0.2)

        browser = requests.Session()
        browser.headers["Connection"] = "close"  # each request on a new connection
        token = _CSRF.search(browser.get(f"{base}/login", timeout=10).text)
        assert token is not None

        def login(password: str) -> requests.Response:
            form = {"username": ADMIN[0], "password": password, "csrf_token": token.group(1)}
            return browser.post(f"{base}/login", data=form, timeout=10, allow_redirects=False)

        assert [login("wrong-password").status_code for _ in range(MAX_FAILURES)] == [401] * 5
        assert login(ADMIN[1]).status_code == 429, "the workers must count failures together"
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/login", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False
