"""What every adapter holds: one HTTP session per account, the status table, the clock and
the feed settings, and secrets to keep out of the exchange log."""

from __future__ import annotations

import threading

from postlink import defaults
from postlink.postal.adapter import Clock
from postlink.postal.http import HttpClient, HttpPolicy, Recorder, TokenAuth
from postlink.postal.rate import cap_requests
from postlink.postal.retry import Waiter
from postlink.postal.statuses import StatusTable, load_status_table
from postlink.settings import Settings
from postlink.timeutil import utcnow


class AdapterBase:
    name: str
    login: TokenAuth

    def __init__(
        self,
        settings: Settings,
        recorder: Recorder,
        clock: Clock = utcnow,
        table: StatusTable | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        secret = self.account_secret(settings)
        self.http = HttpClient(
            adapter=self.name,
            base_url=settings.postal_base_url,
            policy=HttpPolicy.from_settings(settings),
            recorder=recorder,
            secrets=lambda: [secret, *self.login.issued[-3:]],
            waiter=Waiter(stop or threading.Event()),
        )
        cap_requests(self.http.session, settings.postal_max_rps)
        self.customer_code = settings.postal_customer_code
        # The gateway is assumed to relay VNPost's own codes (brief §2 names none).
        self.table = table or load_status_table(defaults.MYVNPOST_STATUS_FILE)
        self.clock = clock
        self.lookback_days = settings.postal_feed_lookback_days
        self.page_size = settings.postal_feed_page_size
        self.connect(settings, secret)

    def account_secret(self, settings: Settings) -> str:
        """The password or client secret: masked, with the last tokens issued, wherever it
        would appear in the exchange log."""
        raise NotImplementedError

    def connect(self, settings: Settings, secret: str) -> None:
        """Set ``login`` and the carrier's proxy over ``self.http``."""
        raise NotImplementedError

    def close(self) -> None:
        self.http.close()
