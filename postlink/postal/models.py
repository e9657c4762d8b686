"""What every postal adapter speaks: our order request, the post's orders and events.

The models are frozen dataclasses so that a page of orders can be handed to the sync daemon
and kept in tests without anyone mutating it; every carrier's mapping module builds them and
nothing else (the Karrio split, style notes). Times are aware UTC: the post writes Vietnam
time without an offset, and the mapping converts it (issue 4).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson

from postlink.legs.status import LegStatus
from postlink.models.tracking import LegKind

__all__ = [
    "CancelOutcome",
    "CancelResult",
    "Event",
    "LegKind",
    "Order",
    "OrderRequest",
    "Page",
    "Party",
    "Quarantined",
    "leg_of_reference",
    "reference_for",
]


_LEG_LETTER = {LegKind.PICKUP: "P", LegKind.RETURN: "R"}
_REFERENCE_SUFFIX = re.compile(r"-(?P<letter>[PR])(?P<attempt>[1-9][0-9]{0,2})$")


def reference_for(dossier_code: str, leg: LegKind, attempt: int = 1) -> str:
    """The stable order reference ``<dossier>-P<n>`` / ``<dossier>-R<n>`` (postal brief §1b).

    ``attempt`` counts orders of the same leg that were cancelled and created again, so a
    retried creation reuses the reference and can be reconciled instead of duplicated.
    """
    if not 1 <= attempt <= 999:
        raise ValueError(f"attempt {attempt} is out of range (expected 1 to 999)")
    if not dossier_code.strip():
        raise ValueError("a postal reference needs a dossier code")
    return f"{dossier_code.strip()}-{_LEG_LETTER[leg]}{attempt}"


def leg_of_reference(reference: str) -> LegKind | None:
    """The leg a reference of ours names by its suffix, or None for anyone else's code."""
    match = _REFERENCE_SUFFIX.search(reference)
    if match is None:
        return None
    return LegKind.PICKUP if match.group("letter") == "P" else LegKind.RETURN


@dataclass(frozen=True, slots=True)
class Party:
    """A sender or receiver. Name, phone and address are personal data (Law 91/2025/QH15):
    left out of the repr, so an order printed in a log line or a traceback shows none."""

    name: str = field(repr=False)
    phone: str = field(repr=False)
    address: str = field(repr=False)
    province_code: str = ""
    commune_code: str = ""


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """An order postlink asks the post to carry: a dossier's pickup or its result's return."""

    reference: str
    leg: LegKind
    dossier_code: str
    procedure_code: str
    procedure_name: str
    sender: Party
    receiver: Party
    service_code: str = "CTN009"
    weight_grams: int = 200
    note: str = ""

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise ValueError("an order request needs a reference (see reference_for)")
        if self.weight_grams <= 0:
            raise ValueError(f"weight {self.weight_grams} g must be positive")


@dataclass(frozen=True, slots=True)
class Order:
    """One postal order as the post holds it, with what we could read from its free text.

    ``reference`` is our ``saleOrderCode`` (or the post's own id when the order carries none),
    ``order_id`` the post's id used to cancel, ``status`` the normalised form of ``raw_status``.
    The post's ids are opaque text, kept as sent and never read as numbers (issue 11; their
    stored widths are in ``postal/fields.py``).
    """

    reference: str
    order_id: str
    item_code: str | None
    item_check_ok: bool
    leg: LegKind | None
    raw_status: str
    raw_label: str
    status: LegStatus
    updated_at: datetime | None
    dossier_code: str | None
    procedure_code: str | None
    procedure_name: str
    sender: Party
    receiver: Party
    main_fee: int | None
    total_fee: int | None
    raw: dict[str, Any] = field(compare=False, repr=False)
    #: ``raw`` as ``record_bytes`` writes it, made once where the record is read: the sync
    #: compares it with what a leg was written from (``legs/fingerprint.py``).
    record: bytes | None = field(default=None, compare=False, repr=False)

    def record_bytes(self) -> bytes | None:
        return self.record if self.record is not None else record_bytes(self.raw)


def record_bytes(raw: Any) -> bytes | None:
    """A record as the post sent it, keys sorted, so that equal records give equal bytes
    whatever order their keys came in; None when there is none (an order built without
    its record is never taken as unchanged)."""
    if not isinstance(raw, dict) or not raw:
        return None
    try:
        return orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # what orjson refuses (integers beyond 64 bits): the standard library
        return json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()


@dataclass(frozen=True, slots=True)
class Event:
    """One tracking event; (item_code, raw_code, occurred_at) is its natural key."""

    item_code: str
    raw_code: str
    raw_label: str
    status: LegStatus
    occurred_at: datetime
    location: str


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record that failed validation: kept raw with the reason, never dropped (brief §4)."""

    source: str
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the change feed and the cursor to persist once the page is applied."""

    orders: list[Order]
    quarantined: list[Quarantined]
    cursor: str


@dataclass(frozen=True, slots=True)
class WebhookHint:
    """What a verified webhook tells, and no more: the items its signature covers, to be
    looked up at the post's API (issue 11 §3: a doorbell, not a witness).

    The MyVNPost signature covers ``sendDate`` and the first record's item code and status
    (brief §1); every other record in the body is unsigned and only counted.
    """

    sent_at: datetime
    signature: str
    item_codes: tuple[str, ...]
    unsigned: int


class CancelOutcome(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class CancelResult:
    """The post's answer to a cancellation; a refusal is a value, not an error (brief §1)."""

    outcome: CancelOutcome
    order_id: str
    code: str
    message: str
