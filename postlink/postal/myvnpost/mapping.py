"""MyVNPost payloads ↔ postlink models: pure functions, no IO (postal brief §1, §1b, §3).

Every function takes a decoded JSON body and returns models, quarantining what it cannot
read so that the rest of a page goes on (brief §4). The post's data is foreign data
(issue 11): ids are opaque strings (``orderHdrID`` is a GUID in the brief's examples), any
key may come in another casing (``orderHdrId``, ``originalId`` in webhooks, ``vasfee``),
numbers may come as text (``"200"``, ``"26,000"``, ``"26000.0"``), bodies bare or wrapped in
``data``, ``data`` as an object or a list, ``"statusHistory "`` with a trailing space,
``createHour`` for ``createdHour``, and errors reported inside HTTP 200. Fields are read
through ``postal/fields.py``; the quirks are handled here and nowhere else.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
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
from postlink.postal.fields import (
    COMMUNE_CODE_WIDTH,
    ITEM_CODE_WIDTH,
    LABEL_WIDTH,
    ORDER_ID_WIDTH,
    PARTY_NAME_WIDTH,
    PARTY_PHONE_WIDTH,
    REFERENCE_WIDTH,
    Fields,
    RecordError,
    fit,
    refuse,
)
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
    record_bytes,
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


def _raw(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)


def _unknown_shape(operation: str, expected: str, payload: Any) -> PostalProtocolError:
    """An answer whose shape postlink does not know, described by its shape only: the body
    itself may carry citizens' names and addresses, and this text reaches the job-run record
    and the log (the exchange log keeps the body, masked after its retention)."""
    return PostalProtocolError(
        code="postal.protocol.shape", operation=operation, expected=expected, shape=_shape(payload)
    )


def _shape(value: Any) -> str:
    """``object {data, status}``, ``list of 3``, ``text``: a body's outline without its values
    (at most ten keys of forty characters, so a hostile body cannot flood the record)."""
    if isinstance(value, dict):
        keys = sorted(str(key)[:40] for key in value)
        more = ", …" if len(keys) > 10 else ""
        return "object {" + ", ".join(keys[:10]) + more + "}"
    if isinstance(value, list):
        return f"list of {len(value)}"
    return {type(None): "null", str: "text", bool: "boolean"}.get(type(value), "number")


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


def _is_record(value: Any) -> bool:
    """Whether ``value`` is an order record rather than an envelope around records."""
    return isinstance(value, dict) and (
        Fields(value).key("orderHdrID", "originalID", "itemCode", "saleOrderCode") is not None
    )


def _unwrapped(payload: Any) -> Any:
    """A body without its ``data`` envelopes (any casing): bare and wrapped answers alike."""
    while isinstance(payload, dict) and not _is_record(payload):
        key = Fields(payload).key("data")
        if key is None:
            return payload
        payload = payload[key]
    return payload


def created_order_record(payload: Any) -> Any:
    """The order record of a CreateOrder answer, bare or wrapped in ``data`` (brief §1)."""
    body = _unwrapped(payload)
    if isinstance(body, dict) and not _is_record(body):
        key = Fields(body).key("results")
        body = body[key] if key is not None else body
    if isinstance(body, list) and len(body) == 1:
        body = _unwrapped(body[0])
    return body


# --- Order records ------------------------------------------------------------------------------


_PARTY_FIELDS = ("Name", "Phone", "Address", "ProvinceCode", "CommuneCode")  # Party's order
_SENDER = tuple(f"sender{name}" for name in _PARTY_FIELDS)
_RECEIVER = tuple(f"receiver{name}" for name in _PARTY_FIELDS)


def _party(fields: Fields, keys: tuple[str, ...]) -> Party:
    """One side of the order; a name, phone or commune code longer than the column that
    stores it quarantines the record rather than failing the page's transaction."""
    raw = tuple(map(fields.get, keys))
    try:
        party = _party_of(raw)
    except TypeError:  # an unhashable value (a list, an object) cannot be remembered
        party = Party(*map(clean_value, raw))
    fit(keys[0], party.name, PARTY_NAME_WIDTH, private=True)
    fit(keys[1], party.phone, PARTY_PHONE_WIDTH, private=True)
    fit(keys[4], party.commune_code, COMMUNE_CODE_WIDTH)
    return party


@lru_cache(maxsize=256)
def _party_of(raw: tuple[Any, ...]) -> Party:
    """One side of most orders is the office itself: read it once, not once per order."""
    return Party(*map(clean_value, raw))


def _item(value: str) -> tuple[str | None, bool]:
    """The item number and whether its S10 check digit holds: a bad one is a flag (§3).
    Any other text is the post's opaque item code, kept as it is and flagged."""
    if not value:
        return None, True
    try:
        item = parse_item_number(value)
    except IdentifierError:
        return value.upper(), False
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


#: ``dd/mm/YYYY`` (or with dashes), then maybe ``HH:MM[:SS[.fff]]``: the post's wall clock.
_VIETNAM_TIME = re.compile(
    r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4})"
    r"(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]*)?)?)?"
)


def _vietnam_time(field: str, day: str, hour: str = "") -> datetime:
    """A time the post wrote, as an aware UTC instant. The brief's form is ``dd/mm/YYYY``
    and ``HH:MM`` in Vietnam time without an offset; a date that carries its own time, a
    dashed date or an ISO 8601 time (with or without an offset) are read too."""
    text = day.strip()
    match = _VIETNAM_TIME.fullmatch(text)
    if match is not None and match.group(4) is None and hour.strip():
        text = f"{text} {hour.strip()}"
        match = _VIETNAM_TIME.fullmatch(text)
    try:
        if match is not None:
            d, m, y, hh, mm, ss = match.groups("0")
            wall = datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss), tzinfo=UTC)
            return wall - VIETNAM_OFFSET  # cheaper than astimezone, which looks the offset up
        if text[:4].isdigit():
            read = datetime.fromisoformat(text if hour.strip() == "" else f"{text} {hour}")
            aware = read if read.tzinfo is not None else read.replace(tzinfo=VIETNAM)
            return aware.astimezone(UTC)
    except ValueError:
        pass
    raise refuse(
        field, f"{day} {hour}".strip(), "không đọc được thời gian", "not a time: dd/mm/YYYY HH:MM"
    )


def parse_order(
    record: Any, table: StatusTable, feed: FeedType | None = None, data: bytes | None = None
) -> Order:
    """One order record → Order, or RecordError with the reason to quarantine it.

    Ids are opaque: ``orderHdrID`` and ``originalID`` (or ``orderHdrId``/``originalId``)
    are kept as the text the post sent, and one of them must be there. The leg comes from
    our reference's suffix when the order is ours, else from the feed it was read in;
    dossier and procedure codes are searched in ``saleOrderCode`` and ``contentNote``
    because orders made by others carry them anywhere (brief §1b).
    """
    if not isinstance(record, dict):
        raise RecordError(
            f"bản ghi đơn hàng không phải một đối tượng JSON "
            f"(an order record must be an object, not {type(record).__name__})"
        )
    fields = Fields(record)
    order_hdr = fields.identifier("orderHdrID", ORDER_ID_WIDTH)
    original = fields.identifier("originalID", ORDER_ID_WIDTH)
    if not order_hdr and not original:
        raise RecordError(
            "orderHdrID, originalID: đơn hàng không có mã nào của bưu điện "
            "(neither orderHdrID nor originalID: the order cannot be identified)"
        )
    raw_status = fields.code("status")
    item_code, item_ok = _item(fields.identifier("itemCode", ITEM_CODE_WIDTH))
    sale = fit("saleOrderCode", fields.text("saleOrderCode"), REFERENCE_WIDTH)
    note = fields.text("contentNote")
    dossier = _dossier_in(sale) or _dossier_in(note)
    procedure = _procedure_in(note) or _procedure_in(sale)
    updated = fields.text("lastUpdateTime")
    return Order(
        reference=sale or fit("orderHdrID", f"MYVNPOST-{order_hdr or original}", REFERENCE_WIDTH),
        order_id=original or order_hdr,
        item_code=item_code,
        item_check_ok=item_ok,
        leg=leg_of_reference(sale) or (_FEED_LEG[feed] if feed is not None else None),
        raw_status=raw_status,
        raw_label=fit("statusName", fields.text("statusName"), LABEL_WIDTH)
        or table.label(raw_status),
        status=table.status(raw_status),
        updated_at=_vietnam_time("lastUpdateTime", updated) if updated else None,
        dossier_code=dossier.text if dossier is not None else None,
        procedure_code=procedure[0] if procedure is not None else None,
        procedure_name=procedure[1] if procedure is not None else "",
        sender=_party(fields, _SENDER),
        receiver=_party(fields, _RECEIVER),
        main_fee=fields.amount("mainFee"),
        total_fee=fields.amount("totalFee"),
        raw=record,
        record=data if data is not None else record_bytes(record),
    )


class ReadBefore:
    """The orders read from the latest feed records, to reuse when a record comes back
    unchanged: an overlapping poll re-reads a day and more of orders that did not move, and
    reading a record cost about what fetching and decoding it did (issue 15 §3). A record
    is reused only when it equals, key for key, the one read before (compared as their
    ``record_bytes``, which the sync needs anyway). Only orders updated since ``keep_from``
    (set by the adapter to the start of the next pass's window) are kept, at most ``size``
    of them (the oldest go first), so memory stays flat through a backfill. One per
    adapter, whose status table is fixed, so a reading stays right for as long as it is
    kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.keep_from: datetime | None = None
        self._orders: OrderedDict[tuple[FeedType | None, str], Order] = OrderedDict()
        self._lock = threading.Lock()

    def read(self, record: Any, table: StatusTable, feed: FeedType | None) -> Order:
        """The order of ``record``, read afresh unless it equals the one read before."""
        sale = record.get("saleOrderCode") if isinstance(record, dict) else None
        if not isinstance(sale, str):  # none, or not text: read it afresh
            return parse_order(record, table, feed)
        key = (feed, sale)
        data = record_bytes(record)
        with self._lock:
            kept = self._orders.get(key)
            if kept is not None and kept.record == data:
                self._orders.move_to_end(key)
                return kept
        order = parse_order(record, table, feed, data)
        since, updated = self.keep_from, order.updated_at
        if since is not None and updated is not None and updated < since:
            return order  # the next pass will not read it again
        with self._lock:
            self._orders[key] = order
            self._orders.move_to_end(key)
            if len(self._orders) > self.size:
                self._orders.popitem(last=False)
        return order


def parse_orders(
    records: Iterable[Any],
    table: StatusTable,
    source: str,
    feed: FeedType | None = None,
    before: ReadBefore | None = None,
) -> tuple[list[Order], list[Quarantined]]:
    orders: list[Order] = []
    bad: list[Quarantined] = []
    for record in records:
        try:
            if before is not None:
                orders.append(before.read(record, table, feed))
            else:
                orders.append(parse_order(record, table, feed))
        except RecordError as exc:
            bad.append(quarantine(source, record, str(exc)))
    return orders, bad


def _results(payload: Any, what: str) -> list[Any]:
    """The order records of an answer: ``{"results": [...]}`` as documented, a list of
    such blocks (getOrder), either wrapped in ``data``, or the records bare."""
    body = _unwrapped(payload)
    if _is_record(body):
        return [body]
    if isinstance(body, dict):
        key = Fields(body).key("results")
        if key is None or not isinstance(body[key], list | None):
            raise _unknown_shape(what, "{'results': [...]}", payload)
        return list(body[key] or [])
    if isinstance(body, list):
        records: list[Any] = []
        for item in body:
            block = isinstance(item, dict) and not _is_record(item)
            records.extend(_results(item, what) if block else [item])
        return records
    raise _unknown_shape(what, "{'results': [...]}", payload)


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
    return parse_orders(_results(payload, "getOrder"), table, "getOrder")


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
    payload: Any, table: StatusTable, feed: FeedType, before: ReadBefore | None = None
) -> tuple[list[Order], list[Quarantined]]:
    return parse_orders(_results(payload, "GetListOrder"), table, f"feed {feed}", feed, before)


# --- Tracking history ---------------------------------------------------------------------------


def history_params(item_code: str) -> dict[str, str | int]:
    return {"type": 1, "code": item_code}


def _is_entry(value: Any) -> bool:
    return isinstance(value, dict) and Fields(value).key("statusCode") is not None


def _history_blocks(payload: Any) -> list[dict[str, Any]]:
    """The ``{itemCode, statusHistory}`` blocks: ``data`` an object or a list (brief §1), or
    the block bare; ``data`` null is an item without history. Entries found directly in
    ``data`` become one block."""
    body = payload
    if isinstance(body, dict) and Fields(body).key("statusHistory") is None:
        key = Fields(body).key("data")
        if key is None:
            raise _unknown_shape("GetStatusHistoryOrder", "{'data': …}", payload)
        body = body[key]
    items = [] if body is None else body if isinstance(body, list) else [body]
    entries = [item for item in items if _is_entry(item)]
    blocks = [item for item in items if not _is_entry(item)]
    if not all(isinstance(block, dict) for block in blocks):
        raise _unknown_shape("GetStatusHistoryOrder", "{'data': …}", payload)
    return blocks + ([{"statusHistory": entries}] if entries else [])


def _history_entries(fields: Fields) -> list[Any]:
    """The entries under ``statusHistory`` (also ``"statusHistory "``, brief §1)."""
    value = fields.get("statusHistory")
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise refuse("statusHistory", value, "không phải danh sách", "not a list of events")
    return value


def parse_event(entry: Any, item_code: str, table: StatusTable) -> Event:
    if not isinstance(entry, dict):
        raise RecordError(
            f"mục lịch sử không phải một đối tượng JSON "
            f"(a history entry must be an object, not {type(entry).__name__})"
        )
    fields = Fields(entry)
    raw_code = fields.code("statusCode")
    day = fields.text("createdDate", "createDate")
    hour = fields.text("createdHour", "createHour")  # createHour: brief §1
    return Event(
        item_code=item_code,
        raw_code=raw_code,
        raw_label=fit("statusName", fields.text("statusName"), LABEL_WIDTH)
        or table.label(raw_code),
        status=table.status(raw_code),
        occurred_at=_vietnam_time("createdDate", day, hour),
        location=fit("locateName", fields.text("locateName"), LABEL_WIDTH),
    )


def parse_history_response(
    payload: Any, item_code: str, table: StatusTable
) -> tuple[list[Event], list[Quarantined]]:
    """The events of one item, oldest first whatever order they came in."""
    events: list[Event] = []
    bad: list[Quarantined] = []
    for block in _history_blocks(payload):
        fields = Fields(block)
        try:
            item = fields.identifier("itemCode", ITEM_CODE_WIDTH).upper() or item_code
            entries = _history_entries(fields)
        except RecordError as exc:
            bad.append(quarantine(f"history {item_code}", block, str(exc)))
            continue
        for entry in entries:
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
        raise _unknown_shape("orderCancel", "[{'Type': …}]", payload)
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
        raise WebhookRejected(code="webhook.not_json") from None
    if not isinstance(message, dict):
        raise WebhookRejected(code="webhook.not_object")
    records, send_date, signature = (message.get(k) for k in ("data", "sendDate", "signature"))
    if not isinstance(records, list) or not records or not isinstance(records[0], dict):
        raise WebhookRejected(code="webhook.no_data")
    if not isinstance(send_date, str) or not isinstance(signature, str):
        raise WebhookRejected(code="webhook.no_signature")
    return records, send_date, signature


def parse_send_date(send_date: str) -> datetime:
    """``sendDate`` is ``YYYYMMDDhhmmss`` in Vietnam time (brief §1); WebhookRejected else."""
    try:
        return datetime.strptime(send_date, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except ValueError:
        raise WebhookRejected(code="webhook.send_date", value=send_date[:20]) from None
