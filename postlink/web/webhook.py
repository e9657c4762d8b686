"""The post's status webhooks: a doorbell, not a witness (issue 11 §3).

What the signature proves: that whoever holds the post's key (RSA) or the shared secret
(HMAC) said, at ``sendDate``, that the *first* record's item has that status. It proves
nothing about the other records of the body (they are not signed: brief §1), nor that the
body is new. So the receiver

1. verifies the signature (401 when it fails), reads ``sendDate`` (Vietnam time) and refuses
   a body sent more than ``POSTLINK_POSTAL_WEBHOOK_MAX_AGE_MINUTES`` ago or more than
   ``…_MAX_AHEAD_MINUTES`` ahead (400 ``stale_webhook``);
2. records the SHA-256 of the signature in ``webhook_receipt`` for as long as the body
   could pass step 1, and refuses one seen before (409 ``replayed_webhook``);
3. answers 202 at once, then treats the signed item as a hint only: it asks the post's API
   for that item's order and tracking history and applies what the API says through
   ``legs.ingest``, the steps of a feed page. Unsigned records are counted and dropped.

What the API fetch proves: the order and its history as the post holds them now, over
TLS to the configured base URL with postlink's own credentials. A webhook can therefore
only make postlink look sooner at what the next poll would read anyway; an item the API
does not know is quarantined with that reason and nothing is created. Why inline and not
queued for the worker: one getOrder and one history call take tens of milliseconds, and
the change must be visible within seconds (the worker runs every minute); the calls run
after the answer, one webhook at a time, within the postal retry budget, and a failure
leaves the item to the next poll (the pull reads every change anyway).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import delete

from postlink.db import session_scope
from postlink.legs.ingest import ingest
from postlink.models import WebhookReceipt
from postlink.postal.errors import PostalError, WebhookRejected
from postlink.postal.models import Quarantined, WebhookHint
from postlink.upsert import insert_for
from postlink.web.state import WebState
from postlink.words import LANGUAGES, log_line, say_in

log = logging.getLogger("postlink.webhook")

SOURCE = "webhook"
RECEIPTS = WebhookReceipt.__table__  # type: ignore[attr-defined]


class WebhookStale(WebhookRejected):
    """``sendDate`` lies outside the freshness window."""


class WebhookReplayed(WebhookRejected):
    """This signature was accepted before: the body is a replay."""


def _signature_bytes(signature: str) -> bytes:
    """The signature's bytes, not its text: base64 lets the same signature be spelt several
    ways (unused trailing bits), each of which verifies, so keying replays on the text would
    let a respelt replay in. A signature that is no base64 (verification off) keys as text."""
    try:
        return base64.b64decode(signature, validate=True)
    except ValueError:
        return signature.encode()


def admit(web: WebState, headers: Mapping[str, str], body: bytes) -> WebhookHint:
    """Steps 1 and 2 above; raises ``WebhookRejected`` (or a subclass) to refuse the body."""
    settings = web.settings
    hint = web.ctx.adapter.parse_webhook(headers, body)
    now = web.ctx.adapter.clock()
    max_age = timedelta(minutes=settings.postal_webhook_max_age_minutes)
    max_ahead = timedelta(minutes=settings.postal_webhook_max_ahead_minutes)
    if hint.sent_at < now - max_age:
        minutes = settings.postal_webhook_max_age_minutes
        raise WebhookStale(
            code="webhook.stale", sent=f"{hint.sent_at:%d/%m/%Y %H:%M:%S}", minutes=minutes
        )
    if hint.sent_at > now + max_ahead:
        minutes = settings.postal_webhook_max_ahead_minutes
        raise WebhookStale(
            code="webhook.ahead", sent=f"{hint.sent_at:%d/%m/%Y %H:%M:%S}", minutes=minutes
        )
    key = hashlib.sha256(_signature_bytes(hint.signature)).hexdigest()
    with session_scope(web.engine) as session:
        connection = session.connection()
        connection.execute(delete(RECEIPTS).where(RECEIPTS.c.expires_at < now))
        inserted = connection.execute(
            insert_for(connection, RECEIPTS)
            .on_conflict_do_nothing(index_elements=[RECEIPTS.c.signature_sha256])
            .returning(RECEIPTS.c.signature_sha256),
            {
                "signature_sha256": key,
                "sent_at": hint.sent_at,
                "received_at": now,
                "expires_at": hint.sent_at + max_age,
            },
        )
        if inserted.first() is None:  # rowcount is not reliable here on psycopg
            raise WebhookReplayed(code="webhook.replayed")
    return hint


def ring(web: WebState, hint: WebhookHint) -> Counter[str]:
    """Step 3: look the signed items up at the post and apply what it says."""
    ctx = web.ctx
    with web.webhook_lock:
        try:
            orders, unknown = [], []
            for item in hint.item_codes:
                order = ctx.adapter.order_by_item(item)
                if order is not None:
                    orders.append(order)
                    continue
                # Stored once for every reader, as other quarantine reasons are: the
                # Vietnamese sentence, then the English one (templating.vietnamese_part).
                reason = " — ".join(
                    say_in(lang, "webhook.unknown_item", item=item) for lang in LANGUAGES
                )
                raw = json.dumps({"itemCode": item, "sendDate": f"{hint.sent_at:%Y%m%d%H%M%S}"})
                unknown.append(Quarantined(source=SOURCE, reason=reason, raw=raw))
            counts = ingest(ctx, orders, unknown, source=SOURCE)
        except PostalError as exc:
            log.warning(
                log_line("log.webhook.deferred", items=",".join(hint.item_codes), error=exc)
            )
            return Counter(deferred=len(hint.item_codes))
    counts["unsigned_ignored"] += hint.unsigned
    log.info(log_line("log.webhook.applied", **dict(sorted(counts.items()))))
    return counts
