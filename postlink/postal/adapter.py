"""The one interface the sync daemon calls, whatever the carrier (issue 4).

Adding a carrier means one folder under ``postlink/postal/`` with a pure ``mapping`` module,
a thin ``proxy`` and an adapter class satisfying ``PostalAdapter``, plus one line in
``get_adapter``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Protocol

from postlink.postal.http import Recorder
from postlink.postal.models import (
    CancelResult,
    Event,
    Order,
    OrderRequest,
    Page,
    Quarantined,
    WebhookHint,
)
from postlink.postal.statuses import StatusTable
from postlink.settings import PostalAdapterName, Settings
from postlink.timeutil import utcnow

Clock = Callable[[], datetime]


class PostalAdapter(Protocol):
    """What postlink does with a postal service. Business refusals and unreadable records are
    values; ``PostalError`` subclasses mean no usable answer (see ``postal.errors``)."""

    name: str
    #: Raw codes → normalised statuses (their meaning is on ``LegStatus``).
    table: StatusTable
    #: Now, as the feed window and the webhook's freshness check see it.
    clock: Clock

    def create_order(self, request: OrderRequest) -> Order:
        """Create the order unless one with its reference exists (reconcile, then create)."""
        ...

    def find_order(self, reference: str) -> Order | None: ...

    def order_by_item(self, item_code: str) -> Order | None:
        """The order carrying the waybill number ``item_code``, as the post holds it now."""
        ...

    def changes(self, cursor: str | None) -> Iterator[Page]:
        """Orders changed since ``cursor`` (None: since the configured lookback), page by
        page; persist each page's cursor once the page is applied."""
        ...

    def history(self, item_code: str) -> tuple[list[Event], list[Quarantined]]: ...

    def cancel(self, order: str) -> CancelResult:
        """Cancel by the post's order id or by our reference."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookHint:
        """Verify a webhook and return what its signature covers; raises WebhookRejected
        (WebhookSignatureInvalid) on a malformed body (a bad signature)."""
        ...

    def close(self) -> None: ...


def get_adapter(
    settings: Settings,
    recorder: Recorder,
    clock: Clock = utcnow,
    stop: threading.Event | None = None,
) -> PostalAdapter:
    """The adapter ``POSTLINK_POSTAL_ADAPTER`` names; ``clock`` decides today's feed window;
    ``stop`` (the worker's stop flag) ends retries at once and starts no new call."""
    if settings.postal_adapter is PostalAdapterName.MYVNPOST:
        from postlink.postal.myvnpost.adapter import MyVNPostAdapter

        return MyVNPostAdapter(settings, recorder, clock, stop=stop)
    from postlink.postal.ngsp.adapter import NgspAdapter

    return NgspAdapter(settings, recorder, clock, stop=stop)
