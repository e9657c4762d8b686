"""Contract: the real MyVNPost client over real HTTP against the sandbox, clean and with every
fault on, reads exactly what the post holds (issue 4, "Done when")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from postlink.postal.models import LegKind, Order, OrderRequest, Party, reference_for
from postlink.postal.myvnpost.adapter import MyVNPostAdapter
from postlink.postal.sandbox.faults import KINDS
from tests.postal.fixtures import SandboxHandle

#: Every fault the sandbox knows. Faults rolled on every request have rates that fire each a
#: few times in a small world; those with few chances to fire (one per feed page after the
#: first, one per creation) always fire, so the test never depends on luck.
ALL_FAULTS = dict.fromkeys(KINDS, 0.05) | {
    "latency": 0.1,
    "server_error": 0.08,
    "rate_limit": 0.08,
    "read_timeout": 0.02,
    "duplicates": 1.0,
    "out_of_order": 0.5,
    "quirks": 0.5,
    "dropped_create": 1.0,
}

EventKey = tuple[str, str, datetime]


def read_feed(adapter: MyVNPostAdapter, cursor: str | None, orders: dict[str, Order]) -> str:
    """Apply one pass of the feed to ``orders`` (keyed by the post's id); the last cursor."""
    last = cursor
    for page in adapter.changes(cursor):
        assert page.quarantined == []
        for order in page.orders:
            orders[order.order_id] = order
        last = page.cursor
    assert last is not None
    return last


def read_events(adapter: MyVNPostAdapter, orders: dict[str, Order]) -> set[EventKey]:
    events: set[EventKey] = set()
    for order in orders.values():
        assert order.item_code is not None
        found, bad = adapter.history(order.item_code)
        assert bad == []
        keys = [(e.item_code, e.raw_code, e.occurred_at) for e in found]
        assert len(keys) == len(set(keys)), f"an event of {order.item_code} came twice"
        assert keys == sorted(keys, key=lambda key: key[2])
        events.update(keys)
    return events


def truth_of(sandbox: SandboxHandle) -> tuple[dict[str, dict[str, Any]], set[EventKey]]:
    truth = sandbox.control.truth()
    orders = {record["order_id"]: record for record in truth["orders"]}
    events = {
        (record["item_code"], event["code"], datetime.fromisoformat(event["at"]))
        for record in truth["orders"]
        for event in record["events"]
    }
    return orders, events


def assert_matches_truth(
    sandbox: SandboxHandle, orders: dict[str, Order], events: set[EventKey]
) -> None:
    truth_orders, truth_events = truth_of(sandbox)
    assert set(orders) == set(truth_orders), "orders missing or invented"
    for order_id, record in truth_orders.items():
        assert orders[order_id].raw_status == record["status"], order_id
        assert orders[order_id].item_code == record["item_code"]
    assert events == truth_events, "events missing or invented"


def request_for(number: int) -> OrderRequest:
    dossier = f"000.00.12.H14-260119-{number:04d}"
    citizen = Party("Bế Thị Lan", "0912000111", "Tổ 3, xã Hòa An, tỉnh Cao Bằng", "04", "01654")
    office = Party("Trung tâm PVHCC", "02063852000", "phường Thục Phán", "04", "01273")
    return OrderRequest(
        reference=reference_for(dossier, LegKind.RETURN),
        leg=LegKind.RETURN,
        dossier_code=dossier,
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        sender=office,
        receiver=citizen,
    )


def exercise(sandbox: SandboxHandle) -> None:
    """Create orders, read the feed and histories, move time, read again: compare each time."""
    adapter = sandbox.adapter()
    created = [adapter.create_order(request_for(n)) for n in range(1, 9)]
    assert [order.reference for order in created] == [request_for(n).reference for n in range(1, 9)]
    assert all(order.leg is LegKind.RETURN for order in created)

    orders: dict[str, Order] = {}
    cursor = read_feed(adapter, None, orders)
    assert_matches_truth(sandbox, orders, read_events(adapter, orders))

    sandbox.control.advance(days=2, hours=5)
    cursor = read_feed(adapter, cursor, orders)
    assert_matches_truth(sandbox, orders, read_events(adapter, orders))

    created_counts = sandbox.control.stats()["created"]
    assert created_counts == {request_for(n).reference: 1 for n in range(1, 9)}


def test_clean_run_reads_exactly_the_truth(sandbox_server: SandboxHandle) -> None:
    exercise(sandbox_server)
    assert sandbox_server.control.stats()["faults"] == {}


def test_every_fault_on_still_reads_exactly_the_truth(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory(seed=7)
    sandbox.control.faults(rates=ALL_FAULTS)
    exercise(sandbox)
    fired = sandbox.control.stats()["faults"]
    assert set(fired) == set(ALL_FAULTS), f"faults never fired: {set(ALL_FAULTS) - set(fired)}"


@pytest.mark.parametrize(
    ("fault", "rate"),
    [("dropped_create", 0.6), ("read_timeout", 0.3), ("malformed", 0.4), ("server_error", 0.3)],
)
def test_one_order_per_reference_when_creation_answers_are_lost(
    sandbox_factory: Callable[..., SandboxHandle], fault: str, rate: float
) -> None:
    sandbox = sandbox_factory()
    sandbox.control.faults(rates={fault: rate})
    adapter = sandbox.adapter()
    for number in range(1, 7):
        adapter.create_order(request_for(number))
    assert sandbox.control.stats()["created"] == {request_for(n).reference: 1 for n in range(1, 7)}
    assert sandbox.control.stats()["faults"].get(fault, 0) > 0


def test_world_has_what_the_sync_must_cope_with(sandbox_server: SandboxHandle) -> None:
    """Both legs, excluded, unknown and missing procedure codes, bad check digits."""
    adapter = sandbox_server.adapter()
    orders: dict[str, Order] = {}
    read_feed(adapter, None, orders)
    values = list(orders.values())
    assert {o.leg for o in values} == {LegKind.PICKUP, LegKind.RETURN}
    codes = {o.procedure_code for o in values}
    assert {"1.000894", "2.000884"} & codes
    assert None in codes
    assert any(o.item_check_ok is False for o in values)
    assert any(o.dossier_code is None for o in values)
    assert any(o.reference.startswith("MYVNPOST-") for o in values)
    statuses = {o.status.value for o in values}
    assert {"delivered", "cancelled", "returned"} <= statuses
