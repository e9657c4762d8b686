"""Input no route accepts, refused before it reaches a query (issue 14 §3).

* Row ids in paths and forms are 64-bit signed integers in both databases: a larger number
  cannot name a row, so it is "not found" rather than an overflow inside the driver.
* PostgreSQL cannot store or even compare a NUL character in text, so a NUL anywhere in a
  path, a query string or a form field is refused with a Vietnamese 400 (JSON on the API),
  whatever the route: one app-wide dependency instead of one check per handler. JSON
  bodies are checked by their models (``api_models``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote_to_bytes

from fastapi import Path, Request
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, Response

from postlink.errors import PostlinkError
from postlink.words import say

#: The largest id a row can have (BIGINT on PostgreSQL, INTEGER on SQLite).
MAX_ROW_ID = 2**63 - 1
MACHINE_PREFIXES = ("/api/", "/webhooks/")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class BadInput(PostlinkError):
    """Input refused with a message (in Vietnamese) for the person who sent it: a 400 page
    or JSON answer, or shown on the form by a handler that catches it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def row_id(text: str) -> int | None:
    """A form's id (``item-<id>``, ``dossier=<id>``), or None when it cannot name a row."""
    if not text.isdigit() or not text.isascii():
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None


def check_form(form: FormData) -> None:
    """Refuse a form with a NUL in any field name or text value (files may hold any byte)."""
    for key, value in form.multi_items():
        if "\x00" in key or (isinstance(value, str) and "\x00" in value):
            raise BadInput(say("input.nul"))


def machine(path: str) -> bool:
    """The API and the webhook answer in JSON; the console answers with pages."""
    return path.startswith(MACHINE_PREFIXES)


def refusal(path: str, status: int, code: str, message: str) -> Response:
    """A refusal made outside the app's handlers (by a middleware), in the path's language:
    JSON ``{"code", "message"}`` for the API and the webhook, plain text otherwise."""
    if machine(path):
        return JSONResponse({"code": code, "message": message}, status_code=status)
    return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


async def refuse_nul(request: Request) -> None:
    """Every route's first dependency: no NUL in the path, the query or a form field."""
    raw = request.scope.get("query_string", b"")
    if "\x00" in request.url.path or b"\x00" in unquote_to_bytes(raw):
        raise BadInput(say("input.nul"))
    # The API and the webhook read JSON bodies themselves (a form read here would consume
    # the body they need); their models refuse NUL.
    form = request.headers.get("content-type", "").startswith(FORM_TYPES)
    if form and request.method not in ("GET", "HEAD") and not machine(request.url.path):
        check_form(await request.form())
