"""Outages and stops (issue 11 §4): the outbox push stops its batch at the first "post
unavailable", and SIGTERM during an outage ends a real ``postlink worker`` within 10 s with
nothing lost, nothing half-written and nothing sent twice afterwards."""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink.db import session_scope
from postlink.models import JobRun, OutboxCommand, OutboxState
from postlink.postal.errors import PostalUnavailable
from postlink.settings import get_settings
from postlink.sync.outbox import push, register
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle, SteppedWaiter
from tests.sync.conftest import MakeContext
from tests.sync.daemons import Daemons, wait_for, write_registrations
from tests.sync.test_outbox import commands, result

#: Issue 11 §4: SIGTERM during an outage ends the worker within this many seconds.
STOP_LIMIT = 10.0
QUEUED = 200


def test_push_stops_its_batch_at_the_first_unavailable_post(
    engine: Engine, sandbox_factory: Callable[..., SandboxHandle], make_context: MakeContext
) -> None:
    sandbox = sandbox_factory()
    ctx = make_context(sandbox)
    http = ctx.adapter.http  # type: ignore[attr-defined]
    http.policy = dataclasses.replace(http.policy, retry_budget=0.5)
    http.waiter = waiter = SteppedWaiter()  # the budget counts its waits, not a slow machine
    with session_scope(engine) as session:
        registered = [
            register(session, ctx, get_settings(), result(n), actor="t") for n in range(1, 31)
        ]
    # One attempt allowed: an outage must still never turn a command "failed".
    settings = get_settings().model_copy(update={"outbox_backoff": 0.0, "outbox_max_attempts": 1})
    ctx.adapter.find_order(registered[0].reference)  # logged in while the post answers
    sandbox.control.faults(rates={"server_error": 1.0})
    counts: Counter[str] = Counter()
    with pytest.raises(PostalUnavailable, match="không sẵn sàng"):
        push(ctx, settings, counts)
    assert sum(waiter.waits) <= 0.5, "one probe within the retry budget, not 30"
    assert counts["left_for_next_run"] == 29
    tried = [c for c in commands(engine) if c.attempts]
    assert [c.reference for c in tried] == [registered[0].reference]
    assert tried[0].state == OutboxState.PENDING
    assert "HTTP 503" in tried[0].last_error

    sandbox.control.faults(rates={})
    push(ctx, settings, Counter())
    assert {c.state for c in commands(engine)} == {OutboxState.SENT}
    assert sandbox.control.stats()["created"] == {c.reference: 1 for c in registered}


def test_push_stops_between_commands_when_the_worker_stops(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    with session_scope(engine) as session:
        for n in range(1, 4):
            register(session, ctx, get_settings(), result(n), actor="t")
    stop = threading.Event()
    sent: list[str] = []
    original = ctx.adapter.create_order

    def create_then_stop(request):  # type: ignore[no-untyped-def]
        order = original(request)
        sent.append(request.reference)
        stop.set()  # SIGTERM arrives while the first command is being sent
        return order

    ctx.adapter.create_order = create_then_stop  # type: ignore[method-assign]
    counts: Counter[str] = Counter()
    push(ctx, get_settings(), counts, stop=stop)
    assert counts["stopped"] == 1
    states = [c.state for c in commands(engine)]
    assert states == [OutboxState.SENT, OutboxState.PENDING, OutboxState.PENDING]
    assert [c.attempts for c in commands(engine)] == [1, 0, 0]


def _queue(cli: Callable[..., CliResult], folder: Path) -> set[str]:
    rows = (
        [
            *("return", f"000.00.21.H14-261130-{n:04d}", "1.001193", "Đăng ký khai sinh"),
            *("Bế Thị Lan", "0912000111", f"Tổ {n} xã Hòa An", "01654"),
        ]
        for n in range(1, QUEUED + 1)
    )
    answer = cli("outbox", "import", str(write_registrations(folder, rows)), "--json")
    assert answer.code == 0, answer.stderr
    return {command["reference"] for command in json.loads(answer.stdout)}


def _in_the_outage(engine: Engine, faults: Callable[[], dict[str, int]]) -> bool:
    """The push has run into the outage: a run started and the post refused calls."""
    with Session(engine) as session:
        pushes = session.exec(
            select(func.count()).select_from(JobRun).where(JobRun.job == "push")
        ).one()
    return pushes > 0 and sum(faults().values()) >= 5


def test_sigterm_during_an_outage_ends_the_worker_within_ten_seconds(
    engine: Engine,
    daemons: Daemons,
    published_list: int,
    cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = daemons.sandbox(orders=300, days=10)
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox.url)
    get_settings.cache_clear()
    references = _queue(cli, tmp_path)
    # The post is down: 503s, 429s asking for 5 s, and answers that stall for 3 s. The
    # worker keeps the production timeouts and retry budget (30 s, 60 s).
    sandbox.control.faults(
        rates={"server_error": 0.5, "rate_limit": 0.2, "read_timeout": 0.3},
        retry_after_seconds=5,
        timeout_seconds=3,
    )
    env = daemons.environment(
        sandbox.url,
        POSTLINK_POSTAL_READ_TIMEOUT="30",
        POSTLINK_POSTAL_RETRY_BUDGET="60",
        POSTLINK_PUSH_INTERVAL="1",
        POSTLINK_PULL_INTERVAL="1",
    )
    worker = daemons.worker(env, "outage")

    def fired() -> dict[str, int]:
        return dict(sandbox.control.faults()["fired"])

    began = time.monotonic()
    wait_for(lambda: _in_the_outage(engine, fired), 60, "the push in the outage", worker)
    print(f"outage reached after {time.monotonic() - began:.1f} s", file=sys.__stderr__)
    # Stop it once it sits in a retry wait (it logs each one as it starts it), rather than
    # after a guessed second that a loaded machine may spend elsewhere.
    wait_for(lambda: "wait_seconds=" in worker.log_tail(200), 60, "a retry wait", worker)
    stopping = time.monotonic()
    worker.stop()
    stop_seconds = time.monotonic() - stopping
    print(  # the figure issue 11 asks for, past the CLI fixture's capture
        f"worker stop time under outage: {stop_seconds:.2f} s (limit {STOP_LIMIT:g} s)",
        file=sys.__stderr__,
    )
    assert stop_seconds < STOP_LIMIT, worker.log_tail()

    with Session(engine) as session:
        queued = session.exec(select(OutboxCommand)).all()
        unfinished = session.exec(
            select(func.count()).select_from(JobRun).where(col(JobRun.finished_at).is_(None))
        ).one()
    assert {c.reference for c in queued} == references, "nothing lost"
    assert {c.state for c in queued} <= {OutboxState.PENDING, OutboxState.SENT}
    assert unfinished == 0, "every run it started is recorded as ended"

    sandbox.control.faults(rates={})
    print(f"checked after stop: {time.monotonic() - stopping:.1f} s", file=sys.__stderr__)
    for _ in range(3):
        answer = cli("sync", "--once")
        assert answer.code == 0, answer.stderr
    assert {c.state for c in commands(engine)} == {OutboxState.SENT}
    assert Counter(sandbox.control.stats()["created"]) == Counter(dict.fromkeys(references, 1))
