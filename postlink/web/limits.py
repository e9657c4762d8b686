"""A ceiling on request bodies, before any of it is parsed or spooled to disk.

The largest legitimate body is an admin's list upload (``POSTLINK_WEB_UPLOAD_MAX_BYTES``);
an API registration is a few hundred bytes, so the API and the webhook get a far lower
ceiling (``MACHINE_MAX_BYTES``), and so does a console form without a file
(``FORM_MAX_BYTES``). Anything bigger is refused with 413 — JSON on the API, like
its other errors — by its declared length when it has one and by counting otherwise
(chunked bodies), so a client cannot fill the memory or the disk through a body.

Counting raises ``TooLarge``, an ``HTTPException`` of status 413, from inside the app's own
read of the body: FastAPI passes HTTP exceptions met while reading a body through as they
are (any other exception there becomes a 400), so the app's handlers answer it in the
path's language (issue 14 §3: a chunked 12 MB body was a 400).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from postlink.web.inputs import machine, refusal
from postlink.words import say

#: Bytes an API or webhook body may have: a registration is well under 4 KiB, a webhook
#: batch of a hundred orders under 100 KiB.
MACHINE_MAX_BYTES = 1024 * 1024
#: Bytes one text field of a form may have: Starlette's form parser stops there.
FIELD_MAX_BYTES = 1024 * 1024
#: Bytes a console form without a file (``application/x-www-form-urlencoded``) may have:
#: Starlette's form parser refuses a field over 1 MiB with a 400 as soon as it has read
#: that much, so the body is refused as too large (413) at that size, before the parser.
#: The largest such form, the receiving desk's ticks of a few hundred items, is ~20 KiB.
FORM_MAX_BYTES = FIELD_MAX_BYTES
URLENCODED = b"application/x-www-form-urlencoded"


class TooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413)


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self._limit(scope["path"], headers.get(b"content-type", b""))
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    def _limit(self, path: str, content_type: bytes) -> int:
        if machine(path):
            return MACHINE_MAX_BYTES
        if content_type.split(b";")[0].strip().lower() == URLENCODED:
            return FORM_MAX_BYTES
        return self.max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        message = say("input.too_large", limit=f"{limit:,}".replace(",", "."))
        await refusal(scope["path"], 413, "too_large", message)(scope, receive, send)


def part_too_large(exc: HTTPException) -> bool:
    """Whether this 400 is the form parser refusing a field over ``FIELD_MAX_BYTES``.

    A multipart form (the catalog upload) may carry a file of several MiB, so its body is
    not capped at the field size; the parser then refuses a larger text field itself, with
    a 400 raised while handling its ``MultiPartException`` (issue 14 §3: a 1 MiB text
    field in the upload form was a 400). Its message is all that tells a field too large
    from a malformed form, so it is read here, in one place.
    """
    cause = exc.__context__
    return (
        exc.status_code == 400
        and isinstance(cause, MultiPartException)
        and "exceeded maximum size" in cause.message
    )
