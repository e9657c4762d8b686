"""Retries, backoff and login over real HTTP against the sandbox (postal brief §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from postlink.postal.errors import PostalAuthError, PostalUnavailable
from postlink.postal.http import ExchangeRecord, HttpClient, HttpPolicy
from postlink.postal.sandbox.accounts import Credentials
from postlink.postal.sandbox.faults import FaultSettings
from tests.postal.fixtures import SandboxHandle, SteppedWaiter


def test_retry_after_is_honoured_and_the_budget_bounds_the_wait(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(faults=FaultSettings(retry_after_seconds=0.2))
    records: list[ExchangeRecord] = []
    adapter = sandbox.adapter(records.append, POSTLINK_POSTAL_RETRY_BUDGET="0.9")
    adapter.http.waiter = waiter = SteppedWaiter()
    adapter.history("EB100000005VN")  # log in while the post still answers
    sandbox.control.faults(rates={"rate_limit": 1.0})
    records.clear()
    with pytest.raises(PostalUnavailable) as failure:
        adapter.history("EB100000005VN")
    assert waiter.waits == [0.2] * 4, "Retry-After, not the backoff; a fifth would pass 0.9 s"
    assert len(records) == 5, "one try, then one after each wait"
    message = str(failure.value)
    assert message.startswith(f"bưu điện {sandbox.url.removeprefix('http://')} không sẵn sàng")
    assert (
        "bỏ cuộc sau 5 lần thử trong 0.8 s, giới hạn POSTLINK_POSTAL_RETRY_BUDGET 0.9 s" in message
    )
    assert "HTTP 429" in message
    assert "\n" not in message
    assert failure.value.code == "postal.unavailable"
    assert failure.value.params["outcome"] == "HTTP 429"


def test_server_errors_back_off_then_fail_saying_what_was_tried(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory()
    records: list[ExchangeRecord] = []
    adapter = sandbox.adapter(records.append, POSTLINK_POSTAL_RETRY_BUDGET="0.5")
    adapter.http.waiter = waiter = SteppedWaiter()
    sandbox.control.faults(rates={"server_error": 1.0})
    with pytest.raises(PostalUnavailable, match=r"HTTP 503 \(GetAccessToken: "):
        adapter.find_order("000.00.01.H14-260105-0001-R1")
    assert sum(waiter.waits) <= 0.5, "the budget bounds the waits"
    for retry, wait in enumerate(waiter.waits):
        assert 0.01 * 2**retry / 2 <= wait <= 0.01 * 2**retry, "from 10 ms, doubling, jittered"
    assert len(waiter.waits) >= 5, "exponential backoff from 10 ms fits several tries in 0.5 s"
    assert len(records) == len(waiter.waits) + 1
    assert {record.status_code for record in records} == {503}


def test_transient_failures_are_retried_transparently(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(seed=3)
    adapter = sandbox.adapter()
    sandbox.control.faults(
        rates={"server_error": 0.3, "malformed": 0.3, "error_in_body": 0.3, "rate_limit": 0.3}
    )
    truth = sandbox.control.truth()["orders"]
    for record in truth[:15]:
        events, _ = adapter.history(record["item_code"])
        assert [e.raw_code for e in events] == [e["code"] for e in record["events"]]


def test_bad_credentials_fail_after_one_login_not_a_storm(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(credentials=Credentials(password="the-right-one"))
    adapter = sandbox.adapter(POSTLINK_POSTAL_PASSWORD="a-wrong-one")
    with pytest.raises(PostalAuthError) as failure:
        adapter.find_order("000.00.01.H14-260105-0001-R1")
    assert "POSTLINK_POSTAL_PASSWORD" in str(failure.value)
    assert "sandbox" in str(failure.value), "names the user"
    assert "a-wrong-one" not in str(failure.value)
    with pytest.raises(PostalAuthError):
        adapter.find_order("000.00.01.H14-260105-0001-R1")
    assert sandbox.control.stats()["logins"] == 2, "one login per call, never retried"


def test_expired_token_means_one_new_login_and_one_replay(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory()
    adapter = sandbox.adapter()
    truth = sandbox.control.truth()["orders"]
    adapter.history(truth[0]["item_code"])
    sandbox.control.faults(rates={"expired_token": 1.0})
    for record in truth[1:4]:
        events, _ = adapter.history(record["item_code"])
        assert len(events) == len(record["events"])
    stats = sandbox.control.stats()
    assert stats["logins"] == 4, "the first login, then one per expired token"
    assert stats["faults"]["expired_token"] == 3


def test_proxy_and_ca_bundle_variables_are_read_once_and_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.caobang.gov.vn:3128")
    monkeypatch.setenv("NO_PROXY", "sandbox.local")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/caobang-ca.pem")
    policy = HttpPolicy(connect_timeout=1, read_timeout=1, retry_budget=1)
    discard: list[ExchangeRecord] = []
    proxied = HttpClient("myvnpost", "https://api.vnpost.vn", policy, discard.append)
    assert proxied.session.proxies["https"] == "http://proxy.caobang.gov.vn:3128"
    assert proxied.session.verify == "/etc/ssl/caobang-ca.pem"
    direct = HttpClient("myvnpost", "https://sandbox.local", policy, discard.append)
    assert "https" not in direct.session.proxies
    pinned = HttpClient(
        "myvnpost", "https://api.vnpost.vn", replace(policy, verify="/ca.pem"), discard.append
    )
    assert pinned.session.verify == "/ca.pem", "POSTLINK_POSTAL_CA_BUNDLE wins"
