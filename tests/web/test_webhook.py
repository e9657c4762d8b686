"""``POST /webhooks/postal`` against bodies the sandbox signed, as VNPost would push them, and
against forgeries made from them (issue 11 §3: a webhook is a doorbell, not a witness).

Every refusal and every forgery must leave the database exactly as it was; a genuine webhook
must make the post's truth visible. Bodies the tests sign themselves are signed from the
spec (``"MYVNP" + sendDate + itemCode + status``, HMAC-SHA256, base64) with the standard
library, not with postlink's signer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
import string
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from postlink.legs.apply import SyncContext
from postlink.models import Dossier, Event, Leg, Quarantined
from postlink.settings import get_settings
from postlink.sync.pull import pull
from postlink.web.server import BackgroundServer, free_port
from tests.postal.fixtures import SandboxHandle, SteppedWaiter, WebhookReceiver

VIETNAM = timezone(timedelta(hours=7))
SECRET = b"sandbox"
INVENTED_DOSSIER = "000.00.31.H14-260112-0999"
Capture = Callable[[str], bytes]


@pytest.fixture
def poster(sandbox_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(sandbox_app) as client:
        yield client


@pytest.fixture
def truth(sandbox_server: SandboxHandle) -> list[dict[str, Any]]:
    """The sandbox's orders that carry our reference (``<dossier>-P1``/``-R1``) and a
    waybill number."""
    orders = sandbox_server.control.truth()["orders"]
    return [o for o in orders if o["reference"][-3:] in ("-P1", "-R1") and o["item_code"]]


@pytest.fixture
def capture(sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver) -> Capture:
    """The HMAC-signed body the sandbox pushes for one reference."""

    def run(reference: str) -> bytes:
        before = len(webhook_receiver.bodies)
        sandbox_server.control.send_webhook(
            webhook_receiver.url, references=[reference], mode="hmac"
        )
        assert len(webhook_receiver.bodies) == before + 1
        return webhook_receiver.bodies[-1]

    return run


def _signed(records: list[dict[str, Any]], sent: datetime) -> bytes:
    """A body signed as the spec says, by the test itself."""
    send_date = f"{sent.astimezone(VIETNAM):%Y%m%d%H%M%S}"
    text = f"MYVNP{send_date}{records[0]['itemCode']}{records[0]['status']}".encode()
    signature = base64.b64encode(hmac.new(SECRET, text, hashlib.sha256).digest()).decode()
    return json.dumps({"data": records, "sendDate": send_date, "signature": signature}).encode()


def _state(engine: Engine) -> dict[str, Any]:
    """Everything a webhook could change: legs, their events, dossiers, quarantine."""
    with Session(engine) as session:
        legs = session.exec(
            select(Leg.reference, Leg.status, Leg.raw_status, Leg.closed_at, Leg.updated_at)
        ).all()
        dossiers = session.exec(select(Dossier.code, Dossier.citizen_name)).all()
        events = session.exec(select(Event.leg_id, Event.raw_code, Event.occurred_at)).all()
        quarantined = session.exec(select(Quarantined.reason)).all()
    return {
        "legs": sorted(map(tuple, legs)),
        "dossiers": sorted(map(tuple, dossiers)),
        "events": sorted(map(tuple, events)),
        "quarantined": sorted(quarantined),
    }


def _leg(engine: Engine, reference: str) -> Leg | None:
    with Session(engine) as session:
        return session.exec(select(Leg).where(Leg.reference == reference)).first()


def test_a_genuine_webhook_makes_the_posts_truth_visible(
    poster: TestClient, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    order = truth[7]
    answer = poster.post("/webhooks/postal", content=capture(order["reference"]))
    assert answer.status_code == 202, answer.text
    assert answer.json() == {"accepted": 1, "unsigned_ignored": 0}
    leg = _leg(engine, order["reference"])
    assert leg is not None
    assert leg.raw_status == order["status"]
    assert leg.item_code == order["item_code"]
    with Session(engine) as session:
        codes = session.exec(
            select(Event.raw_code, Event.source).where(Event.leg_id == leg.id)
        ).all()
    assert sorted(c for c, _ in codes) == sorted(e["code"] for e in order["events"])
    assert {source for _, source in codes} == {"webhook"}


def _in_transit_return(truth: list[dict[str, Any]]) -> dict[str, Any]:
    """A result leg on its way to the citizen (in transit, not delivered)."""
    return next(o for o in truth if o["reference"].endswith("-R1") and o["status"] == "10")


def test_appended_record_forgery_changes_nothing(
    poster: TestClient,
    capture: Capture,
    truth: list[dict[str, Any]],
    engine: Engine,
    sandbox_ctx: SyncContext,
) -> None:
    """The attack of issue 11 §3: a genuine first record and its signature, then a record
    closing another dossier's result leg as delivered and one inventing a dossier."""
    pull(sandbox_ctx, Counter())
    victim = _in_transit_return(truth)
    genuine = json.loads(capture(truth[3]["reference"]))
    delivered = {**genuine["data"][0], "status": 14, "itemCode": victim["item_code"]}
    delivered["saleOrderCode"] = victim["reference"]
    invented = {
        **genuine["data"][0],
        "orderHdrId": "5d0c1e2a-0000-4000-8000-000000000999",
        "itemCode": "EZ999999995VN",
        "saleOrderCode": f"{INVENTED_DOSSIER}-P1",
        "senderName": "Nguyễn Văn Bịa",
        "senderPhone": "0912345678",
        "status": 7,
    }
    forged = {**genuine, "data": [genuine["data"][0], delivered, invented]}
    before = _state(engine)
    victim_before = _leg(engine, victim["reference"])
    assert victim_before is not None
    assert victim_before.closed_at is None

    answer = poster.post("/webhooks/postal", content=json.dumps(forged).encode())
    assert answer.status_code == 202, answer.text
    assert answer.json() == {"accepted": 1, "unsigned_ignored": 2}
    assert _state(engine) == before
    victim_after = _leg(engine, victim["reference"])
    assert victim_after is not None
    assert victim_after.status == victim_before.status
    assert victim_after.closed_at is None
    with Session(engine) as session:
        assert session.exec(select(Dossier).where(Dossier.code == INVENTED_DOSSIER)).first() is None
    again = poster.post("/webhooks/postal", content=json.dumps(forged).encode())
    assert again.status_code == 409
    assert _state(engine) == before


def test_an_exact_replay_is_refused_and_changes_nothing(
    poster: TestClient, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    body = capture(truth[5]["reference"])
    assert poster.post("/webhooks/postal", content=body).status_code == 202
    after_first = _state(engine)
    assert after_first["legs"], "the genuine one was applied"
    replay = poster.post("/webhooks/postal", content=body)
    assert replay.status_code == 409
    assert replay.json()["code"] == "replayed_webhook"
    assert _state(engine) == after_first


def test_a_replay_with_the_signature_spelt_another_way_is_refused(
    poster: TestClient, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    """Base64 leaves the last digit's low bits unused: the same signature bytes, spelt
    differently, must count as the same webhook."""
    body = capture(truth[5]["reference"])
    assert poster.post("/webhooks/postal", content=body).status_code == 202
    after_first = _state(engine)
    message = json.loads(body)
    signature: str = message["signature"]
    digits = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
    stem = signature.rstrip("=")
    respelt = stem[:-1] + digits[digits.index(stem[-1]) ^ 1] + signature[len(stem) :]
    assert respelt != signature
    assert base64.b64decode(respelt) == base64.b64decode(signature)
    message["signature"] = respelt
    replay = poster.post("/webhooks/postal", content=json.dumps(message).encode())
    assert replay.status_code == 409
    assert _state(engine) == after_first


def test_a_stale_send_date_is_refused_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    poster: TestClient,
    capture: Capture,
    truth: list[dict[str, Any]],
    engine: Engine,
    sandbox_server: SandboxHandle,
) -> None:
    body = capture(truth[5]["reference"])
    sandbox_server.control.advance(minutes=11)
    answer = poster.post("/webhooks/postal", content=body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "stale_webhook"
    assert answer.json()["message"].startswith("Webhook không còn hiệu lực: sendDate ")
    assert "POSTLINK_POSTAL_WEBHOOK_MAX_AGE_MINUTES" in answer.json()["message"]
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")  # issue 14 §1.2: both languages
    get_settings.cache_clear()
    english = poster.post("/webhooks/postal", content=body).json()
    assert english["code"] == "stale_webhook"
    assert english["message"].startswith("The webhook is no longer valid: sendDate ")
    assert "is more than 10 minutes old" in english["message"]
    assert (
        _state(engine)
        == _state(engine)
        == {
            "legs": [],
            "dossiers": [],
            "events": [],
            "quarantined": [],
        }
    )


@pytest.mark.parametrize(
    ("ahead", "accepted"), [(timedelta(minutes=5), False), (timedelta(minutes=1), True)]
)
def test_a_send_date_from_the_future_is_refused_beyond_the_skew(
    poster: TestClient,
    capture: Capture,
    truth: list[dict[str, Any]],
    engine: Engine,
    sandbox_server: SandboxHandle,
    ahead: timedelta,
    accepted: bool,
) -> None:
    record = json.loads(capture(truth[5]["reference"]))["data"][0]
    body = _signed([record], sandbox_server.control.now() + ahead)
    answer = poster.post("/webhooks/postal", content=body)
    assert answer.status_code == (202 if accepted else 400), answer.text
    assert bool(_state(engine)["legs"]) is accepted


def test_a_body_signed_for_another_item_is_refused(
    poster: TestClient, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    one = json.loads(capture(truth[2]["reference"]))
    other = json.loads(capture(truth[9]["reference"]))
    swapped = {**one, "data": other["data"]}
    answer = poster.post("/webhooks/postal", content=json.dumps(swapped).encode())
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    assert _state(engine)["legs"] == []


def test_an_item_the_post_does_not_know_is_quarantined_never_created(
    poster: TestClient,
    capture: Capture,
    truth: list[dict[str, Any]],
    engine: Engine,
    sandbox_server: SandboxHandle,
) -> None:
    """Even a correctly signed record (a leaked secret, a post-side mistake) only names an
    item: the API is asked, and an item it does not know creates nothing."""
    record = json.loads(capture(truth[2]["reference"]))["data"][0]
    record = {**record, "itemCode": "EZ999999995VN", "saleOrderCode": f"{INVENTED_DOSSIER}-P1"}
    answer = poster.post(
        "/webhooks/postal", content=_signed([record], sandbox_server.control.now())
    )
    assert answer.status_code == 202, answer.text
    state = _state(engine)
    assert state["legs"] == []
    assert state["dossiers"] == []
    assert len(state["quarantined"]) == 1
    assert "không biết bưu gửi EZ999999995VN" in state["quarantined"][0]
    assert "does not know item EZ999999995VN" in state["quarantined"][0]


def test_bad_signature_is_refused_and_changes_nothing(
    poster: TestClient, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    body = json.loads(capture(truth[2]["reference"]))
    body["signature"] = "bm90IHRoZSBwb3N0J3Mgc2lnbmF0dXJl"
    answer = poster.post("/webhooks/postal", content=json.dumps(body).encode())
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    body["signature"] = "not base64!"
    assert poster.post("/webhooks/postal", content=json.dumps(body)).status_code == 401
    assert _state(engine)["legs"] == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html>",
        b"[1]",
        b'{"data": [], "sendDate": "x"}',
        b'{"data": [{"itemCode": "EB1"}], "sendDate": "yesterday", "signature": "eA=="}',
    ],
)
def test_malformed_body_is_400(poster: TestClient, engine: Engine, body: bytes) -> None:
    answer = poster.post("/webhooks/postal", content=body)
    assert answer.status_code in (400, 401)
    assert answer.json()["code"] in ("malformed_body", "bad_signature")
    assert _state(engine)["legs"] == []


def test_an_oversized_body_is_413(poster: TestClient) -> None:
    answer = poster.post("/webhooks/postal", content=b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert answer.status_code == 413


def test_webhook_left_to_the_poll_when_the_post_fails(
    poster: TestClient,
    capture: Capture,
    truth: list[dict[str, Any]],
    engine: Engine,
    sandbox_server: SandboxHandle,
    sandbox_ctx: SyncContext,
) -> None:
    """The post's API fails: the webhook writes nothing, and the next poll reads it all.

    The retry budget is spent on a clock that moves by the waits alone, so the failure comes
    at once without a budget so small that a slow answer would pass for an outage."""
    sandbox_ctx.adapter.http.waiter = SteppedWaiter()  # type: ignore[attr-defined]
    body = capture(truth[4]["reference"])
    sandbox_server.control.faults(rates={"server_error": 1.0})
    assert poster.post("/webhooks/postal", content=body).status_code == 202
    assert _state(engine)["legs"] == []
    sandbox_server.control.faults(rates={})
    counts: Counter[str] = Counter()
    pull(sandbox_ctx, counts)
    assert _leg(engine, truth[4]["reference"]) is not None
    assert counts["histories"] >= 1


@contextmanager
def _webhook_receipts_locked(engine: Engine) -> Iterator[None]:
    """Another writer holding the receipts table, as a slow or busy database would: the
    webhook's replay receipt waits for it, readers do not."""
    if engine.dialect.name == "sqlite":
        holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock; WAL readers go on reading
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    with engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE webhook_receipt IN EXCLUSIVE MODE"))
        yield


def test_a_slow_receipt_write_does_not_stall_the_other_requests(
    sandbox_app: FastAPI, capture: Capture, truth: list[dict[str, Any]], engine: Engine
) -> None:
    """The receipt is written off the event loop: while it waits for the database, the
    server still answers the console (review finding: the async route blocked the loop)."""
    body = capture(truth[2]["reference"])
    server = BackgroundServer(sandbox_app, "127.0.0.1", free_port()).start()
    answers: list[int] = []
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            with _webhook_receipts_locked(engine):
                pushed = threading.Thread(
                    target=lambda: answers.append(
                        client.post("/webhooks/postal", content=body).status_code
                    )
                )
                pushed.start()
                time.sleep(0.3)  # the webhook is now waiting for the lock
                assert pushed.is_alive(), answers
                started = time.monotonic()
                page = client.get("/login", timeout=3)
                elapsed = time.monotonic() - started
                assert answers == [], "the webhook did not wait for the lock"
            pushed.join(timeout=15)
    finally:
        server.stop()
    assert page.status_code == 200
    assert elapsed < 1.5, f"the login page waited {elapsed:.1f} s behind the webhook"
    assert answers == [202]
