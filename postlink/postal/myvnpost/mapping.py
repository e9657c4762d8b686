"""MyVNPost payloads ↔ postlink models: pure functions, no IO (postal brief §1, §1b, §3).

Every function takes a decoded JSON body and returns models, quarantining what it cannot
read so that the rest of a page goes on (brief §4). The quirks seen in the wild are handled
here and nowhere else: bodies bare or wrapped in ``data``, ``data`` as an object or a list,
``"statusHistory "`` with a trailing space, ``createHour`` for ``createdHour``, ``vasfee``
for ``vasFee``, and errors reported inside HTTP 200.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Any

from postlink.identifiers import (
    DossierCode,
    IdentifierError,
    clean,
    clean_value,
    find_dossier_code,
    find_procedure_code,
    parse_item_number,
)
from postlink.postal.errors import PostalAuthError, PostalProtocolError, WebhookRejected
from postlink.postal.models import (
    CancelOutcome,
    CancelResult,
    Event,
    LegKind,
    Order,
    OrderRequest,
    Party,
    Quarantined,
    leg_of_reference,
)
from postlink.postal.statuses import StatusTable

#: Vietnam time: MyVNPost writes times without an offset (brief §1).
VIETNAM_OFFSET = timedelta(hours=7)
VIETNAM = timezone(VIETNAM_OFFSET)
#: Two-level addresses (after 1/7/2025): the district field carries this literal (brief §1).
NO_DISTRICT = "VNPOST"
#: The prefix of the webhook's signed string (brief §1).
WEBHOOK_SIGNATURE_PREFIX = "MYVNP"


class FeedType(StrEnum):
    """``GUI``: orders we send (result leg); ``NHAN``: orders addressed to us (dossier leg)."""

    GUI = "GUI"
    NHAN = "NHAN"


_FEED_LEG = {FeedType.GUI: LegKind.RETURN, FeedType.NHAN: LegKind.PICKUP}


class RecordError(ValueError):
    """A record that cannot become a model; its message is the quarantine reason."""


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def quarantine(source: str, record: Any, reason: str) -> Quarantined:
    return Quarantined(source=source, reason=reason, raw=_raw(record))


# --- Login and errors inside HTTP 200 -----------------------------------------------------------


def login_request(username: str, password: str, customer_code: str) -> dict[str, str]:
    return {"username": username, "password": password, "customerCode": customer_code}


def parse_login_response(payload: Any, username: str, customer_code: str) -> str:
    """The token, or PostalAuthError naming the account: bad credentials come as HTTP 200."""
    if isinstance(payload, dict) and payload.get("success") and payload.get("token"):
        return str(payload["token"])
    message = payload.get("errorMessage") if isinstance(payload, dict) else None
    raise PostalAuthError(
        f"MyVNPost refused the login of user {username!r} (customer code {customer_code!r}): "
        f"{message or 'no token in the answer'}; check POSTLINK_POSTAL_USERNAME, "
        "POSTLINK_POSTAL_PASSWORD and POSTLINK_POSTAL_CUSTOMER_CODE"
    )


def error_in_body(payload: Any) -> str | None:
    """The message of an error reported inside HTTP 200 (``success: false``), else None."""
    if isinstance(payload, dict) and payload.get("success") is False:
        return str(payload.get("errorMessage") or payload.get("message") or "success: false")
    return None


# --- Create -------------------------------------------------------------------------------------


def _party_fields(prefix: str, party: Party) -> dict[str, str]:
    return {
        f"{prefix}Name": party.name,
        f"{prefix}Phone": party.phone,
        f"{prefix}Email": "",
        f"{prefix}Address": party.address,
        f"{prefix}ProvinceCode": party.province_code,
        f"{prefix}DistrictCode": NO_DISTRICT,
        f"{prefix}CommuneCode": party.commune_code,
    }


def content_note(procedure_code: str, procedure_name: str, note: str = "") -> str:
    """``TTHC <code>: <name>`` first, as every order postlink creates carries it (§1b); a
    note for the postman follows after `` | ``, which procedure names never contain."""
    head = f"TTHC {procedure_code}: {procedure_name}".strip()
    return f"{head} | {note}" if note else head


def create_order_request(request: OrderRequest, customer_code: str) -> dict[str, Any]:
    """The CreateOrder body; ``saleOrderCode`` is our stable reference (brief §1b, §4)."""
    information: dict[str, Any] = {
        **_party_fields("sender", request.sender),
        **_party_fields("receiver", request.receiver),
        "serviceCode": request.service_code,
        "addonService": [],
        "additionRequest": [],
        "orgCodeCollect": None,
        "orgCodeAccept": None,
        "saleOrderCode": request.reference,
        "contentNote": content_note(request.procedure_code, request.procedure_name, request.note),
        "weight": str(request.weight_grams),
        "width": None,
        "length": None,
        "height": None,
        "vehicle": "BO",
        "sendType": "1",
        "isBroken": False,
        "deliveryTime": "N",
        "deliveryRequire": "1",
        "deliveryInstruction": "",
    }
    return {
        "orderCreationStatus": 1,
        "type": FeedType.GUI.value,
        "customerCode": customer_code,
        "contractCode": None,
        "informationOrder": information,
    }


def created_order_record(payload: Any) -> Any:
    """The order record of a CreateOrder answer, bare or wrapped in ``data`` (brief §1)."""
    if isinstance(payload, dict) and "data" in payload and "orderHdrID" not in payload:
        payload = payload["data"]
    if isinstance(payload, list) and len(payload) == 1:
        payload = payload[0]
    return payload


# --- Order records ------------------------------------------------------------------------------


def _integer(record: dict[str, Any], key: str, *, required: bool = False) -> int | None:
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise RecordError(f"{key} is missing")
        return None
    if isinstance(value, bool):
        raise RecordError(f"{key}={value!r} is not a number")
    try:
        return int(value) if not isinstance(value, float) else round(value)
    except (TypeError, ValueError):
        raise RecordError(f"{key}={value!r} is not a number") from None


_PARTY_FIELDS = ("Name", "Phone", "Address", "ProvinceCode", "CommuneCode")  # Party's order
_SENDER = tuple(f"sender{name}" for name in _PARTY_FIELDS)
_RECEIVER = tuple(f"receiver{name}" for name in _PARTY_FIELDS)


def _party(record: dict[str, Any], keys: tuple[str, ...]) -> Party:
    get = record.get
    raw = tuple(get(key) for key in keys)
    try:
        return _party_of(raw)
    except TypeError:  # an unhashable value (a list, an object) cannot be remembered
        return Party(*map(clean_value, raw))


@lru_cache(maxsize=256)
def _party_of(raw: tuple[Any, ...]) -> Party:
    """One side of most orders is the office itself: read it once, not once per order."""
    return Party(*map(clean_value, raw))


def _item(value: Any) -> tuple[str | None, bool]:
    """The item number and whether its S10 check digit holds: a bad one is a flag (§3)."""
    if value is None or value == "":
        return None, True
    try:
        item = parse_item_number(str(value))
    except IdentifierError:
        return clean(str(value)).upper(), False
    return item.text, item.check_digit_ok


def _dossier_in(text: str) -> DossierCode | None:
    """A dossier code has dashes (TT 01/2018 art. 19); most counter codes do not."""
    return find_dossier_code(text) if "-" in text else None


@lru_cache(maxsize=4096)
def _procedure_in(text: str) -> tuple[str, str] | None:
    """The procedure code in ``text`` and, when the note is ours (``TTHC <code>: <name>``),
    its name. Notes repeat for every order of a procedure, so answers are remembered."""
    code = find_procedure_code(text)
    if code is None:
        return None
    name = _PROCEDURE_NAME.match(text)
    return code.text, name.group("name") if name is not None else ""


_PROCEDURE_NAME = re.compile(r"^TTHC\s+\S+?\s*:\s*(?P<name>[^|]+?)\s*(?:\||$)")


_VIETNAM_TIME = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
)


def _vietnam_time(day: str, hour: str = "") -> datetime:
    """``dd/mm/YYYY`` and ``HH:MM[:SS]`` in Vietnam time, as an aware UTC instant."""
    parts = f"{day.strip()} {hour.strip() or '00:00'}"
    match = _VIETNAM_TIME.fullmatch(parts)
    try:
        if match is None:
            raise ValueError
        d, m, y, hh, mm, ss = match.groups("0")
        wall = datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss), tzinfo=UTC)
        return wall - VIETNAM_OFFSET  # cheaper than astimezone, which looks the offset up
    except ValueError:
        raise RecordError(f"time {parts.strip()!r} is not dd/mm/YYYY HH:MM") from None


def parse_order(record: Any, table: StatusTable, feed: FeedType | None = None) -> Order:
    """One order record → Order, or RecordError with the reason to quarantine it.

    The leg comes from our reference's suffix when the order is ours, else from the feed it
    was read in; dossier and procedure codes are searched in ``saleOrderCode`` and
    ``contentNote`` because orders made by others carry them anywhere (brief §1b).
    """
    if not isinstance(record, dict):
        raise RecordError(f"an order record must be an object, not {type(record).__name__}")
    get = record.get
    order_hdr = _integer(record, "orderHdrID", required=True)
    raw_status = str(_integer(record, "status", required=True))
    item_code, item_ok = _item(get("itemCode"))
    sale = clean_value(get("saleOrderCode"))
    note = clean_value(get("contentNote"))
    dossier = _dossier_in(sale) or _dossier_in(note)
    procedure = _procedure_in(note) or _procedure_in(sale)
    updated = clean_value(get("lastUpdateTime"))
    return Order(
        reference=sale or f"MYVNPOST-{order_hdr}",
        order_id=clean_value(get("originalID")) or str(order_hdr),
        item_code=item_code,
        item_check_ok=item_ok,
        leg=leg_of_reference(sale) or (_FEED_LEG[feed] if feed is not None else None),
        raw_status=raw_status,
        raw_label=clean_value(get("statusName")) or table.label(raw_status),
        status=table.status(raw_status),
        updated_at=_vietnam_time(*updated.split(" ", 1)) if updated else None,
        dossier_code=dossier.text if dossier is not None else None,
        procedure_code=procedure[0] if procedure is not None else None,
        procedure_name=procedure[1] if procedure is not None else "",
        sender=_party(record, _SENDER),
        receiver=_party(record, _RECEIVER),
        main_fee=_integer(record, "mainFee"),
        total_fee=_integer(record, "totalFee"),
        raw=record,
    )


def parse_orders(
    records: Iterable[Any], table: StatusTable, source: str, feed: FeedType | None = None
) -> tuple[list[Order], list[Quarantined]]:
    orders: list[Order] = []
    bad: list[Quarantined] = []
    for record in records:
        try:
            orders.append(parse_order(record, table, feed))
        except RecordError as exc:
            bad.append(quarantine(source, record, str(exc)))
    return orders, bad


def _results(payload: Any, what: str) -> list[Any]:
    if isinstance(payload, dict) and isinstance(payload.get("results"), list):
        return list(payload["results"])
    raise PostalProtocolError(
        f"MyVNPost {what}: expected {{'results': [...]}}, got {_raw(payload)[:200]}"
    )


def get_order_params(reference: str) -> dict[str, str | int]:
    """getOrder by ``saleOrderCode`` (type 2), our reference (brief §1)."""
    return {"type": 2, "code": reference}


def item_order_params(item_code: str) -> dict[str, str | int]:
    """getOrder by ``itemCode`` (type 1), the waybill number (brief §1)."""
    return {"type": 1, "code": item_code}


def parse_get_order_response(
    payload: Any, table: StatusTable
) -> tuple[list[Order], list[Quarantined]]:
    """``[{"results": [order…]}]`` → orders (an empty list when nothing matched)."""
    blocks = payload if isinstance(payload, list) else [payload]
    records = [record for block in blocks for record in _results(block, "getOrder")]
    return parse_orders(records, table, "getOrder")


def list_order_params(
    updated_from: str, updated_to: str, feed: FeedType, page: int, size: int
) -> dict[str, str | int]:
    """GetListOrder: a window of whole dates (dd-mm-YYYY) of last update, one feed, one page."""
    return {
        "lastUpdateFrom": updated_from,
        "lastUpdateTo": updated_to,
        "type": feed.value,
        "size": size,
        "page": page,
        "isInternational": "false",
    }


def list_length(payload: Any) -> int:
    """How many records a GetListOrder page holds: a short page is the last (brief §1)."""
    return len(_results(payload, "GetListOrder"))


def parse_list_response(
    payload: Any, table: StatusTable, feed: FeedType
) -> tuple[list[Order], list[Quarantined]]:
    return parse_orders(_results(payload, "GetListOrder"), table, f"feed {feed}", feed)


# --- Tracking history ---------------------------------------------------------------------------


def history_params(item_code: str) -> dict[str, str | int]:
    return {"type": 1, "code": item_code}


def _history_blocks(payload: Any) -> list[dict[str, Any]]:
    data = payload.get("data") if isinstance(payload, dict) else None
    blocks = data if isinstance(data, list) else [data]
    if not all(isinstance(block, dict) for block in blocks):
        raise PostalProtocolError(
            f"GetStatusHistoryOrder: no 'data' object in {_raw(payload)[:200]}"
        )
    return blocks  # type: ignore[return-value]


def _history_entries(block: dict[str, Any]) -> list[Any]:
    for key, value in block.items():
        if key.strip() == "statusHistory":  # also "statusHistory " (brief §1)
            return list(value) if isinstance(value, list) else []
    return []


def parse_event(entry: Any, item_code: str, table: StatusTable) -> Event:
    if not isinstance(entry, dict):
        raise RecordError(f"a history entry must be an object, not {type(entry).__name__}")
    raw_code = str(_integer(entry, "statusCode", required=True))
    hour = entry.get("createdHour", entry.get("createHour", ""))  # createHour: brief §1
    return Event(
        item_code=item_code,
        raw_code=raw_code,
        raw_label=clean_value(entry.get("statusName")) or table.label(raw_code),
        status=table.status(raw_code),
        occurred_at=_vietnam_time(str(entry.get("createdDate") or ""), str(hour or "")),
        location=clean_value(entry.get("locateName")),
    )


def parse_history_response(
    payload: Any, item_code: str, table: StatusTable
) -> tuple[list[Event], list[Quarantined]]:
    """The events of one item, oldest first whatever order they came in."""
    events: list[Event] = []
    bad: list[Quarantined] = []
    for block in _history_blocks(payload):
        item = clean_value(block.get("itemCode")).upper() or item_code
        for entry in _history_entries(block):
            try:
                events.append(parse_event(entry, item, table))
            except RecordError as exc:
                bad.append(quarantine(f"history {item}", entry, str(exc)))
    events.sort(key=lambda event: event.occurred_at)
    return events, bad


# --- Cancel -------------------------------------------------------------------------------------


def cancel_request(order_id: str) -> dict[str, str]:
    return {"OriginalId": order_id}


_CANCEL_OUTCOMES = {"00": CancelOutcome.ACCEPTED, "02": CancelOutcome.PENDING}


def parse_cancel_response(payload: Any, order_id: str) -> CancelResult:
    """``[{"Type", "Message", …}]``: 00 accepted, 02 pending, anything else refused (§1)."""
    answer = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(answer, dict) or "Type" not in answer:
        raise PostalProtocolError(f"orderCancel: no 'Type' in {_raw(payload)[:200]}")
    code = str(answer["Type"])
    return CancelResult(
        outcome=_CANCEL_OUTCOMES.get(code, CancelOutcome.REFUSED),
        order_id=str(answer.get("OriginalId") or order_id),
        code=code,
        message=clean(str(answer.get("Message") or "")),
    )


# --- Webhook ------------------------------------------------------------------------------------


def webhook_signed_text(send_date: str, first: dict[str, Any]) -> bytes:
    """``"MYVNP" + sendDate + itemCode + status`` of the first record (brief §1)."""
    item, status = first.get("itemCode", ""), first.get("status", "")
    return f"{WEBHOOK_SIGNATURE_PREFIX}{send_date}{item}{status}".encode()


def read_webhook(body: bytes) -> tuple[list[Any], str, str]:
    """The records, ``sendDate`` and the signature of a webhook body; WebhookRejected when
    the body is not the documented shape (nothing of it is then processed)."""
    try:
        message = json.loads(body)
    except ValueError:
        raise WebhookRejected("the webhook body is not JSON") from None
    if not isinstance(message, dict):
        raise WebhookRejected("the webhook body is not a JSON object")
    records, send_date, signature = (message.get(k) for k in ("data", "sendDate", "signature"))
    if not isinstance(records, list) or not records or not isinstance(records[0], dict):
        raise WebhookRejected("the webhook has no 'data' list of orders")
    if not isinstance(send_date, str) or not isinstance(signature, str):
        raise WebhookRejected("the webhook lacks 'sendDate' or 'signature'")
    return records, send_date, signature


def parse_send_date(send_date: str) -> datetime:
    """``sendDate`` is ``YYYYMMDDhhmmss`` in Vietnam time (brief §1); WebhookRejected else."""
    try:
        return datetime.strptime(send_date, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except ValueError:
        raise WebhookRejected(
            f"the webhook's sendDate {send_date[:20]!r} is not YYYYMMDDhhmmss"
        ) from None
