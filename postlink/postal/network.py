"""A failure to reach the post, said in one line: which host, what happened, what to check.

urllib3's text ("HTTPConnectionPool(host=…): Max retries exceeded … Caused by
NewConnectionError(…)") repeats the host three times and hides the cause; an administrator
needs the cause and the setting to look at (issue 16 §4). The line is worded from the
message catalogue (``postal.network.<kind>`` and ``postal.network.check.<kind>``) in the
configured language (issue 14 §1), when it is shown.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from postlink.words import Phrase

#: Failures where the request surely never reached the post: not ambiguous for a creation.
BEFORE_SENDING = frozenset({"tls", "connect_timeout", "dns", "refused", "unreachable"})


@dataclass(frozen=True, slots=True)
class Failure:
    """What happened (``kind``; ``seconds`` for a timeout), worded when shown."""

    kind: str
    seconds: float = 0.0

    @property
    def what(self) -> Phrase:
        return Phrase(f"postal.network.{self.kind}", {"seconds": f"{self.seconds:g}"})

    @property
    def check(self) -> Phrase:
        return Phrase(f"postal.network.check.{self.kind}")


def host_of(url: str) -> str:
    """``host:port`` of ``url`` (the port only when the URL names one)."""
    return urlsplit(url).netloc.rsplit("@", 1)[-1] or url


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it wraps: requests wraps urllib3, which wraps the socket's."""
    found: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        wrapped = (current.__cause__, current.__context__, getattr(current, "reason", None))
        todo += [e for e in (*wrapped, *current.args) if isinstance(e, BaseException)]
    return found


def classify(
    exc: requests.RequestException, connect_timeout: float, read_timeout: float
) -> Failure:
    """The kind of network failure ``exc`` is, for ``line``."""
    causes = _causes(exc)
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, (requests.exceptions.SSLError, ssl.SSLError)) for cause in causes):
        return Failure("tls")
    if isinstance(exc, requests.ConnectTimeout):
        return Failure("connect_timeout", connect_timeout)
    if isinstance(exc, requests.Timeout):
        return Failure("read_timeout", read_timeout)
    gaierror = any(isinstance(cause, socket.gaierror) for cause in causes)
    if gaierror or "resolve" in text or "name or service not known" in text:
        return Failure("dns")
    if "refused" in text:
        return Failure("refused")
    if "unreachable" in text:
        return Failure("unreachable")
    return Failure("broken")


def line(host: str, failure: Failure, tried: Phrase | None = None) -> Phrase:
    """One line: ``không gọi được bưu điện tại HOST: …; kiểm tra …``, with what was tried
    in brackets when given."""
    if tried is None:
        return Phrase(
            "postal.network.line", {"host": host, "what": failure.what, "check": failure.check}
        )
    params = {"host": host, "what": failure.what, "check": failure.check, "tried": tried}
    return Phrase("postal.network.line_tried", params)
