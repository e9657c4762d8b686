"""Read a quarantined record again with the mapping code installed now (issue 16).

A record is quarantined with the ``source`` it came from (``feed NHAN``, ``history <item>``,
``webhook``, ``getOrder``, a NGSP feed…) and its raw JSON. After an upgrade that fixes a
parser, the same record goes through the same mapping function the adapter used, so what
comes out is exactly what a pull would make of it today. Nothing here touches the network
or the database: the sync's replay (``sync.quarantine``) applies the result.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from typing import Any

from postlink.postal.fields import RecordError
from postlink.postal.models import Event, Order
from postlink.postal.statuses import StatusTable

HISTORY_PREFIX = "history "
FEED_PREFIX = "feed "


class Unreadable(ValueError):
    """The record still cannot be read; the message is its new quarantine reason."""


@dataclass
class Reread:
    orders: list[Order] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _load(raw: str) -> Any:
    """The stored record: JSON, or the Python form older versions wrote for some records."""
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        raise Unreadable("bản ghi lưu không phải JSON / the stored record is not JSON") from None


def _myvnpost(source: str, record: Any, table: StatusTable) -> Reread:
    from postlink.postal.myvnpost import mapping

    try:
        if source.startswith(HISTORY_PREFIX):
            item = source.removeprefix(HISTORY_PREFIX).strip().upper()
            return Reread(events=[mapping.parse_event(record, item, table)])
        feed = None
        if source.startswith(FEED_PREFIX):
            feed = mapping.FeedType(source.removeprefix(FEED_PREFIX).strip())
        return Reread(orders=[mapping.parse_order(record, table, feed)])
    except RecordError as exc:
        raise Unreadable(str(exc)) from None


def _ngsp(record: Any, table: StatusTable) -> Reread:
    from postlink.postal.ngsp import mapping

    try:
        event = mapping.parse_event(record, table)
    except RecordError as exc:
        raise Unreadable(str(exc)) from None
    orders = [] if event.status.money else [mapping.order_from(event, record)]
    return Reread(orders=orders, events=[event])


def reread(adapter: str, source: str, raw: str, table: StatusTable) -> Reread:
    """The orders and events in one quarantined record; ``Unreadable`` if it still fails."""
    record = _load(raw)
    if adapter == "myvnpost":
        return _myvnpost(source, record, table)
    if adapter == "ngsp":
        return _ngsp(record, table)
    raise Unreadable(f"không có bộ đọc cho {adapter!r} / no reader for adapter {adapter!r}")
