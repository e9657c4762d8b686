"""Contract: the national-gateway client against the sandbox's NGSP dialect, clean and with
every fault on (issue 4, brief §2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from postlink.postal.errors import PostalAuthError, WebhookRejected
from postlink.postal.models import CancelOutcome, Order
from postlink.postal.ngsp.adapter import NgspAdapter
from postlink.postal.sandbox.accounts import Credentials
from tests.postal.fixtures import SandboxHandle
from tests.postal.test_contract import ALL_FAULTS, EventKey, request_for


def read_feed(adapter: NgspAdapter, cursor: str | None, orders: dict[str, Order]) -> str:
    last = cursor
    for page in adapter.changes(cursor):
        assert page.quarantined == []
        for order in sorted(page.orders, key=lambda o: o.updated_at or datetime.min):
            assert order.item_code is not None
            orders[order.item_code] = order
        last = page.cursor
    assert last is not None
    return last


def assert_matches_truth(
    sandbox: SandboxHandle, adapter: NgspAdapter, orders: dict[str, Order]
) -> None:
    truth = sandbox.control.truth()["orders"]
    assert set(orders) == {record["item_code"] for record in truth}, "missing or invented"
    events: set[EventKey] = set()
    for record in truth:
        assert orders[record["item_code"]].raw_status == record["status"], record["item_code"]
        found, bad = adapter.history(record["item_code"])
        assert bad == []
        events |= {(e.item_code, e.raw_code, e.occurred_at) for e in found}
    expected = {
        (r["item_code"], e["code"], datetime.fromisoformat(e["at"]))
        for r in truth
        for e in r["events"]
    }
    assert events == expected


def exercise(sandbox: SandboxHandle) -> None:
    adapter = sandbox.ngsp_adapter()
    created = [adapter.create_order(request_for(n)) for n in range(1, 7)]
    assert [o.reference for o in created] == [request_for(n).reference for n in range(1, 7)]
    orders: dict[str, Order] = {}
    cursor = read_feed(adapter, None, orders)
    assert_matches_truth(sandbox, adapter, orders)
    sandbox.control.advance(days=2, hours=5)
    read_feed(adapter, cursor, orders)
    assert_matches_truth(sandbox, adapter, orders)
    assert sandbox.control.stats()["created"] == {request_for(n).reference: 1 for n in range(1, 7)}


def test_clean_run_reads_exactly_the_truth(sandbox_factory: Callable[..., SandboxHandle]) -> None:
    exercise(sandbox_factory(dialect="ngsp", orders=120))


def test_every_fault_on_still_reads_exactly_the_truth(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(dialect="ngsp", orders=120, seed=11)
    sandbox.control.faults(rates=ALL_FAULTS)
    exercise(sandbox)
    fired = sandbox.control.stats()["faults"]
    assert set(fired) == set(ALL_FAULTS), f"faults never fired: {set(ALL_FAULTS) - set(fired)}"


def test_bad_client_secret_fails_after_one_token_request(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(dialect="ngsp", credentials=Credentials(client_secret="right"))
    adapter = sandbox.ngsp_adapter(POSTLINK_POSTAL_CLIENT_SECRET="wrong")
    with pytest.raises(PostalAuthError, match="từ chối đăng nhập"):
        adapter.find_order(request_for(1).reference)
    assert sandbox.control.stats()["logins"] == 1


def test_no_cancellation_and_no_webhooks_are_said_plainly(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    adapter = sandbox_factory(dialect="ngsp").ngsp_adapter()
    result = adapter.cancel(request_for(1).reference)
    assert result.outcome is CancelOutcome.REFUSED
    assert "no cancellation" in result.message
    with pytest.raises(WebhookRejected, match="không gửi webhook"):
        adapter.parse_webhook({}, b"{}")
