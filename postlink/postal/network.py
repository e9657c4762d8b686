"""A failure to reach the post, said in one line: which host, what happened, what to check.

urllib3's text ("HTTPConnectionPool(host=…): Max retries exceeded … Caused by
NewConnectionError(…)") repeats the host three times and hides the cause; an administrator
needs the cause and the setting to look at (issue 16 §4). The line is Vietnamese first,
then English, as the command line's other messages give both.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

#: Failures where the request surely never reached the post: not ambiguous for a creation.
BEFORE_SENDING = frozenset({"tls", "connect_timeout", "dns", "refused", "unreachable"})


@dataclass(frozen=True, slots=True)
class Failure:
    """What happened and what to check, each in Vietnamese and English."""

    kind: str
    vi: str
    en: str
    check_vi: str
    check_en: str


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
        return Failure(
            "tls",
            "bắt tay TLS thất bại hoặc chứng chỉ không được tin cậy",
            "the TLS handshake failed or the certificate is not trusted",
            "POSTLINK_POSTAL_CA_BUNDLE, chứng chỉ của máy chủ và đồng hồ máy",
            "POSTLINK_POSTAL_CA_BUNDLE, the server's certificate and this machine's clock",
        )
    if isinstance(exc, requests.ConnectTimeout):
        return Failure(
            "connect_timeout",
            f"không kết nối được trong {connect_timeout:g} s",
            f"no connection within {connect_timeout:g} s",
            "mạng, tường lửa và POSTLINK_POSTAL_CONNECT_TIMEOUT",
            "the network, the firewall and POSTLINK_POSTAL_CONNECT_TIMEOUT",
        )
    if isinstance(exc, requests.Timeout):
        return Failure(
            "read_timeout",
            f"bưu điện không trả lời trong {read_timeout:g} s",
            f"the post did not answer within {read_timeout:g} s",
            "tình trạng dịch vụ của bưu điện và POSTLINK_POSTAL_READ_TIMEOUT",
            "the post's service status and POSTLINK_POSTAL_READ_TIMEOUT",
        )
    gaierror = any(isinstance(cause, socket.gaierror) for cause in causes)
    if gaierror or "resolve" in text or "name or service not known" in text:
        return Failure(
            "dns",
            "không phân giải được tên máy (DNS)",
            "the host name does not resolve (DNS)",
            "tên máy trong POSTLINK_POSTAL_BASE_URL và DNS của máy chủ",
            "the host name in POSTLINK_POSTAL_BASE_URL and this server's DNS",
        )
    if "refused" in text:
        return Failure(
            "refused",
            "máy chủ từ chối kết nối",
            "connection refused",
            "POSTLINK_POSTAL_BASE_URL (máy, cổng) và dịch vụ bưu điện có đang chạy không",
            "POSTLINK_POSTAL_BASE_URL (host, port) and whether the service is up",
        )
    if "unreachable" in text:
        return Failure(
            "unreachable",
            "không có đường mạng tới máy chủ",
            "the network is unreachable",
            "mạng và định tuyến của máy chủ",
            "this server's network and routes",
        )
    return Failure(
        "broken",
        "kết nối bị ngắt giữa chừng",
        "the connection broke off mid-answer",
        "proxy và tường lửa giữa hai bên, tình trạng dịch vụ của bưu điện",
        "proxies and firewalls on the way, the post's service status",
    )


def line(host: str, failure: Failure, tried_vi: str = "", tried_en: str = "") -> str:
    """One line: ``không gọi được bưu điện tại HOST: …; kiểm tra … — cannot reach …``, with
    what was tried in brackets when given."""
    vi = f" ({tried_vi})" if tried_vi else ""
    en = f" ({tried_en})" if tried_en else ""
    return (
        f"không gọi được bưu điện tại {host}: {failure.vi}{vi}; kiểm tra {failure.check_vi}"
        f" — cannot reach the post at {host}: {failure.en}{en}; check {failure.check_en}"
    )
