"""National gateway (NGSP) payloads ↔ postlink models: pure functions (postal brief §2).

The gateway's tracking feed is a RESTHeart collection of events (``_embedded["rh:doc"]``),
one document per status change, in ``_id`` order; orders are posted with PascalCase fields
and answered with ``{"Status", "Message"}``. ``OrderNumber`` carries our reference
(``<dossier>-P1``/``-R1``), so it stays stable across retries, unlike the platform the brief
describes, which added a random suffix. The brief gives no status vocabulary: the gateway is
assumed to relay VNPost's own codes, so the MyVNPost table applies. Documents are foreign
data read through ``postal/fields.py`` (issue 11): any key casing, ids and codes as text or
numbers, ``EventTime`` as epoch milliseconds, ``{"$date": …}`` or ISO 8601 text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from postlink.identifiers import (
    IdentifierError,
    find_dossier_code,
    find_procedure_code,
    parse_item_number,
)
from postlink.postal.errors import PostalAuthError, PostalProtocolError
from postlink.postal.fields import (
    ITEM_CODE_WIDTH,
    LABEL_WIDTH,
    REFERENCE_WIDTH,
    Fields,
    RecordError,
    fit,
    refuse,
)
from postlink.postal.models import (
    Event,
    Order,
    OrderRequest,
    Party,
    Quarantined,
    leg_of_reference,
)
from postlink.postal.statuses import StatusTable

NO_PARTY = Party("", "", "")
#: Statuses the gateway answers on success (``Status`` may be a number or text).
ACCEPTED = frozenset({"200", "0", "00", "OK", "SUCCESS", "TRUE"})


#: A time written without an offset is Vietnam time, as everywhere at the post (brief §1).
VIETNAM = timezone(timedelta(hours=7))


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


# --- Login and orders ---------------------------------------------------------------------------


def parse_token_response(payload: Any, client_id: str) -> tuple[str, float]:
    """The bearer token and its lifetime in seconds (OAuth2 client credentials)."""
    if isinstance(payload, dict) and payload.get("access_token"):
        try:
            lifetime = float(payload.get("expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        return str(payload["access_token"]), lifetime
    raise PostalAuthError(
        f"the national gateway gave client {client_id!r} no token; check "
        "POSTLINK_POSTAL_CLIENT_ID and POSTLINK_POSTAL_CLIENT_SECRET"
    )


def error_in_body(payload: Any) -> str | None:
    """``{"Status", "Message"}`` with a Status other than success is a refusal (§2)."""
    if isinstance(payload, dict) and str(payload.get("Status", "OK")).upper() not in ACCEPTED:
        return f"{payload['Status']}: {payload.get('Message') or 'refused'}"
    return None


def create_order_request(request: OrderRequest, customer_code: str) -> dict[str, Any]:
    return {
        "CustomerCode": customer_code,
        "OrderNumber": request.reference,
        "ProcedureCode": request.procedure_code,
        "ProcedureName": request.procedure_name,
        "SenderName": request.sender.name,
        "SenderAddress": request.sender.address,
        "SenderTel": request.sender.phone,
        "SenderProvince": request.sender.province_code,
        "SenderDistrict": request.sender.commune_code,
        "ReceiverName": request.receiver.name,
        "ReceiverAddress": request.receiver.address,
        "ReceiverTel": request.receiver.phone,
        "ReceiverProvince": request.receiver.province_code,
        "ReceiverDistrict": request.receiver.commune_code,
        "CODAmount": 0,
        "Description": f"TTHC {request.procedure_code}: {request.procedure_name}",
    }


# --- Tracking documents -------------------------------------------------------------------------


def documents(payload: Any) -> list[Any]:
    """The documents of a feed page (RESTHeart's ``_embedded["rh:doc"]``)."""
    if not isinstance(payload, dict):
        raise PostalProtocolError(f"NGSP tracking: expected an object, got {_raw(payload)[:200]}")
    embedded = payload.get("_embedded") or {}
    docs = embedded.get("rh:doc", []) if isinstance(embedded, dict) else None
    if not isinstance(docs, list):
        raise PostalProtocolError(
            f"NGSP tracking: no '_embedded.rh:doc' list in {_raw(payload)[:200]}"
        )
    return docs


def document_id(document: Any) -> str | None:
    """The ``$oid`` of a document (or its ``_id`` when that is plain text): the cursor (§2)."""
    if not isinstance(document, dict):
        return None
    value = document.get("_id")
    if isinstance(value, dict):
        value = Fields(value).get("$oid")
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value) or None
    return None


def _event_time(value: Any) -> datetime:
    """Epoch milliseconds (a number or digits), Mongo's ``{"$date": …}`` (milliseconds,
    ``{"$numberLong": "…"}`` or ISO text), or ISO 8601 text (Vietnam time without offset)."""
    if isinstance(value, dict):
        value = Fields(value).get("$date")
        if isinstance(value, dict):
            value = Fields(value).get("$numberLong")
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return datetime.fromtimestamp(int(value) / 1000, UTC)
        if isinstance(value, str):
            read = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return (read if read.tzinfo else read.replace(tzinfo=VIETNAM)).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise refuse(
        "EventTime", value, "không đọc được thời gian", "not epoch milliseconds nor ISO 8601"
    )


def parse_event(document: Any, table: StatusTable) -> Event:
    if not isinstance(document, dict):
        raise RecordError(
            f"tài liệu theo dõi không phải một đối tượng JSON "
            f"(a tracking document must be an object, not {type(document).__name__})"
        )
    fields = Fields(document)
    item = fields.identifier("ItemCode", ITEM_CODE_WIDTH).upper()
    if not item:
        raise RecordError("ItemCode: thiếu mã bưu gửi (ItemCode is missing)")
    fit("OrderNumber", fields.text("OrderNumber"), REFERENCE_WIDTH)
    raw_code = fields.code("StatusCode")
    return Event(
        item_code=item,
        raw_code=raw_code,
        raw_label=fit("StatusMessage", fields.text("StatusMessage"), LABEL_WIDTH)
        or table.label(raw_code),
        status=table.status(raw_code),
        occurred_at=_event_time(fields.get("EventTime")),
        location=fit("POSID", fields.text("POSID"), LABEL_WIDTH),
    )


def parse_events(
    docs: Iterable[Any], table: StatusTable, source: str
) -> tuple[list[tuple[Event, dict[str, Any]]], list[Quarantined]]:
    """Each readable document with its event; the others quarantined."""
    read: list[tuple[Event, dict[str, Any]]] = []
    bad: list[Quarantined] = []
    for document in docs:
        try:
            read.append((parse_event(document, table), document))
        except RecordError as exc:
            bad.append(Quarantined(source=source, reason=str(exc), raw=_raw(document)))
    return read, bad


def order_from(event: Event, document: dict[str, Any]) -> Order:
    """The order as its latest (non-money) event shows it; the feed carries no parties."""
    fields = Fields(document)
    reference = fields.text("OrderNumber")
    try:
        check_ok = parse_item_number(event.item_code).check_digit_ok
    except IdentifierError:
        check_ok = False
    note = fields.text("Notes")
    dossier = find_dossier_code(reference) or find_dossier_code(note)
    procedure = fields.text("ProcedureCode") or None
    if procedure is None:
        found = find_procedure_code(note)
        procedure = found.text if found is not None else None
    return Order(
        reference=reference or f"NGSP-{event.item_code}",
        order_id=reference or event.item_code,
        item_code=event.item_code,
        item_check_ok=check_ok,
        leg=leg_of_reference(reference),
        raw_status=event.raw_code,
        raw_label=event.raw_label,
        status=event.status,
        updated_at=event.occurred_at,
        dossier_code=dossier.text if dossier is not None else None,
        procedure_code=procedure,
        procedure_name=fields.text("ProcedureName"),
        sender=NO_PARTY,
        receiver=NO_PARTY,
        main_fee=None,
        total_fee=None,
        raw=document,
    )


def latest_orders(
    read: list[tuple[Event, dict[str, Any]]], table: StatusTable
) -> tuple[list[Order], list[str]]:
    """One order per item from a page of events: its latest state-changing event. Items
    whose only events here are money events are returned apart: their state needs a lookup."""
    latest: dict[str, tuple[Event, dict[str, Any]]] = {}
    money_only: dict[str, None] = {}
    for event, document in sorted(read, key=lambda pair: pair[0].occurred_at):
        if event.status.money:
            money_only.setdefault(event.item_code, None)
            continue
        latest[event.item_code] = (event, document)
    orders = [order_from(event, document) for event, document in latest.values()]
    return orders, [item for item in money_only if item not in latest]
