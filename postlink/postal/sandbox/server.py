"""The sandbox's HTTP server: a dialect's endpoints, transport faults, control endpoints.

The standard library's ``ThreadingHTTPServer`` is enough: the sandbox serves one client at
a time at most a few connections wide, runs on loopback, and must start in a test thread in
milliseconds. HTTP/1.1 keep-alive matters for the feed benchmark, so it is on.

Control endpoints (sandbox only, never in a real post):
``GET /_sandbox/truth`` every order with its events, streamed; ``GET|POST /_sandbox/clock``
read or advance the simulated clock; ``GET|POST /_sandbox/faults`` read or set fault rates;
``GET /_sandbox/stats`` requests, logins, created references; ``POST /_sandbox/webhook``
push signed webhooks to a URL; ``GET /_sandbox/public-key`` the webhook RSA key.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from postlink.postal.sandbox.accounts import Credentials
from postlink.postal.sandbox.clock import SimClock
from postlink.postal.sandbox.dialect import Dialect, Reply
from postlink.postal.sandbox.faults import Faults, FaultSettings
from postlink.postal.sandbox.myvnpost import records
from postlink.postal.sandbox.myvnpost.routes import MyVNPostRoutes
from postlink.postal.sandbox.ngsp.routes import NgspRoutes
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.terms import VIETNAM
from postlink.postal.sandbox.webhooks import BATCH, WebhookSigner, deliver
from postlink.postal.sandbox.world import World

log = logging.getLogger("postlink.sandbox")

BUSY = "Hệ thống đang bận, vui lòng thử lại sau"
#: Where the sandbox listens and what world it serves when nobody says otherwise; the CLI
#: passes postlink's settings explicitly (the sandbox imports nothing of postlink's).
HOST = "127.0.0.1"
SEED = 1
ORDERS = 2_000
SPAN_DAYS = 60


@dataclass(frozen=True)
class SandboxConfig:
    """A world and how it behaves. ``start`` None: ``span_days`` before today (Vietnam);
    ``now`` None: the end of the span when frozen (``speed`` 0), else the real time."""

    seed: int = SEED
    orders: int = ORDERS
    span_days: int = SPAN_DAYS
    start: date | None = None
    now: datetime | None = None
    speed: float = 0.0
    tick_seconds: float = 60.0
    faults: FaultSettings = field(default_factory=FaultSettings)
    credentials: Credentials = field(default_factory=Credentials)
    webhook_secret: str = "sandbox"
    dialect: str = "myvnpost"
    #: Vary the wire format per order as the real API does (records.py); off: as documented.
    wire_variants: bool = True


class Sandbox:
    """The application behind the server: world, post, faults, dialect, control."""

    def __init__(self, config: SandboxConfig) -> None:
        today = datetime.now(UTC).astimezone(VIETNAM).date()
        start = config.start or today - timedelta(days=config.span_days)
        self.world = World(config.seed, config.orders, start, config.span_days)
        origin = datetime.combine(start, datetime.min.time(), tzinfo=VIETNAM)
        default_now = (
            origin + timedelta(days=config.span_days) if not config.speed else datetime.now(UTC)
        )
        self.clock = SimClock(config.now or default_now, config.speed, config.tick_seconds)
        self.post = Post(self.world, self.clock)
        self.faults = Faults(config.seed, config.faults)
        self.routes: Dialect
        if config.dialect == "myvnpost":
            self.routes = MyVNPostRoutes(
                self.post, self.faults, config.credentials, config.wire_variants
            )
        elif config.dialect == "ngsp":
            self.routes = NgspRoutes(self.post, self.faults, config.credentials)
        else:
            raise ValueError(f"unknown dialect {config.dialect!r} (known: myvnpost, ngsp)")
        self.signer = WebhookSigner(config.webhook_secret)
        self.wire_variants = config.wire_variants
        self.requests: Counter[str] = Counter()

    # --- Dialect requests ---------------------------------------------------------------------

    def serve(self, handler: _Handler, method: str) -> None:
        url = urlsplit(handler.path)
        query = dict(parse_qsl(url.query))
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        self.requests[f"{method} {url.path}"] += 1
        if url.path.startswith("/_sandbox/"):
            handler.send(self.control(method, url.path.removeprefix("/_sandbox/"), query, body))
            return
        if not self.routes.handles(url.path):
            handler.send(Reply(404, {"message": f"no route {url.path}"}))
            return
        operation = self.routes.operation(url.path)
        settings = self.faults.settings
        if self.faults.roll("latency"):
            time.sleep(settings.latency_seconds)
        if self.faults.roll("rate_limit"):
            retry_after = {"Retry-After": f"{settings.retry_after_seconds:g}"}
            handler.send(Reply(429, {"message": "Too Many Requests"}, retry_after))
            return
        if self.faults.roll("server_error"):
            handler.send(Reply(503, "<html><body>503 Service Unavailable</body></html>"))
            return
        if operation != self.routes.login_operation and self.faults.roll("error_in_body"):
            handler.send(Reply(200, self.routes.busy(BUSY)))
            return
        reply = self.routes.handle(method, operation, query, handler.headers, body)
        creating = operation == self.routes.create_operation
        if creating and reply.status == 200 and self.faults.roll("dropped_create"):
            handler.close_connection = True  # created, but the answer never leaves
            return
        if self.faults.roll("read_timeout"):
            time.sleep(settings.timeout_seconds)
        handler.send(reply, truncate=self.faults.roll("malformed"))

    # --- Control ------------------------------------------------------------------------------

    def control(self, method: str, name: str, query: dict[str, str], body: bytes) -> Reply:
        try:
            data: dict[str, Any] = json.loads(body) if body else {}
        except ValueError:
            return Reply(400, {"message": "the control request's body is not JSON"})
        if name == "truth" and method == "GET":
            return Reply(200, self.truth())
        if name == "clock":
            if method == "POST":
                self.clock.advance(timedelta(minutes=float(data.get("advance_minutes", 0))))
            return Reply(200, {"now": self.clock.now().isoformat(), "minute": self.post.minute()})
        if name == "faults":
            if method == "POST":
                try:
                    self.faults.update(data)
                except ValueError as exc:
                    return Reply(400, {"message": str(exc)})
            return Reply(200, self.faults.snapshot())
        if name == "stats" and method == "GET":
            return Reply(200, self.stats())
        if name == "webhook" and method == "POST":
            return Reply(200, self.push_webhooks(data))
        if name == "public-key" and method == "GET":
            return Reply(200, self.signer.public_pem(), {"Content-Type": "application/x-pem-file"})
        return Reply(404, {"message": f"no control endpoint {method} /_sandbox/{name}"})

    def truth(self) -> Iterator[bytes]:
        """``{"now", "orders": [...]}`` as chunks, so a million orders never sit in memory."""
        now = self.post.minute()
        yield f'{{"now":"{self.post.instant(now).isoformat()}","orders":['.encode()
        batch: list[str] = []
        for number, order in enumerate(self.post.all_orders(now)):
            record = records.truth_record(self.post, order, now)
            batch.append(("," if number else "") + json.dumps(record, ensure_ascii=False))
            if len(batch) >= 500:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + "]}").encode()

    def stats(self) -> dict[str, Any]:
        created: Counter[str] = Counter(o.reference for o in self.post.created_orders())
        return {
            "requests": dict(self.requests),
            "logins": self.routes.tokens.logins,
            "created": dict(created),
            "faults": self.faults.snapshot()["fired"],
        }

    def push_webhooks(self, data: dict[str, Any]) -> dict[str, Any]:
        """Send the current records of ``references`` (or of the orders updated in the last
        ``since_minutes``) to ``url``, in signed batches."""
        now = self.post.minute()
        if "references" in data:
            found = (self.post.find_by_reference(str(r)) for r in data["references"])
            orders = [o for group in found for o in group if o.created <= now]
        else:
            since = now - int(data.get("since_minutes", 60))
            orders = list(self.post.updated_between(since, now + 1, now))
        bodies = []
        for first in range(0, len(orders), BATCH):
            batch = [
                records.order_record(
                    self.post,
                    o,
                    now,
                    records.wire_of(self.world.seed, o, self.wire_variants),
                    webhook=True,
                )
                for o in orders[first : first + BATCH]
            ]
            bodies.append(self.signer.body(batch, self.post.vietnam(now), data.get("mode", "rsa")))
        return {"orders": len(orders), "statuses": deliver(str(data["url"]), bodies)}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    #: Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm
    #: and delayed ACKs add 40 ms to every answer.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        try:
            self.server.sandbox.serve(self, method)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up first (a read-timeout fault)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def send(self, reply: Reply, truncate: bool = False) -> None:
        """Write ``reply``: bytes as they are, an iterator chunked, anything else as JSON."""
        content_type = reply.headers.pop("Content-Type", "application/json; charset=utf-8")
        if isinstance(reply.body, Iterator):
            self._stream(reply.status, content_type, reply.body)
            return
        if isinstance(reply.body, bytes):
            payload = reply.body
        elif isinstance(reply.body, str):
            payload, content_type = reply.body.encode(), "text/html; charset=utf-8"
        else:
            payload = json.dumps(reply.body, ensure_ascii=False).encode()
        if truncate:
            payload = payload[: max(1, len(payload) // 2)]
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, status: int, content_type: str, chunks: Iterator[bytes]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            if chunk:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, _Handler)


@dataclass
class RunningSandbox:
    """A sandbox serving in a background thread; ``stop`` shuts it down."""

    sandbox: Sandbox
    server: SandboxHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def start_in_thread(config: SandboxConfig, host: str = HOST, port: int = 0) -> RunningSandbox:
    """Serve a new sandbox on ``host:port`` (0: a free port) from a daemon thread."""
    server = SandboxHTTPServer((host, port), Sandbox(config))
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="postal-sandbox", daemon=True
    )
    thread.start()
    return RunningSandbox(server.sandbox, server, thread)
