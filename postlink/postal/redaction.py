"""Scrubbing secrets out of what the exchange log keeps (postal brief §4).

Two nets: values of keys that name a secret (``password``, ``token``, ``signature``, …) in
JSON bodies and query strings are replaced, and then every secret the adapter knows (the
configured password and client secret, the tokens it was given) is replaced wherever it
still appears. Text-level rules are used rather than parsing, because a truncated or
malformed body must be scrubbed as surely as a well-formed one, and a page of 500 orders
must not be parsed twice just to be logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from postlink import defaults

MASK = "***"

_SECRET_KEYS = (
    "password|token|access_token|refresh_token|id_token|signature|client_secret|secret"
    "|authorization|apikey|api_key"
)
_JSON_SECRET = re.compile(
    rf'("(?:{_SECRET_KEYS})\s*"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}}\]\s]+)', re.IGNORECASE
)
_QUERY_SECRET = re.compile(rf"([?&](?:{_SECRET_KEYS})=)[^&#]*", re.IGNORECASE)


def redact(text: str, secrets: Iterable[str] = (), limit: int | None = None) -> str:
    """``text`` with secret values and known secrets masked, then cut to ``limit`` characters.

    Only a margin past ``limit`` is scanned, wide enough that a secret straddling the cut is
    masked whole before the cut is made.
    """
    known = [secret for secret in secrets if secret]
    if limit is not None:
        margin = max((len(secret) for secret in known), default=0) + 256
        text = text[: limit + margin]
    text = _JSON_SECRET.sub(rf'\1"{MASK}"', text)
    text = _QUERY_SECRET.sub(rf"\1{MASK}", text)
    for secret in known:
        text = text.replace(secret, MASK)
    if limit is not None and len(text) > limit:
        return text[:limit] + "…[truncated]"
    return text


def redact_body(text: str, secrets: Iterable[str] = ()) -> str:
    """A request or response body as the exchange log keeps it."""
    return redact(text, secrets, defaults.EXCHANGE_BODY_MAX_CHARS)
