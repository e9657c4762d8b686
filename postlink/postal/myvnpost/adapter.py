"""The MyVNPost adapter: the operations postlink needs, over mapping.py and proxy.py.

Here live the decisions that are neither wire format nor HTTP: reconcile before creating,
how the change feed is walked (cursor.py), and which webhook bodies are trusted.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from postlink import defaults
from postlink.legs.status import LegStatus
from postlink.postal.base import AdapterBase
from postlink.postal.errors import PostalProtocolError
from postlink.postal.fields import RecordError
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
from postlink.postal.myvnpost import cursor as feed_cursor
from postlink.postal.myvnpost import mapping
from postlink.postal.myvnpost.proxy import MyVNPostProxy, TokenLogin
from postlink.postal.reconcile import reconcile_then_create
from postlink.postal.signatures import Verifier, verifier_from_settings
from postlink.settings import Settings
from postlink.words import log_line

log = logging.getLogger("postlink.postal")

#: A feed page as the post answered it, where it was read and the position after it.
FeedPage = tuple[feed_cursor.FeedCursor, Any, feed_cursor.FeedCursor]


class MyVNPostAdapter(AdapterBase):
    name = "myvnpost"

    def account_secret(self, settings: Settings) -> str:
        return settings.postal_password.get_secret_value()

    def connect(self, settings: Settings, secret: str) -> None:
        self.login = TokenLogin(
            self.http, settings.postal_username, secret, settings.postal_customer_code
        )
        self.proxy = MyVNPostProxy(self.http, self.login)
        self.overlap_days = settings.postal_feed_overlap_days
        self.verifier: Verifier = verifier_from_settings(settings)
        self.read_before = mapping.ReadBefore(defaults.POSTAL_FEED_RECORDS_KEPT)

    # --- Orders ----------------------------------------------------------------------------

    def find_order(self, reference: str) -> Order | None:
        """The order carrying ``reference`` as its saleOrderCode; a live one when several."""
        return self._get_order(mapping.get_order_params(reference), lambda o: o.reference)

    def order_by_item(self, item_code: str) -> Order | None:
        """The order carrying the waybill ``item_code``; a live one when several."""
        return self._get_order(mapping.item_order_params(item_code), lambda o: o.item_code)

    def _get_order(
        self, params: dict[str, str | int], key: Callable[[Order], str | None]
    ) -> Order | None:
        """getOrder by ``params``; of the orders whose ``key`` is the code asked for, a live
        one first (a cancelled order and its re-creation share a reference).

        A record the post returns for it that cannot be read may be that very order: rather
        than answer "absent" and let the caller create it a second time, that is an error.
        """
        code = params["code"]
        orders, bad = mapping.parse_get_order_response(self.proxy.get_order(params), self.table)
        for item in bad:
            log.warning(
                log_line(
                    "log.postal.quarantined", operation="getOrder", code=code, reason=item.reason
                )
            )
        mine = [order for order in orders if key(order) == code]
        if not mine and bad:
            raise PostalProtocolError(
                code="postal.protocol.lookup_unreadable", reference=code, reason=bad[0].reason
            )
        live = [order for order in mine if order.status is not LegStatus.CANCELLED]
        return next(iter(live or mine), None)

    def create_order(self, request: OrderRequest) -> Order:
        """Look the reference up, create only if absent, never blindly retry (reconcile.py)."""
        body = mapping.create_order_request(request, self.customer_code)

        def create() -> Order:
            record = mapping.created_order_record(self.proxy.create_order(body))
            try:
                return mapping.parse_order(record, self.table)
            except RecordError as exc:
                raise PostalProtocolError(
                    code="postal.protocol.created_unreadable",
                    reference=request.reference,
                    reason=str(exc),
                ) from None

        return reconcile_then_create(request.reference, self.find_order, create, self.http.pause)

    def cancel(self, order: str) -> CancelResult:
        """Cancel by reference or by the post's id. A refusal of an order that is in fact
        cancelled (our first try went through unseen) is reported as accepted."""
        found = self.find_order(order)
        order_id = found.order_id if found is not None else order
        result = mapping.parse_cancel_response(
            self.proxy.cancel_order(mapping.cancel_request(order_id)), order_id
        )
        if result.outcome is CancelOutcome.REFUSED and found is not None:
            again = self.find_order(found.reference)
            if again is not None and again.status is LegStatus.CANCELLED:
                return CancelResult(CancelOutcome.ACCEPTED, order_id, result.code, result.message)
        return result

    # --- Feed and tracking -------------------------------------------------------------------

    def changes(self, cursor: str | None) -> Iterator[Page]:
        """One pass of GetListOrder over GUI then NHAN, as cursor.py explains.

        Pages are fetched by a background thread (``_pages``) while earlier ones are parsed
        and applied, so reading the feed costs about what the post takes to answer. Records
        repeated from the previous page are dropped; a record equal to one read before (the
        overlap window's, read again on every poll) is not read again (``ReadBefore``).
        """
        today = self.clock().astimezone(mapping.VIETNAM).date()
        self.read_before.keep_from = datetime.combine(
            today - timedelta(days=self.overlap_days), time(0), mapping.VIETNAM
        )  # where the next pass starts (cursor.after_page)
        previous: set[tuple[str, str]] = set()
        for position, payload, following in self._pages(
            feed_cursor.begin(cursor, today, self.lookback_days)
        ):
            orders, bad = mapping.parse_list_response(
                payload, self.table, position.feed, self.read_before
            )
            keys = {(order.order_id, order.raw_status) for order in orders}
            fresh = [o for o in orders if (o.order_id, o.raw_status) not in previous]
            previous = keys
            yield Page(orders=fresh, quarantined=bad, cursor=following.encode())

    def _pages(self, start: feed_cursor.FeedCursor) -> Iterator[FeedPage]:
        """The pass's pages in order, each with the position after it.

        A background thread asks for each page as soon as the one before it has come back,
        never earlier: cursor.py's no-skip argument needs every page answered before the next
        is asked for (a record entering the window then pushes one onto a page not yet read,
        to be read twice, rather than onto one already read). Up to
        ``POSTAL_FEED_PAGES_AHEAD`` pages wait to be read, so memory stays flat. An error is
        raised here, in the reader, and a reader that stops early stops the thread.
        """
        ready: queue.Queue[FeedPage | BaseException] = queue.Queue(
            maxsize=defaults.POSTAL_FEED_PAGES_AHEAD
        )
        stop = threading.Event()

        def hand_over(item: FeedPage | BaseException) -> None:
            while not stop.is_set():
                try:
                    ready.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue

        def fetch() -> None:
            position = start
            try:
                while not stop.is_set():
                    payload = self._feed_page(position)
                    short = mapping.list_length(payload) < self.page_size
                    following = feed_cursor.after_page(position, short, self.overlap_days)
                    hand_over((position, payload, following))
                    if following.to is None:
                        return
                    position = following
            except BaseException as exc:  # handed to the reader, who raises it
                hand_over(exc)

        fetcher = threading.Thread(target=fetch, name="postal-feed", daemon=True)
        fetcher.start()
        try:
            while True:
                item = ready.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if item[2].to is None:
                    return
        finally:
            stop.set()
            fetcher.join()

    def _feed_page(self, position: feed_cursor.FeedCursor) -> Any:
        assert position.to is not None
        params = mapping.list_order_params(
            f"{position.start:%d-%m-%Y}",
            f"{position.to:%d-%m-%Y}",
            position.feed,
            position.page,
            self.page_size,
        )
        return self.proxy.get_list_order(params)

    def history(self, item_code: str) -> tuple[list[Event], list[Quarantined]]:
        payload = self.proxy.get_status_history(mapping.history_params(item_code))
        return mapping.parse_history_response(payload, item_code, self.table)

    # --- Webhook -------------------------------------------------------------------------------

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookHint:
        """Verify the signature, which covers ``sendDate`` and the first record's item code
        and status (brief §1), and name that item only: the other records are not signed,
        so they are counted and nothing of them is used, not even as a hint."""
        records, send_date, signature = mapping.read_webhook(body)
        self.verifier.verify(mapping.webhook_signed_text(send_date, records[0]), signature)
        item = str(records[0].get("itemCode") or "").strip()
        return WebhookHint(
            sent_at=mapping.parse_send_date(send_date),
            signature=signature,
            item_codes=(item,) if item else (),
            unsigned=len(records) - 1,
        )
