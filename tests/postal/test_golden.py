"""Golden files: recorded-style MyVNPost payloads, quirks included, beside the models they must
become (the Karrio practice: request, payload, response and parsed result side by side).

Each ``golden/*.json`` holds the input and its ``expected`` output. After a deliberate
change of the mapping, ``python -m tests.postal.test_golden`` rewrites the expectations;
review the diff before committing it.
"""

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
WEBHOOK_SECRET = b"golden-secret"


def plain(value: Any) -> Any:
    """Models as JSON: dataclasses to dicts (the raw record left out), enums and times as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not isinstance(getattr(value, f.name), dict) or f.name != "raw"
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


def parse(case: dict[str, Any]) -> Any:
    """What the mapping makes of one golden case's input."""
    table = read_status_table(defaults.MYVNPOST_STATUS_FILE)
    operation = case["operation"]
    if operation == "getOrder":
        return mapping.parse_get_order_response(case["response"], table)
    if operation == "GetListOrder":
        feed = mapping.FeedType(case["feed"])
        return mapping.parse_list_response(case["response"], table, feed)
    if operation == "CreateOrder":
        return mapping.parse_order(mapping.created_order_record(case["response"]), table)
    if operation == "GetStatusHistoryOrder":
        return mapping.parse_history_response(case["response"], case["item_code"], table)
    if operation == "orderCancel":
        return [mapping.parse_cancel_response(c["response"], c["order_id"]) for c in case["cases"]]
    if operation == "CreateOrder request":
        fields = dict(case["request"])
        fields.update(
            leg=LegKind(fields["leg"]),
            sender=Party(**fields["sender"]),
            receiver=Party(**fields["receiver"]),
        )
        return mapping.create_order_request(OrderRequest(**fields), case["customer_code"])
    if operation == "NGSP tracking":
        read, bad = ngsp.parse_events(ngsp.documents(case["response"]), table, "tracking")
        orders, money_only = ngsp.latest_orders(read, table)
        events = sorted((event for event, _ in read), key=lambda event: event.occurred_at)
        return {"orders": orders, "events": events, "money_only": money_only, "quarantined": bad}
    if operation == "webhook":
        body = json.dumps(case["body"]).encode()
        records, send_date, signature = mapping.read_webhook(body)
        signed = mapping.webhook_signed_text(send_date, records[0])
        HmacVerifier(WEBHOOK_SECRET).verify(signed, signature)
        return mapping.parse_orders(records, table, "webhook")
    raise AssertionError(f"no parser for golden operation {operation!r}")


def shaped(result: Any) -> Any:
    if isinstance(result, tuple) and len(result) == 2:
        first = "events" if result[0] and type(result[0][0]).__name__ == "Event" else "orders"
        return {first: plain(result[0]), "quarantined": plain(result[1])}
    return plain(result)


CASES = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_golden(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert shaped(parse(case)) == case["expected"]


def test_webhook_with_a_wrong_signature_is_rejected() -> None:
    case = json.loads((GOLDEN / "myvnpost_webhook.json").read_text(encoding="utf-8"))
    case["body"]["data"][0]["status"] = 19
    with pytest.raises(WebhookRejected, match="HMAC"):
        parse(case)


def _regenerate() -> None:
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["operation"] == "webhook":
            first = case["body"]["data"][0]
            signed = mapping.webhook_signed_text(case["body"]["sendDate"], first)
            digest = hmac.new(WEBHOOK_SECRET, signed, hashlib.sha256).digest()
            case["body"]["signature"] = base64.b64encode(digest).decode()
        case["expected"] = shaped(parse(case))
        text = json.dumps(case, ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    _regenerate()
