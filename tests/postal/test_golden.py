"""Golden files: the post's bodies from the brief's examples beside the models they must
become, both typed by hand (issue 11; ``golden/README.md`` says which example each file
comes from). Nothing here is produced by the code under test: when the mapping changes on
purpose, the expectations are edited by hand."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from postlink import defaults
from postlink.postal.errors import WebhookRejected
from postlink.postal.models import LegKind, OrderRequest, Party
from postlink.postal.myvnpost import mapping
from postlink.postal.ngsp import mapping as ngsp
from postlink.postal.signatures import HmacVerifier
from postlink.postal.statuses import read_status_table

GOLDEN = Path(__file__).parent / "golden"
TABLE = read_status_table(defaults.MYVNPOST_STATUS_FILE)


def load(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return case


def plain(value: Any) -> Any:
    """Models as JSON: dataclasses to dicts (the raw record left out), enums and times as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw" or not isinstance(getattr(value, f.name), dict | str)
        }
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def assert_holds(actual: Any, expected: Any, where: str = "") -> None:
    """``actual`` has every key ``expected`` lists, with the same value; lists match item
    by item and in length."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_holds(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{where}: {len(actual)} items, not {len(expected)}"
        for number, (got, wanted) in enumerate(zip(actual, expected, strict=True)):
            assert_holds(got, wanted, f"{where}[{number}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def read_orders(case: dict[str, Any]) -> list[Any]:
    response = case["response"]
    if case["operation"] == "GetListOrder":
        orders, bad = mapping.parse_list_response(response, TABLE, mapping.FeedType(case["feed"]))
    elif case["operation"] == "getOrder":
        orders, bad = mapping.parse_get_order_response(response, TABLE)
    else:
        orders, bad = [mapping.parse_order(mapping.created_order_record(response), TABLE)], []
    assert bad == [], f"{case['name']}: {bad}"
    return orders


ORDER_CASES = load("myvnpost_order_record.json")["cases"]


@pytest.mark.parametrize("case", ORDER_CASES, ids=[case["name"] for case in ORDER_CASES])
def test_the_briefs_order_record_in_every_envelope_and_spelling(case: dict[str, Any]) -> None:
    orders = read_orders(case)
    assert len(orders) == 1
    assert_holds(plain(orders[0]), load("myvnpost_order_record.json")["expected"], case["name"])


HISTORY = load("myvnpost_history.json")


@pytest.mark.parametrize("case", HISTORY["cases"], ids=[c["name"] for c in HISTORY["cases"]])
def test_the_briefs_history_in_every_shape(case: dict[str, Any]) -> None:
    events, bad = mapping.parse_history_response(case["response"], HISTORY["item_code"], TABLE)
    assert_holds({"events": plain(events), "quarantined": plain(bad)}, HISTORY["expected"])


def test_history_entries_come_oldest_first() -> None:
    case = HISTORY["out_of_order"]
    events, bad = mapping.parse_history_response(case["response"], HISTORY["item_code"], TABLE)
    assert_holds({"events": plain(events), "quarantined": plain(bad)}, case["expected"])


def test_what_cannot_be_understood_is_quarantined_with_its_reason() -> None:
    case = load("myvnpost_unreadable.json")
    orders, bad = mapping.parse_list_response(case["response"], TABLE, mapping.FeedType.NHAN)
    assert_holds({"orders": plain(orders), "quarantined": plain(bad)}, case["expected"])


def _signed_body(case: dict[str, Any]) -> bytes:
    """The webhook body with an HMAC computed here over the hand-typed signed string."""
    secret, text = case["secret"].encode(), case["signed_text"].encode()
    signature = base64.b64encode(hmac.new(secret, text, hashlib.sha256).digest()).decode()
    return json.dumps({**case["body"], "signature": signature}, ensure_ascii=False).encode()


def test_the_briefs_webhook_body() -> None:
    case = load("myvnpost_webhook.json")
    records, send_date, signature = mapping.read_webhook(_signed_body(case))
    signed = mapping.webhook_signed_text(send_date, records[0])
    assert signed == case["signed_text"].encode()
    HmacVerifier(case["secret"].encode()).verify(signed, signature)
    orders, bad = mapping.parse_orders(records, TABLE, "webhook")
    assert_holds({"orders": plain(orders), "quarantined": plain(bad)}, case["expected"])


def test_a_webhook_signed_for_another_status_is_rejected() -> None:
    case = load("myvnpost_webhook.json")
    body = json.loads(_signed_body(case))
    body["data"][0]["status"] = 14
    records, send_date, signature = mapping.read_webhook(json.dumps(body).encode())
    signed = mapping.webhook_signed_text(send_date, records[0])
    with pytest.raises(WebhookRejected, match="HMAC"):
        HmacVerifier(case["secret"].encode()).verify(signed, signature)


def test_the_briefs_cancel_answers() -> None:
    for case in load("myvnpost_cancel.json")["cases"]:
        result = mapping.parse_cancel_response(case["response"], case["order_id"])
        assert_holds(plain(result), case["expected"], case["order_id"])


def test_our_create_request_has_the_fields_the_brief_names() -> None:
    case = load("myvnpost_create_request.json")
    fields = dict(case["request"])
    fields.update(
        leg=LegKind(fields["leg"]),
        sender=Party(**fields["sender"]),
        receiver=Party(**fields["receiver"]),
    )
    body = mapping.create_order_request(OrderRequest(**fields), case["customer_code"])
    assert_holds(body, case["expected"])


NGSP = load("ngsp_tracking.json")


@pytest.mark.parametrize("case", NGSP["cases"], ids=[c["name"] for c in NGSP["cases"]])
def test_the_briefs_ngsp_tracking_page(case: dict[str, Any]) -> None:
    read, bad = ngsp.parse_events(ngsp.documents(case["response"]), TABLE, "tracking")
    orders, money_only = ngsp.latest_orders(read, TABLE)
    events = sorted((event for event, _ in read), key=lambda event: event.occurred_at)
    result = {"events": events, "orders": orders, "money_only": money_only, "quarantined": bad}
    assert_holds(plain(result), NGSP["expected"])


def test_a_contact_longer_than_its_column_quarantines_the_record_without_quoting_it() -> None:
    """A foreign post may send two phone numbers in one field: the record is kept aside with
    a reason that names the field but not the citizen's number (Law 91/2025/QH15), and the
    rest of the page is read."""
    phones = "0912 345 678 - 0987 654 321 - 0206 3852 000"  # 43 characters, typed by hand
    page = {
        "results": [
            {
                "orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94",
                "originalID": "MYVNP240105000123",
                "itemCode": "EL123456785VN",
                "saleOrderCode": "000.00.12.H14-240105-0007-R1",
                "status": 10,
                "receiverName": "Nguyễn Văn A",
                "receiverPhone": phones,
            },
            {
                "orderHdrID": "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                "originalID": "MYVNP240105000124",
                "itemCode": "EB123456785VN",
                "saleOrderCode": "000.00.12.H14-240105-0008-R1",
                "status": 10,
                "receiverPhone": "0912345678",
            },
        ]
    }
    orders, bad = mapping.parse_list_response(page, TABLE, mapping.FeedType.GUI)
    assert [order.reference for order in orders] == ["000.00.12.H14-240105-0008-R1"]
    [kept] = bad
    assert kept.reason.startswith("receiverPhone: dài 43 ký tự, quá 32 ký tự")
    assert "0912" not in kept.reason


def test_a_record_read_before_is_reused_only_while_it_is_the_same() -> None:
    """The overlap window's records come back on every poll (issue 15 §3): one equal to the
    record read before gives the same order without reading it again; one that differs in
    any field is read afresh; the oldest readings go first beyond the size kept."""
    record = {
        "orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94",
        "originalID": "MYVNP240105000123",
        "itemCode": "EL123456785VN",
        "saleOrderCode": "000.00.12.H14-240105-0007-R1",
        "status": 10,
        "lastUpdateTime": "05/01/2024 09:30",
        "totalFee": 25000,
    }
    before = mapping.ReadBefore(size=2)
    feed = mapping.FeedType.GUI
    first = before.read(record, TABLE, feed)
    assert before.read(dict(record), TABLE, feed) is first
    moved = before.read({**record, "status": 2, "lastUpdateTime": "05/01/2024 10:05"}, TABLE, feed)
    assert moved is not first
    assert (moved.raw_status, first.raw_status) == ("2", "10")
    assert before.read({**record, "totalFee": 27000}, TABLE, feed).total_fee == 27000
    other = {**record, "saleOrderCode": "000.00.12.H14-240105-0008-R1"}
    third = {**record, "saleOrderCode": "000.00.12.H14-240105-0009-R1"}
    kept = before.read(other, TABLE, feed)
    before.read(third, TABLE, feed)  # the first reference is now the oldest of three
    assert before.read(other, TABLE, feed) is kept
    assert before.read(record, TABLE, feed) is not first
    assert before.read(record, TABLE, mapping.FeedType.NHAN) is not first, "one per feed"


def test_a_record_the_next_pass_will_not_read_is_not_kept() -> None:
    """Only orders updated inside the next pass's window are kept (the adapter sets where
    it starts); an older one is read each time it comes, which is once per backfill."""
    record = {
        "orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94",
        "itemCode": "EL123456785VN",
        "saleOrderCode": "000.00.12.H14-240105-0007-R1",
        "status": 10,
        "lastUpdateTime": "05/01/2024 09:30",
    }
    before = mapping.ReadBefore(size=10)
    before.keep_from = datetime(2024, 1, 5, 10, 0, tzinfo=mapping.VIETNAM)
    old = before.read(record, TABLE, mapping.FeedType.GUI)
    assert before.read(record, TABLE, mapping.FeedType.GUI) is not old
    recent = {**record, "lastUpdateTime": "05/01/2024 10:00"}
    kept = before.read(recent, TABLE, mapping.FeedType.GUI)
    assert before.read(recent, TABLE, mapping.FeedType.GUI) is kept
