"""Contract: the real MyVNPost client over real HTTP against the sandbox, clean and with every
fault on, reads exactly what the post holds (issue 4, "Done when")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests

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
    assert {request_for(n).reference for n in range(1, 9)} <= set(created_counts)
    assert set(created_counts.values()) == {1}, "an order was created twice"


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


GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def wire_shapes(sandbox: SandboxHandle) -> Counter[str]:
    """What the sandbox's answers look like on the wire, read with plain HTTP: which key
    spellings, which number forms, which body shapes (brief §1)."""
    session = requests.Session()
    base = f"{sandbox.url}/customer-partner"
    login = {"username": "sandbox", "password": "sandbox", "customerCode": "SANDBOX"}
    session.headers["token"] = session.post(f"{base}/GetAccessToken", json=login).json()["token"]
    seen: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    for feed in ("GUI", "NHAN"):
        params = {"lastUpdateFrom": "01-01-2026", "lastUpdateTo": "31-12-2026", "type": feed}
        page = session.get(f"{base}/GetListOrder", params={**params, "size": 500, "page": 0})
        records.extend(page.json()["results"])
    for record in records:
        seen.update(
            key for key in record if key in {"orderHdrID", "orderHdrId", "vasFee", "vasfee"}
        )
        seen[f"weight {type(record['weight']).__name__}"] += 1
        seen[f"status {type(record['status']).__name__}"] += 1
        fee = record["mainFee"]
        seen[
            "fee "
            + (
                "number"
                if isinstance(fee, int)
                else ","
                if "," in fee
                else "."
                if "." in fee
                else "text"
            )
        ] += 1
    for record in records[:40]:
        body = session.get(
            f"{base}/GetStatusHistoryOrder", params={"type": 1, "code": record["itemCode"]}
        ).json()
        data = body["data"]
        seen["history list" if isinstance(data, list) else "history object"] += 1
        block = data[0] if isinstance(data, list) else data
        seen.update(f"history key {key!r}" for key in block if key.startswith("statusHistory"))
        entries = next(value for key, value in block.items() if key.startswith("statusHistory"))
        seen.update(f"hour key {key}" for entry in entries[:1] for key in entry if "Hour" in key)
    for number in range(30, 42):
        order = {**mapping_request(request_for(number))}
        answer = session.post(f"{base}/CreateOrder", json=order).json()
        seen["create wrapped" if "data" in answer else "create bare"] += 1
    session.close()
    return seen


def mapping_request(request: OrderRequest) -> dict[str, Any]:
    """A CreateOrder body typed from the brief's field list (§1), not by the client."""
    return {
        "orderCreationStatus": 1,
        "type": "GUI",
        "customerCode": "SANDBOX",
        "contractCode": None,
        "informationOrder": {
            "saleOrderCode": request.reference,
            "contentNote": f"TTHC {request.procedure_code}: {request.procedure_name}",
            "senderName": request.sender.name,
            "receiverName": request.receiver.name,
            "weight": "200",
        },
    }


def test_guid_ids_and_every_wire_variant_are_read_completely(
    sandbox_server: SandboxHandle,
) -> None:
    """Issue 11: by default the sandbox writes GUID order ids, ``MYVNP…`` original ids and
    every wire variant of brief §1; the client reads every order and every event the truth
    holds and quarantines nothing (``exercise`` asserts both)."""
    truth = sandbox_server.control.truth()["orders"]
    assert all(GUID.fullmatch(order["order_hdr_id"]) for order in truth)
    assert all(re.fullmatch(r"MYVNP[0-9]{12}", order["original_id"]) for order in truth)
    seen = wire_shapes(sandbox_server)
    for shape in (
        "orderHdrID",
        "orderHdrId",
        "vasFee",
        "vasfee",
        "weight int",
        "weight str",
        "status int",
        "status str",
        "fee number",
        "fee ,",
        "fee .",
        "fee text",
        "history list",
        "history object",
        "history key 'statusHistory '",
        "history key 'statusHistory'",
        "hour key createHour",
        "hour key createdHour",
        "create wrapped",
        "create bare",
    ):
        assert seen[shape] > 0, f"the sandbox never wrote {shape!r}: {dict(seen)}"
    exercise(sandbox_server)


def test_without_variants_the_sandbox_writes_the_documented_shape(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    """``wire_variants=False`` (``postlink sandbox --documented-wire``): brief §1 as written."""
    sandbox = sandbox_factory(wire_variants=False)
    seen = wire_shapes(sandbox)
    documented = {"orderHdrID", "vasFee", "weight str", "status int", "fee number"}
    documented |= {"history object", "history key 'statusHistory'", "hour key createdHour"}
    assert set(seen) == documented | {"create bare"}
    exercise(sandbox)
