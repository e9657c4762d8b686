"""The MyVNPost adapter: the operations postlink needs, over mapping.py and proxy.py.

Here live the decisions that are neither wire format nor HTTP: reconcile before creating,
how the change feed is walked (cursor.py), and which webhook bodies are trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from postlink import defaults
from postlink.postal.adapter import Clock
from postlink.postal.errors import (
    PostalError,
    PostalProtocolError,
    PostalRefused,
    PostalUnavailable,
)
from postlink.postal.http import HttpClient, HttpPolicy, OutcomeUnknown, Recorder
from postlink.postal.models import (
    CancelOutcome,
    CancelResult,
    Event,
    NormalizedStatus,
    Order,
    OrderRequest,
    Page,
    Quarantined,
)
from postlink.postal.myvnpost import cursor as feed_cursor
from postlink.postal.myvnpost import mapping
from postlink.postal.myvnpost.proxy import MyVNPostProxy, TokenLogin
from postlink.postal.signatures import Verifier, verifier_from_settings
from postlink.postal.statuses import StatusTable, load_status_table
from postlink.settings import Settings
from postlink.timeutil import utcnow

log = logging.getLogger("postlink.postal")


class MyVNPostAdapter:
    name = "myvnpost"

    def __init__(
        self,
        settings: Settings,
        recorder: Recorder,
        clock: Clock = utcnow,
        table: StatusTable | None = None,
    ) -> None:
        password = settings.postal_password.get_secret_value()
        self.http = HttpClient(
            adapter=self.name,
            base_url=settings.postal_base_url,
            policy=HttpPolicy.from_settings(settings),
            recorder=recorder,
            secrets=lambda: [password, *self.login.issued[-3:]],
        )
        self.login = TokenLogin(
            self.http, settings.postal_username, password, settings.postal_customer_code
        )
        self.proxy = MyVNPostProxy(self.http, self.login)
        self.customer_code = settings.postal_customer_code
        self.table = table or load_status_table(defaults.MYVNPOST_STATUS_FILE)
        self.clock = clock
        self.lookback_days = settings.postal_feed_lookback_days
        self.overlap_days = settings.postal_feed_overlap_days
        self.page_size = settings.postal_feed_page_size
        self.verifier: Verifier = verifier_from_settings(settings)

    def close(self) -> None:
        self.http.close()

    # --- Orders ----------------------------------------------------------------------------

    def find_order(self, reference: str) -> Order | None:
        """The order carrying ``reference`` as its saleOrderCode; a live one when several."""
        payload = self.proxy.get_order(mapping.get_order_params(reference))
        orders, bad = mapping.parse_get_order_response(payload, self.table)
        for item in bad:
            log.warning("getOrder %s: quarantined a record: %s", reference, item.reason)
        mine = [order for order in orders if order.reference == reference]
        live = [order for order in mine if order.status is not NormalizedStatus.CANCELLED]
        return next(iter(live or mine), None)

    def create_order(self, request: OrderRequest) -> Order:
        """Look the reference up, create only if absent, and never blindly retry (brief §4).

        A timeout, a 5xx or a cut answer may hide an order the post did create, so each
        ambiguous failure is followed by a lookup; only an order still absent is created
        again, at most POSTAL_CREATE_ATTEMPTS times. An error inside HTTP 200 ("system
        busy" and a real refusal look alike) is tried again the same way, and raised as
        PostalRefused when it persists. The first lookup also covers a daemon that died
        between sending an order and recording it.
        """
        body = mapping.create_order_request(request, self.customer_code)
        failure: PostalError | None = None
        for attempt in range(defaults.POSTAL_CREATE_ATTEMPTS):
            if attempt:
                self.http.pause(attempt)
            existing = self.find_order(request.reference)
            if existing is not None:
                return existing
            try:
                payload = self.proxy.create_order(body)
            except (OutcomeUnknown, PostalRefused) as exc:
                failure = exc
                continue
            record = mapping.created_order_record(payload)
            try:
                return mapping.parse_order(record, self.table)
            except mapping.RecordError as exc:
                raise PostalProtocolError(
                    f"CreateOrder {request.reference}: the post created the order but its "
                    f"answer is unreadable ({exc}); it will be found by reference next time"
                ) from None
        existing = self.find_order(request.reference)
        if existing is not None:
            return existing
        if isinstance(failure, PostalRefused):
            raise failure
        raise PostalUnavailable(
            f"CreateOrder {request.reference}: {defaults.POSTAL_CREATE_ATTEMPTS} attempts "
            f"failed ambiguously and the order is still absent; last: {failure}"
        )

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
            if again is not None and again.status is NormalizedStatus.CANCELLED:
                return CancelResult(CancelOutcome.ACCEPTED, order_id, result.code, result.message)
        return result

    # --- Feed and tracking -------------------------------------------------------------------

    def changes(self, cursor: str | None) -> Iterator[Page]:
        """One pass of GetListOrder over GUI then NHAN, as cursor.py explains.

        The next page is fetched while this one is parsed and applied (one page ahead, in
        one background thread), so reading the feed costs about what the post takes to
        answer; records repeated from the previous page are dropped.
        """
        today = self.clock().astimezone(mapping.VIETNAM).date()
        position = feed_cursor.begin(cursor, today, self.lookback_days)
        previous: set[tuple[str, str]] = set()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="postal-feed") as pool:
            pending = pool.submit(self._feed_page, position)
            while True:
                payload = pending.result()
                short = mapping.list_length(payload) < self.page_size
                following = feed_cursor.after_page(position, short, self.overlap_days)
                if following.to is not None:
                    pending = pool.submit(self._feed_page, following)
                orders, bad = mapping.parse_list_response(payload, self.table, position.feed)
                keys = {(order.order_id, order.raw_status) for order in orders}
                fresh = [o for o in orders if (o.order_id, o.raw_status) not in previous]
                previous = keys
                yield Page(orders=fresh, quarantined=bad, cursor=following.encode())
                if following.to is None:
                    return
                position = following

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

    def parse_webhook(
        self, headers: Mapping[str, str], body: bytes
    ) -> tuple[list[Order], list[Quarantined]]:
        """Verify the signature over the first record, then read every record (brief §1)."""
        records, signed, signature = mapping.read_webhook(body)
        self.verifier.verify(signed, signature)
        return mapping.parse_orders(records, self.table, "webhook")
