"""The national gateway adapter: the PostalAdapter operations over ngsp/mapping and proxy.

The feed is one persisted cursor, the ``$oid`` of the last document read (brief §2: the
platform that re-scanned the whole feed every 12 hours is what not to do). Without a
cursor the first pass reads events of the last POSTLINK_POSTAL_FEED_LOOKBACK_DAYS. The
gateway has no cancellation and sends no webhooks: ``cancel`` answers a refusal and
``parse_webhook`` rejects, both saying so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from postlink.postal.base import AdapterBase
from postlink.postal.errors import PostalError, WebhookRejected
from postlink.postal.models import (
    CancelOutcome,
    CancelResult,
    Event,
    Order,
    OrderRequest,
    Page,
    Quarantined,
    WebhookHint,
)
from postlink.postal.ngsp import mapping
from postlink.postal.ngsp.proxy import BearerLogin, NgspProxy
from postlink.postal.reconcile import reconcile_then_create
from postlink.settings import Settings

CURSOR_PREFIX = "ngsp:v1:"
#: Documents per lookup of one order or item (its whole history fits in one page).
LOOKUP_SIZE = 1000


class NgspAdapter(AdapterBase):
    name = "ngsp"

    def account_secret(self, settings: Settings) -> str:
        return settings.postal_client_secret.get_secret_value()

    def connect(self, settings: Settings, secret: str) -> None:
        self.login = BearerLogin(self.http, settings.postal_client_id, secret)
        self.proxy = NgspProxy(self.http, self.login)

    def _lookup(self, where: dict[str, Any]) -> tuple[list[Order], list[tuple[Event, Any]]]:
        docs = mapping.documents(self.proxy.tracking(LOOKUP_SIZE, None, where))
        read, _ = mapping.parse_events(docs, self.table, "lookup")
        orders, _ = mapping.latest_orders(read, self.table)
        return orders, read

    def find_order(self, reference: str) -> Order | None:
        orders, _ = self._lookup({"OrderNumber": reference})
        return next((order for order in orders if order.reference == reference), None)

    def create_order(self, request: OrderRequest) -> Order:
        """Reconcile, then create (reconcile.py); the gateway answers only a status, so the
        new order is read back from the feed."""
        body = mapping.create_order_request(request, self.customer_code)

        def create() -> Order | None:
            self.proxy.create_order(body)
            return self.find_order(request.reference)

        return reconcile_then_create(request.reference, self.find_order, create, self.http.pause)

    def cancel(self, order: str) -> CancelResult:
        return CancelResult(
            CancelOutcome.REFUSED,
            order,
            "unsupported",
            "the national gateway has no cancellation; cancel at the post office",
        )

    def history(self, item_code: str) -> tuple[list[Event], list[Quarantined]]:
        docs = mapping.documents(self.proxy.tracking(LOOKUP_SIZE, None, {"ItemCode": item_code}))
        read, bad = mapping.parse_events(docs, self.table, f"history {item_code}")
        events = sorted({event for event, _ in read}, key=lambda event: event.occurred_at)
        return events, bad

    def changes(self, cursor: str | None) -> Iterator[Page]:
        """Documents after the cursor, page by page; each page's orders are the latest state
        of the items it mentions (an item seen only through a money event is looked up)."""
        where: dict[str, Any] | None = None
        last_id: str | None = None
        if cursor is None:
            since = self.clock() - timedelta(days=self.lookback_days)
            where = {"EventTime": {"$gte": int(since.timestamp() * 1000)}}
        elif cursor.startswith(CURSOR_PREFIX):
            last_id = cursor.removeprefix(CURSOR_PREFIX) or None
        else:
            raise PostalError(f"{cursor!r} is not an NGSP feed cursor; clear the stored cursor")
        while True:
            docs = mapping.documents(self.proxy.tracking(self.page_size, last_id, where))
            count = len(docs)
            if last_id is not None:  # documents re-sent from before the cursor were read
                docs = [d for d in docs if (mapping.document_id(d) or "~") > last_id]
            ids = [oid for oid in map(mapping.document_id, docs) if oid is not None]
            if ids:
                last_id = max([*ids, last_id or ""])
            read, bad = mapping.parse_events(docs, self.table, "tracking")
            orders, money_only = mapping.latest_orders(read, self.table)
            for item in money_only:
                found, _ = self._lookup({"ItemCode": item})
                orders += found
            yield Page(orders=orders, quarantined=bad, cursor=CURSOR_PREFIX + (last_id or ""))
            if count < self.page_size:
                return

    def order_by_item(self, item_code: str) -> Order | None:
        orders, _ = self._lookup({"ItemCode": item_code})
        return next((order for order in orders if order.item_code == item_code), None)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookHint:
        raise WebhookRejected(code="webhook.ngsp")
