"""Sandbox fixtures, importable by any test package (the sync's tests use them too).

    from tests.postal.fixtures import sandbox_factory, sandbox_server  # noqa: F401

in a ``conftest.py`` makes them available. ``sandbox_server`` is a small frozen world on a
free loopback port; ``sandbox.adapter()`` is the real MyVNPost client pointed at it, with
short timeouts and a small retry budget so fault tests stay fast.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from postlink.postal.http import ExchangeRecord, Recorder
from postlink.postal.myvnpost.adapter import MyVNPostAdapter
from postlink.postal.ngsp.adapter import NgspAdapter
from postlink.postal.retry import Waiter
from postlink.postal.sandbox.control import SandboxControl
from postlink.postal.sandbox.faults import FaultSettings
from postlink.postal.sandbox.server import RunningSandbox, SandboxConfig, start_in_thread
from postlink.settings import Settings, load_settings


class SteppedWaiter(Waiter):
    """A waiter whose clock moves only when the client waits, by what it waits, and which
    never sleeps: a retry budget is then spent by the waits the policy asks for alone, not
    by a loaded machine's slow requests (issue 15 §5). ``waits`` lists them in order."""

    def __init__(self) -> None:
        super().__init__(clock=self.now)
        self.time = 0.0
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.time += seconds
        self.check()


#: A Monday, so that working-day gaps are easy to read in failures.
WORLD_START = date(2026, 1, 5)

#: Client settings for tests: quick timeouts, a feed reaching back over the whole world.
CLIENT_ENV = {
    "POSTLINK_POSTAL_CONNECT_TIMEOUT": "2",
    "POSTLINK_POSTAL_READ_TIMEOUT": "0.5",
    "POSTLINK_POSTAL_RETRY_BUDGET": "15",
    "POSTLINK_POSTAL_FEED_LOOKBACK_DAYS": "120",
    "POSTLINK_POSTAL_FEED_PAGE_SIZE": "25",
}

#: Fault durations that keep a faulty run short; the stall outlasts the read timeout above.
FAST_FAULTS = FaultSettings(latency_seconds=0.01, retry_after_seconds=0.05, timeout_seconds=0.8)


@dataclasses.dataclass
class SandboxHandle:
    running: RunningSandbox
    control: SandboxControl

    @property
    def url(self) -> str:
        return self.running.url

    def settings(self, **env: str) -> Settings:
        values = {**CLIENT_ENV, "POSTLINK_POSTAL_BASE_URL": self.url, **env}
        return load_settings(values, Path("/nonexistent/.env"))

    def adapter(self, recorder: Recorder | None = None, **env: str) -> MyVNPostAdapter:
        """The real client against this sandbox, on the sandbox's clock, with quick backoff."""
        records: list[ExchangeRecord] = []
        adapter = MyVNPostAdapter(
            self.settings(**env),
            recorder or records.append,
            clock=self.running.sandbox.clock.now,
        )
        adapter.http.policy = dataclasses.replace(adapter.http.policy, backoff_base=0.01)
        return adapter

    def ngsp_adapter(self, recorder: Recorder | None = None, **env: str) -> NgspAdapter:
        """The real national-gateway client against this sandbox (started with dialect ngsp)."""
        records: list[ExchangeRecord] = []
        settings = self.settings(POSTLINK_POSTAL_BASE_URL=f"{self.url}/ngsp", **env)
        adapter = NgspAdapter(
            settings, recorder or records.append, clock=self.running.sandbox.clock.now
        )
        adapter.http.policy = dataclasses.replace(adapter.http.policy, backoff_base=0.01)
        return adapter


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., SandboxHandle]]:
    """Start sandboxes with any ``SandboxConfig`` fields; all are stopped after the test."""
    started: list[SandboxHandle] = []

    def start(**config: Any) -> SandboxHandle:
        options = {
            "orders": 200,
            "span_days": 15,
            "start": WORLD_START,
            "faults": FAST_FAULTS,
            **config,
        }
        running = start_in_thread(SandboxConfig(**options))
        handle = SandboxHandle(running, SandboxControl(running.url))
        started.append(handle)
        return handle

    yield start
    for handle in started:
        handle.control.close()
        handle.running.stop()


@pytest.fixture
def sandbox_server(sandbox_factory: Callable[..., SandboxHandle]) -> SandboxHandle:
    """A 200-order world over 15 days from 2026-01-05, clock frozen at the end, no faults."""
    return sandbox_factory()


@dataclasses.dataclass
class WebhookReceiver:
    url: str
    bodies: list[bytes]


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A loopback endpoint that keeps every body POSTed to it."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield WebhookReceiver(f"http://{host!s}:{port}/webhook", bodies)
    server.shutdown()
    server.server_close()
