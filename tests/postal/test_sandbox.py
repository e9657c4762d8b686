"""The sandbox itself: a deterministic world, realistic timelines, a million orders in little
memory, control endpoints, and the ``postlink sandbox`` command."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests

from postlink.postal.models import LegKind
from postlink.postal.myvnpost.mapping import VIETNAM
from postlink.postal.sandbox.clock import SimClock
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.terms import s10_check_digit
from postlink.postal.sandbox.timelines import MAX_MINUTES, MINUTES_PER_DAY
from postlink.postal.sandbox.world import World
from tests.postal.fixtures import WORLD_START, SandboxHandle
from tests.postal.test_contract import request_for


def test_same_seed_same_world_other_seed_other_world(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    first = sandbox_factory(seed=5).control.truth()
    again = sandbox_factory(seed=5).control.truth()
    other = sandbox_factory(seed=6).control.truth()
    assert first == again
    assert first["orders"] != other["orders"]


def test_timelines_are_ordered_bounded_and_invite_twice_two_working_days_apart() -> None:
    world = World(seed=1, size=3000, start=WORLD_START, span_days=30)
    returned_after_two_invitations = 0
    for index in range(world.size):
        events = world.skeleton(index).events
        minutes = [minute for minute, _ in events]
        assert minutes == sorted(set(minutes))
        assert minutes[-1] - minutes[0] <= MAX_MINUTES
        codes = [code for _, code in events]
        if codes.count(15) == 2 and codes[-1] in (19, 20):
            returned_after_two_invitations += 1
            first, second = (m for m, code in events if code == 15)
            retry = next(m for m, code in events if code == 12 and m > first)
            days = [world.day_of(first) + timedelta(days=d) for d in range(1, 8)]
            working = [d for d in days if d.weekday() < 5 and d <= world.day_of(retry)]
            assert len(working) == 2, "the second invitation comes two working days later"
            assert second > retry
    assert returned_after_two_invitations > 20


def test_a_million_orders_cost_little_memory_and_answer_fast() -> None:
    """A window maps to a range of indices: the first day's feed scans one day of orders,
    not the world; lookups by reference and item number are arithmetic."""
    grown_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    world = World(seed=1, size=1_000_000, start=date(2026, 1, 1), span_days=60)
    origin = datetime(2026, 1, 1, tzinfo=VIETNAM)
    post = Post(world, SimClock(origin + timedelta(days=60)))
    page = post.page("NHAN", 0, MINUTES_PER_DAY, page=1, size=50)
    last = world.order(world.size - 1)
    assert post.find_by_reference(last.reference) == ([last] if last.reference else [])
    assert post.find_by_item(last.item_code) == last
    assert time.monotonic() - started < 15
    assert len(page) == 50
    assert all(world.day_of(post.state(order, post.minute())[1]) == world.start for order in page)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - grown_before
    assert grown < 50 * 1024, f"the process grew by {grown / 1024:.0f} MB"


def test_clock_moves_the_world_forward(sandbox_server: SandboxHandle) -> None:
    before = sandbox_server.control.truth()
    moved = sandbox_server.control.advance(days=3)
    assert moved == datetime.fromisoformat(before["now"]) + timedelta(days=3)
    after = sandbox_server.control.truth()
    count = lambda truth: sum(len(o["events"]) for o in truth["orders"])  # noqa: E731
    assert count(after) > count(before)


def test_fault_control_refuses_unknown_faults_and_rates(sandbox_server: SandboxHandle) -> None:
    for body in ({"rates": {"gremlins": 0.5}}, {"rates": {"latency": 2}}, {"profile": "evil"}):
        response = requests.post(f"{sandbox_server.url}/_sandbox/faults", json=body, timeout=5)
        assert response.status_code == 400
    assert sandbox_server.control.faults(profile="hostile")["rates"]["dropped_create"] == 0.3


def test_orders_created_through_the_api_move_along(sandbox_server: SandboxHandle) -> None:
    adapter = sandbox_server.adapter()
    order = adapter.create_order(request_for(1))
    assert order.status.value == "created"
    assert order.leg is LegKind.RETURN
    sandbox_server.control.advance(days=20)
    moved = adapter.find_order(order.reference)
    assert moved is not None
    assert moved.status.terminal


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_postlink_sandbox_command_serves_until_stopped(tmp_path: Path) -> None:
    port = _free_port()
    key = tmp_path / "key.pem"
    script = Path(sys.executable).parent / "postlink"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    command = [str(script), "sandbox", "--port", str(port), "--orders", "50", "--frozen"]
    process = subprocess.Popen(
        [*command, "--faults", "flaky", "--public-key-out", str(key)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/customer-partner/GetAccessToken"
        body = {"username": "sandbox", "password": "sandbox", "customerCode": "SANDBOX"}
        for _ in range(100):
            try:
                answer = requests.post(url, json=body, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("the sandbox did not start")
        assert answer.status_code in (200, 429, 503)
        assert key.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("serial", "check"),
    [("12345678", 5), ("00417233", 2), ("38801245", 0), ("99999999", 5)],
)
def test_the_sandbox_s10_check_digit_agrees_with_the_domain_brief(serial: str, check: int) -> None:
    """Its own check digit (weights 8,6,4,2,3,5,9,7; 11 − S mod 11; 10→0, 11→5), on the
    brief's valid examples EB123456785VN, RR004172332VN, CP388012450VN, EB999999995VN."""
    assert s10_check_digit(serial) == check
