"""Sandbox orders and events as MyVNPost writes them (postal brief §1), quirks on request.

The canonical shape is what the brief documents; ``quirky`` variants are the ones seen in
the wild: ``vasfee`` for ``vasFee``, a CreateOrder answer wrapped in ``data``, history with
``data`` as a list, ``"statusHistory "`` with a trailing space and ``createHour``.
"""

from __future__ import annotations

from typing import Any

from postlink import defaults
from postlink.postal.myvnpost.mapping import NO_DISTRICT
from postlink.postal.sandbox import people
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.world import SimOrder
from postlink.postal.statuses import load_status_table

_COMMUNE_NAMES = dict(people.COMMUNES)
_UNKNOWN_LABEL = "Trạng thái mới"
_AT_SENDER = frozenset({1, 2, 3, 4, 5, 6, 8, 9, -8, 28, 29})
_AT_RECEIVER = frozenset({11, 12, 14, 15, 21, 23})
_POST_OFFICE = ("270000", "Bưu cục Thục Phán")


def label(code: int) -> str:
    return load_status_table(defaults.MYVNPOST_STATUS_FILE).label(str(code)) or _UNKNOWN_LABEL


def location(order: SimOrder, code: int) -> str:
    """Where an event happens: at the sender's post office, the receiver's, or the hub."""
    if code in _AT_SENDER:
        return f"Bưu cục {_COMMUNE_NAMES.get(order.sender.commune_code, 'Cao Bằng')}"
    if code in _AT_RECEIVER:
        return f"Bưu cục phát {_COMMUNE_NAMES.get(order.receiver.commune_code, 'Cao Bằng')}"
    return people.HUB


def _party(prefix: str, order: SimOrder, sender: bool) -> dict[str, str]:
    party = order.sender if sender else order.receiver
    return {
        f"{prefix}Name": party.name,
        f"{prefix}Phone": party.phone,
        f"{prefix}Address": party.address,
        f"{prefix}ProvinceCode": party.province_code,
        f"{prefix}DistrictCode": NO_DISTRICT,
        f"{prefix}CommuneCode": party.commune_code,
    }


def order_record(post: Post, order: SimOrder, now: int, quirky: bool = False) -> dict[str, Any]:
    status, updated = post.state(order, now)
    return {
        "orderHdrID": order.order_id,
        "originalID": order.original_id,
        "itemCode": order.item_code,
        "saleOrderCode": order.reference,
        "status": status,
        "serviceCode": "CTN009",
        "mainFee": order.main_fee,
        "vasfee" if quirky else "vasFee": order.vas_fee,
        "totalFee": order.main_fee + order.vas_fee,
        "priceWeight": 200,
        "codAmount": 0,
        "weight": 200,
        "bcpCode": _POST_OFFICE[0],
        "bcpName": _POST_OFFICE[1],
        **_party("sender", order, sender=True),
        **_party("receiver", order, sender=False),
        "orgCodeCollect": _POST_OFFICE[0],
        "orgCodeAccept": _POST_OFFICE[0],
        "contentNote": order.content_note,
        "lastUpdateTime": f"{post.vietnam(updated):%d/%m/%Y %H:%M:%S}",
    }


def history_entries(post: Post, order: SimOrder, now: int, quirky: bool) -> list[dict[str, Any]]:
    hour_key = "createHour" if quirky else "createdHour"
    entries = []
    for minute, code in post.events(order, now):
        at = post.vietnam(minute)
        entries.append(
            {
                "createdDate": f"{at:%d/%m/%Y}",
                hour_key: f"{at:%H:%M}",
                "statusCode": code,
                "statusName": label(code),
                "locateName": location(order, code),
            }
        )
    return entries


def history_body(item_code: str, entries: list[dict[str, Any]], quirk: int) -> dict[str, Any]:
    """Quirk 0: as documented; 1: ``data`` as a list; 2: ``"statusHistory "`` key."""
    key = "statusHistory " if quirk == 2 else "statusHistory"
    data = {"itemCode": item_code, key: entries}
    return {"data": [data] if quirk == 1 else data}


def truth_record(post: Post, order: SimOrder, now: int) -> dict[str, Any]:
    """What ``/_sandbox/truth`` shows of an order: enough to check a client's whole state."""
    status, _ = post.state(order, now)
    return {
        "reference": order.reference,
        "order_id": order.original_id,
        "item_code": order.item_code,
        "feed": order.feed,
        "status": str(status),
        "events": [
            {
                "code": str(code),
                "label": label(code),
                "at": post.instant(minute).isoformat(),
                "location": location(order, code),
            }
            for minute, code in post.events(order, now)
        ],
    }
