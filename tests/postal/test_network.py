"""A network failure reaches the user as one line: host, what happened, what to check
(issue 16 §4), from the real HTTP layer against a closed port, an unresolvable name, a
plain-HTTP server spoken to in TLS and a post that stalls."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable

import pytest

from postlink.legs.apply import fetch_histories
from postlink.postal.errors import PostalStopped, PostalUnavailable
from postlink.settings import get_settings
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle, SteppedWaiter
from tests.sync.daemons import free_port


def _failure(sandbox: SandboxHandle, base_url: str) -> PostalUnavailable:
    adapter = sandbox.adapter(POSTLINK_POSTAL_BASE_URL=base_url, POSTLINK_POSTAL_RETRY_BUDGET="0.3")
    with pytest.raises(PostalUnavailable) as failure:
        adapter.history("EB100000005VN")
    adapter.close()
    return failure.value


@pytest.mark.parametrize(
    ("where", "said", "check"),
    [
        ("closed", "máy chủ từ chối kết nối", "POSTLINK_POSTAL_BASE_URL (máy, cổng)"),
        ("dns", "không phân giải được tên máy (DNS)", "tên máy trong POSTLINK_POSTAL_BASE_URL"),
        ("tls", "bắt tay TLS thất bại", "POSTLINK_POSTAL_CA_BUNDLE"),
    ],
)
def test_a_network_failure_is_one_line_naming_host_cause_and_setting(
    sandbox_server: SandboxHandle,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    said: str,
    check: str,
) -> None:
    port = sandbox_server.url.rsplit(":", 1)[1]
    base = {
        "closed": f"http://127.0.0.1:{free_port()}",
        "dns": "http://buu-dien.example.invalid",
        "tls": f"https://127.0.0.1:{port}",
    }[where]
    failure = _failure(sandbox_server, base)
    message = str(failure)
    host = base.split("://", 1)[1]
    assert message.startswith(f"không gọi được bưu điện tại {host}: {said}")
    assert f"kiểm tra {check}" in message
    assert "\n" not in message
    assert "HTTPConnectionPool" not in message
    assert "Max retries" not in message
    assert message.count(host) == 1, "the host once, not urllib3's four times"
    assert failure.code == "postal.network.line_tried"  # typed, worded when shown (issue 14)
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    english = str(failure)
    assert english.startswith(f"cannot reach the post at {host}: ")
    assert "gave up after" in english
    assert "ô" not in english


def test_a_stalled_post_names_the_read_timeout(sandbox_server: SandboxHandle) -> None:
    adapter = sandbox_server.adapter(POSTLINK_POSTAL_RETRY_BUDGET="0.5")
    # The budget counts the waits alone: the first call, meant to succeed, may then outlast
    # the 0.5 s read timeout on a loaded machine and still be retried (issue 15 §5).
    adapter.http.waiter = SteppedWaiter()
    adapter.history("EB100000005VN")
    sandbox_server.control.faults(rates={"read_timeout": 1.0})
    with pytest.raises(PostalUnavailable, match=r"bưu điện không trả lời trong 0\.5 s") as failure:
        adapter.history("EB100000005VN")
    assert "POSTLINK_POSTAL_READ_TIMEOUT" in str(failure.value)


def test_postal_check_and_sync_once_print_the_one_line(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("db", "upgrade").code == 0
    port = free_port()
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("POSTLINK_POSTAL_RETRY_BUDGET", "0.2")
    for command in (["postal", "check"], ["sync", "--once"]):
        result = cli(*command)
        assert result.code == 1, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        failures = [line for line in lines if f"127.0.0.1:{port}" in line]
        assert failures, result.stderr
        assert all("máy chủ từ chối kết nối" in line for line in failures)
        assert all("Max retries" not in line for line in lines)


class StopFlag(threading.Event):
    """The worker's stop flag; ``waiting`` is set once the adapter waits on it, which it does
    only in a retry backoff."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting.set()
        return super().wait(timeout)


def _history_calls(sandbox: SandboxHandle) -> int:
    requests = sandbox.control.stats()["requests"]
    return sum(n for call, n in requests.items() if "/_sandbox/" not in call)


def test_a_stopping_worker_ends_the_retries_at_once(sandbox_server: SandboxHandle) -> None:
    """Issue 11 §4: SIGTERM must not sit out the retry budget, nor the backoff it lands in.

    The stop is raised once the adapter is provably backing off (it waits on the flag), not
    after a guessed delay that a loaded machine may overrun (issue 15 §5). That backoff is
    30 to 60 s long, so a stop that did not cut it short could not pass the 20 s bound."""
    adapter = sandbox_server.adapter(POSTLINK_POSTAL_RETRY_BUDGET="600")
    adapter.http.policy = dataclasses.replace(
        adapter.http.policy, backoff_base=60.0, backoff_max=60.0
    )
    stop = StopFlag()
    adapter.http.waiter.stop = stop
    adapter.history("EB100000005VN")
    sandbox_server.control.faults(rates={"server_error": 1.0})
    calls_before = _history_calls(sandbox_server)
    raised: list[BaseException] = []

    def call() -> None:
        try:
            adapter.history("EB100000005VN")
        except BaseException as exc:  # handed to the test's thread
            raised.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert stop.waiting.wait(timeout=60), "the failing call never backed off"
    stopped = time.monotonic()
    stop.set()
    caller.join(timeout=60)
    assert not caller.is_alive()
    assert time.monotonic() - stopped < 20, "the stop did not cut the backoff short"
    assert len(raised) == 1
    assert isinstance(raised[0], PostalStopped)
    assert _history_calls(sandbox_server) - calls_before == 1, "no call after the stop"


def test_parallel_fetchers_log_in_once_per_expired_token(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    """Issue 16 §3: four history fetchers (the sync's pool), tokens lapsing under them:
    exactly one login per lapse (the sandbox counts both), never one per refused call."""
    sandbox = sandbox_factory(orders=400)
    adapter = sandbox.adapter()
    truth = [o for o in sandbox.control.truth()["orders"] if o["reference"] and o["item_code"]]
    first = adapter.find_order(truth[0]["reference"])
    assert first is not None
    orders = [dataclasses.replace(first, item_code=o["item_code"]) for o in truth]
    sandbox.control.faults(rates={"expired_token": 0.05})
    logins_before = sandbox.control.stats()["logins"]
    for _ in range(2):
        histories, _ = fetch_histories(adapter, orders)
        assert len(histories) == len({o.item_code for o in orders})
    stats = sandbox.control.stats()
    expired = stats["faults"]["expired_token"]
    assert expired >= 5, json.dumps(stats["faults"])
    assert stats["logins"] - logins_before == expired, "one login per lapsed token"
