"""``POST /webhooks/postal``: the post's status pushes (postal brief §1).

The adapter's ``parse_webhook`` verifies the signature as configured
(``POSTLINK_POSTAL_WEBHOOK_VERIFICATION``): a missing or wrong signature is 401, a body that
is not the documented shape is 400, and neither changes anything. A verified body is
answered at once and applied in the background by ``web.webhook.apply_webhook``.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request

from postlink.postal.errors import WebhookRejected, WebhookSignatureInvalid
from postlink.web.api_models import ApiErrorBody, WebhookAnswer
from postlink.web.errors import ApiError
from postlink.web.state import state_of
from postlink.web.webhook import apply_webhook

router = APIRouter(tags=["postal webhook"])


@router.post(
    "/webhooks/postal",
    response_model=WebhookAnswer,
    responses={
        400: {"model": ApiErrorBody, "description": "malformed body"},
        401: {"model": ApiErrorBody, "description": "missing or invalid signature"},
    },
)
async def postal_webhook(request: Request, background: BackgroundTasks) -> WebhookAnswer:
    """Receive a signed batch of orders from the post; replays are no-ops."""
    web = state_of(request)
    body = await request.body()
    try:
        orders, bad = web.ctx.adapter.parse_webhook(dict(request.headers), body)
    except WebhookSignatureInvalid as exc:
        raise ApiError(401, "bad_signature", f"Chữ ký webhook không hợp lệ: {exc}") from None
    except WebhookRejected as exc:
        raise ApiError(400, "malformed_body", f"Nội dung webhook không hợp lệ: {exc}") from None
    background.add_task(apply_webhook, web, orders, bad)
    return WebhookAnswer(accepted=len(orders), quarantined=len(bad))
