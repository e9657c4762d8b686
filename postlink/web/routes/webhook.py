"""``POST /webhooks/postal``: the post's status pushes (postal brief §1, issue 11 §3).

``web.webhook`` says what is checked and why. Every refusal changes nothing: a missing or
wrong signature is 401, a malformed body or a ``sendDate`` outside the window is 400, a
replay 409, a body larger than ``POSTAL_WEBHOOK_MAX_BYTES`` 413. An admitted body is
answered 202 at once; the signed items are then looked up at the post in the background.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, status
from starlette.concurrency import run_in_threadpool

from postlink import defaults
from postlink.postal.errors import WebhookRejected, WebhookSignatureInvalid
from postlink.web.api_models import ApiErrorBody, WebhookAnswer
from postlink.web.errors import ApiError
from postlink.web.state import state_of
from postlink.web.webhook import WebhookReplayed, WebhookStale, admit, ring
from postlink.words import say

router = APIRouter(tags=["postal webhook"])


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > defaults.POSTAL_WEBHOOK_MAX_BYTES:
            raise ApiError(413, "body_too_large", say("webhook.too_large"))
    return body


@router.post(
    "/webhooks/postal",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookAnswer,
    responses={
        400: {"model": ApiErrorBody, "description": "malformed body, or sendDate not fresh"},
        401: {"model": ApiErrorBody, "description": "missing or invalid signature"},
        409: {"model": ApiErrorBody, "description": "a replay of a webhook already received"},
        413: {"model": ApiErrorBody, "description": "body too large"},
    },
)
async def postal_webhook(request: Request, background: BackgroundTasks) -> WebhookAnswer:
    """Admit a signed webhook, then look its signed items up at the post in the background.

    The body is read on the event loop (it streams); ``admit`` writes the replay receipt,
    blocking database work, so it runs in the thread pool: a slow database then delays this
    webhook only, not every other request the server is answering."""
    web = state_of(request)
    body = await _body(request)
    try:
        hint = await run_in_threadpool(admit, web, dict(request.headers), body)
    except WebhookSignatureInvalid as exc:
        raise ApiError(401, "bad_signature", say("webhook.refused.signature", detail=exc)) from None
    except WebhookStale as exc:
        raise ApiError(400, "stale_webhook", say("webhook.refused.stale", detail=exc)) from None
    except WebhookReplayed as exc:
        raise ApiError(
            409, "replayed_webhook", say("webhook.refused.replayed", detail=exc)
        ) from None
    except WebhookRejected as exc:
        raise ApiError(
            400, "malformed_body", say("webhook.refused.malformed", detail=exc)
        ) from None
    background.add_task(ring, web, hint)
    return WebhookAnswer(accepted=len(hint.item_codes), unsigned_ignored=hint.unsigned)
