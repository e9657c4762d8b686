"""``POST /webhooks/postal`` with bodies the sandbox signed, as VNPost would push them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink.models import Event, Leg, Quarantined
from postlink.sync.apply import SyncContext
from postlink.sync.pull import pull
from tests.postal.fixtures import SandboxHandle, WebhookReceiver

BATCH = 20


@pytest.fixture
def signed_bodies(sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver) -> list[bytes]:
    """One HMAC-signed body of 20 orders, captured from the sandbox."""
    orders = sandbox_server.control.truth()["orders"]
    references = [o["reference"] for o in orders if o["reference"] and o["item_code"]][:BATCH]
    sandbox_server.control.send_webhook(webhook_receiver.url, references=references, mode="hmac")
    return webhook_receiver.bodies


@pytest.fixture
def poster(sandbox_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(sandbox_app) as client:
        yield client


def _counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Leg)).one(),
            session.exec(select(func.count()).select_from(Event)).one(),
            session.exec(select(func.count()).select_from(Quarantined)).one(),
        )


def _legs_and_events(engine: Engine) -> list[tuple[str, str, int]]:
    """Each leg's reference, status and number of events."""
    with Session(engine) as session:
        rows = session.exec(
            select(Leg.reference, Leg.status, func.count(col(Event.id)))
            .outerjoin(Event, col(Event.leg_id) == col(Leg.id))
            .group_by(col(Leg.reference), col(Leg.status))
            .order_by(col(Leg.reference))
        ).all()
    return [tuple(row) for row in rows]


def test_signed_webhook_is_applied_with_history_and_replays_are_no_ops(
    poster: TestClient, signed_bodies: list[bytes], engine: Engine
) -> None:
    answer = poster.post("/webhooks/postal", content=signed_bodies[0])
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"accepted": BATCH, "quarantined": 0}
    legs, events, quarantined = _counts(engine)
    assert legs + quarantined == BATCH, "orders without our reference are kept for review"
    assert legs > BATCH // 2
    assert events > legs, "the tracking history came with the webhook"
    with Session(engine) as session:
        sources = set(session.exec(select(Event.source)).all())
    assert sources == {"webhook"}
    before = _legs_and_events(engine)
    assert poster.post("/webhooks/postal", content=signed_bodies[0]).status_code == 200
    assert _legs_and_events(engine) == before


def test_bad_signature_is_refused_and_changes_nothing(
    poster: TestClient, signed_bodies: list[bytes], engine: Engine
) -> None:
    body = json.loads(signed_bodies[0])
    body["signature"] = "bm90IHRoZSBwb3N0J3Mgc2lnbmF0dXJl"
    answer = poster.post("/webhooks/postal", content=json.dumps(body).encode())
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    body["signature"] = "not base64!"
    assert poster.post("/webhooks/postal", content=json.dumps(body)).status_code == 401
    assert _counts(engine) == (0, 0, 0)


@pytest.mark.parametrize("body", [b"<html>", b"[1]", b'{"data": [], "sendDate": "x"}'])
def test_malformed_body_is_400(poster: TestClient, engine: Engine, body: bytes) -> None:
    answer = poster.post("/webhooks/postal", content=body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "malformed_body"
    assert _counts(engine) == (0, 0, 0)


def test_webhook_left_to_the_poll_when_history_fails(
    poster: TestClient,
    signed_bodies: list[bytes],
    engine: Engine,
    sandbox_server: SandboxHandle,
    sandbox_ctx: SyncContext,
) -> None:
    """The post's history call fails: the webhook writes nothing, so the next poll still sees
    those orders as changed and fetches their history (nothing is hidden from it)."""
    sandbox_server.control.faults(rates={"server_error": 1.0})
    assert poster.post("/webhooks/postal", content=signed_bodies[0]).status_code == 200
    assert _counts(engine) == (0, 0, 0)
    sandbox_server.control.faults(rates={})
    counts: Counter[str] = Counter()
    pull(sandbox_ctx, counts)
    legs, events, _ = _counts(engine)
    assert counts["histories"] >= BATCH
    assert events > legs > BATCH
