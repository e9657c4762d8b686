"""Webhooks pushed by the sandbox over HTTP, verified and read by the adapter (brief §1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postlink.postal.errors import WebhookRejected
from tests.postal.fixtures import SandboxHandle, WebhookReceiver


def _push(sandbox: SandboxHandle, receiver: WebhookReceiver, mode: str) -> list[str]:
    references = [o["reference"] for o in sandbox.control.truth()["orders"][:60] if o["reference"]]
    answer = sandbox.control.send_webhook(receiver.url, references=references, mode=mode)
    assert answer["statuses"] == [204, 204], "60 orders go in two signed batches of 50"
    return references


def test_rsa_signed_webhook_is_accepted(
    sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver, tmp_path: Path
) -> None:
    key = tmp_path / "vnpost.pem"
    key.write_bytes(sandbox_server.control.public_key())
    adapter = sandbox_server.adapter(POSTLINK_POSTAL_WEBHOOK_PUBLIC_KEY=str(key))
    references = _push(sandbox_server, webhook_receiver, "rsa")
    items = {o["reference"]: o["item_code"] for o in sandbox_server.control.truth()["orders"]}
    hints = [
        adapter.parse_webhook({"Content-Type": "application/json"}, body)
        for body in webhook_receiver.bodies
    ]
    second = json.loads(webhook_receiver.bodies[1])["data"]
    assert hints[0].item_codes == (items[references[0]],)
    assert hints[1].item_codes == (second[0]["itemCode"],)
    assert [hint.unsigned for hint in hints] == [49, len(second) - 1], "only the first is signed"


def test_hmac_signed_webhook_is_accepted(
    sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver
) -> None:
    adapter = sandbox_server.adapter(
        POSTLINK_POSTAL_WEBHOOK_VERIFICATION="hmac", POSTLINK_POSTAL_WEBHOOK_SECRET="sandbox"
    )
    _push(sandbox_server, webhook_receiver, "hmac")
    hint = adapter.parse_webhook({}, webhook_receiver.bodies[0])
    assert len(hint.item_codes) == 1
    assert hint.unsigned == 49


@pytest.mark.parametrize("secret", ["another-secret", None])
def test_tampered_or_wrongly_keyed_webhook_is_rejected(
    sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver, secret: str | None
) -> None:
    adapter = sandbox_server.adapter(
        POSTLINK_POSTAL_WEBHOOK_VERIFICATION="hmac",
        POSTLINK_POSTAL_WEBHOOK_SECRET=secret or "sandbox",
    )
    _push(sandbox_server, webhook_receiver, "hmac")
    body = json.loads(webhook_receiver.bodies[0])
    if secret is None:
        body["data"][0]["status"] = 14 if body["data"][0]["status"] != 14 else 19
    with pytest.raises(WebhookRejected, match="chữ ký HMAC-SHA256 không khớp") as caught:
        adapter.parse_webhook({}, json.dumps(body).encode())
    assert caught.value.code == "webhook.hmac_mismatch"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>not json</html>", "webhook.not_json"),
        (b"[1, 2]", "webhook.not_object"),
        (b'{"data": [], "sendDate": "20260120080000", "signature": "eA=="}', "webhook.no_data"),
        (b'{"data": [{"itemCode": "EB100000005VN", "status": 14}]}', "webhook.no_signature"),
    ],
)
def test_malformed_webhook_is_rejected(
    sandbox_server: SandboxHandle, body: bytes, reason: str
) -> None:
    adapter = sandbox_server.adapter(POSTLINK_POSTAL_WEBHOOK_VERIFICATION="off")
    with pytest.raises(WebhookRejected) as caught:
        adapter.parse_webhook({}, body)
    assert caught.value.code == reason


def test_rsa_without_a_key_refuses_everything_and_names_the_setting(
    sandbox_server: SandboxHandle, webhook_receiver: WebhookReceiver
) -> None:
    adapter = sandbox_server.adapter()
    _push(sandbox_server, webhook_receiver, "rsa")
    with pytest.raises(WebhookRejected, match="POSTLINK_POSTAL_WEBHOOK_PUBLIC_KEY"):
        adapter.parse_webhook({}, webhook_receiver.bodies[0])


def test_verification_off_only_when_set_explicitly(sandbox_server: SandboxHandle) -> None:
    body = {
        "data": [{"orderHdrID": 1, "itemCode": "EB100000005VN", "status": 14}],
        "sendDate": "20260120080000",
        "signature": "bm90IGEgc2lnbmF0dXJl",
    }
    adapter = sandbox_server.adapter(POSTLINK_POSTAL_WEBHOOK_VERIFICATION="off")
    hint = adapter.parse_webhook({}, json.dumps(body).encode())
    assert hint.item_codes == ("EB100000005VN",)
    assert hint.sent_at.isoformat() == "2026-01-20T08:00:00+07:00"
