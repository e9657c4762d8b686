"""Sandbox orders and events as MyVNPost writes them (postal brief §1), written from the
brief alone: nothing here comes from postlink's client (see ``terms.py``).

The real API does not write one record like the next (brief §1): ids are GUIDs and
``MYVNP…`` strings, keys come as ``orderHdrID`` or ``orderHdrId``, ``vasFee`` or
``vasfee``, numbers as numbers or text (``"weight": "200"``, fees ``"26000"``), CreateOrder
answers bare or wrapped in ``data``, history ``data`` as an object or a list, with
``"statusHistory "`` or ``createHour``. Each order gets its own ``Wire``, drawn from the
seed, so a default run shows all of them and always the same way for the same order; the
``quirks`` fault draws other shapes at random on top. Webhook bodies spell the ids
``orderHdrId``/``originalId`` as the brief says they do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from postlink.postal.sandbox import people
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.terms import NO_DISTRICT, status_label
from postlink.postal.sandbox.timelines import Dice
from postlink.postal.sandbox.world import SimOrder

_COMMUNE_NAMES = dict(people.COMMUNES)
_AT_SENDER = frozenset({1, 2, 3, 4, 5, 6, 8, 9, -8, 28, 29})
_AT_RECEIVER = frozenset({11, 12, 14, 15, 21, 23})
_POST_OFFICE = ("270000", "Bưu cục Thục Phán")
WEIGHT_GRAMS = 200


@dataclass(frozen=True, slots=True)
class Wire:
    """How the post writes one order's records (brief §1, "seen in the wild")."""

    id_keys: tuple[str, str] = ("orderHdrID", "originalID")
    vas_key: str = "vasFee"
    #: Weight and other quantities as text (``"weight": "200"``, as in the brief's record).
    quantities_as_text: bool = True
    #: 0: fees as numbers; 1: ``"26000"``; 2: ``"26,000"``; 3: ``"26000.0"``.
    fee_style: int = 0
    status_as_text: bool = False
    wrapped_create: bool = False
    #: 0: ``data`` an object; 1: ``data`` a list; 2: the ``"statusHistory "`` key.
    history_shape: int = 0
    hour_key: str = "createdHour"


#: The shape the brief documents, for a sandbox started without variants.
DOCUMENTED = Wire()
#: How webhooks spell the ids (brief §1).
WEBHOOK_ID_KEYS = ("orderHdrId", "originalId")


def wire_of(seed: int, order: SimOrder, variants: bool = True) -> Wire:
    """How ``order`` is written: its own variant drawn from the seed, or the documented
    shape when the sandbox runs without variants."""
    return _variant(seed, order.order_id) if variants else DOCUMENTED


@lru_cache(maxsize=4096)
def _variant(seed: int, order_id: int) -> Wire:
    """Remembered: a feed page asks for the same orders again and again."""
    dice = Dice(seed, "wire", order_id)
    return Wire(
        id_keys=("orderHdrId", "originalId") if dice.chance(40) else DOCUMENTED.id_keys,
        vas_key="vasfee" if dice.chance(40) else "vasFee",
        quantities_as_text=dice.chance(60),
        fee_style=dice.below(4),
        status_as_text=dice.chance(25),
        wrapped_create=dice.chance(50),
        history_shape=dice.below(3),
        hour_key="createHour" if dice.chance(40) else "createdHour",
    )


def quirky(wire: Wire, faults_shape: int) -> Wire:
    """The shapes the ``quirks`` fault forces on top of an order's own variant."""
    return replace(
        wire,
        vas_key="vasfee",
        wrapped_create=True,
        history_shape=faults_shape,
        hour_key="createHour" if faults_shape else wire.hour_key,
    )


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


def _fee(amount: int, style: int) -> int | str:
    if style == 1:
        return str(amount)
    if style == 2:
        return f"{amount:,}"
    if style == 3:
        return f"{amount}.0"
    return amount


def _quantity(value: int, wire: Wire) -> int | str:
    return str(value) if wire.quantities_as_text else value


def order_record(
    post: Post, order: SimOrder, now: int, wire: Wire, *, webhook: bool = False
) -> dict[str, Any]:
    status, updated = post.state(order, now)
    hdr_key, original_key = WEBHOOK_ID_KEYS if webhook else wire.id_keys
    return {
        hdr_key: order.order_hdr_id,
        original_key: order.original_id,
        "itemCode": order.item_code,
        "saleOrderCode": order.reference,
        "status": str(status) if wire.status_as_text else status,
        "serviceCode": "CTN009",
        "mainFee": _fee(order.main_fee, wire.fee_style),
        wire.vas_key: _fee(order.vas_fee, wire.fee_style),
        "totalFee": _fee(order.main_fee + order.vas_fee, wire.fee_style),
        "priceWeight": _quantity(WEIGHT_GRAMS, wire),
        "codAmount": _quantity(0, wire),
        "weight": _quantity(WEIGHT_GRAMS, wire),
        "bcpCode": _POST_OFFICE[0],
        "bcpName": _POST_OFFICE[1],
        **_party("sender", order, sender=True),
        **_party("receiver", order, sender=False),
        "orgCodeCollect": _POST_OFFICE[0],
        "orgCodeAccept": _POST_OFFICE[0],
        "contentNote": order.content_note,
        "lastUpdateTime": f"{post.vietnam(updated):%d/%m/%Y %H:%M:%S}",
    }


def created_body(record: dict[str, Any], wire: Wire) -> dict[str, Any]:
    """The CreateOrder answer: the record, bare or wrapped in ``data`` (brief §1)."""
    return {"data": record} if wire.wrapped_create else record


def history_entries(post: Post, order: SimOrder, now: int, wire: Wire) -> list[dict[str, Any]]:
    entries = []
    for minute, code in post.events(order, now):
        at = post.vietnam(minute)
        entries.append(
            {
                "createdDate": f"{at:%d/%m/%Y}",
                wire.hour_key: f"{at:%H:%M}",
                "statusCode": str(code) if wire.status_as_text else code,
                "statusName": status_label(code),
                "locateName": location(order, code),
            }
        )
    return entries


def history_body(item_code: str, entries: list[dict[str, Any]], wire: Wire) -> dict[str, Any]:
    """Shape 0: as documented; 1: ``data`` as a list; 2: ``"statusHistory "`` key."""
    key = "statusHistory " if wire.history_shape == 2 else "statusHistory"
    data = {"itemCode": item_code, key: entries}
    return {"data": [data] if wire.history_shape == 1 else data}


def truth_record(post: Post, order: SimOrder, now: int) -> dict[str, Any]:
    """What ``/_sandbox/truth`` shows of an order: its ids as the wire shows them
    (``order_id`` is the ``originalID``, the id cancellations use) and every event."""
    status, _ = post.state(order, now)
    return {
        "reference": order.reference,
        "order_id": order.original_id,
        "order_hdr_id": order.order_hdr_id,
        "original_id": order.original_id,
        "item_code": order.item_code,
        "feed": order.feed,
        "status": str(status),
        "events": [
            {
                "code": str(code),
                "label": status_label(code),
                "at": post.instant(minute).isoformat(),
                "location": location(order, code),
            }
            for minute, code in post.events(order, now)
        ],
    }
