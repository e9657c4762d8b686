"""The one HTTP layer every postal adapter shares: session, timeouts, retries, token replay.

Rules from the postal brief §4 and issue 4, kept in one place so that each carrier's proxy
stays a list of endpoints:

- one ``requests.Session`` per account, explicit (connect, read) timeouts on every call, TLS
  verified (a custom CA bundle is a setting);
- idempotent calls retry on connection errors, timeouts, 5xx, 429, unreadable bodies and
  errors reported inside HTTP 200, as ``retry.RetryPolicy`` says (exponential backoff with
  jitter, ``Retry-After`` honoured, a bounded total time); then ``PostalUnavailable`` says
  what was tried, a network failure in one line (``network.py``). A stopping worker's
  ``Waiter`` ends the loop between attempts (``PostalStopped``);
- a call that is not idempotent (order creation) is never retried after an ambiguous
  failure: ``OutcomeUnknown`` hands the decision to the adapter, which reconciles by
  reference first. A 429 or a refused connection is not ambiguous (nothing was processed);
- on 401/403 the refused token is dropped, the adapter logs in again and the call is
  replayed (at most ``POSTAL_TOKEN_REPLAYS`` times). Concurrent calls refused with the same
  token share one new login: ``invalidate`` names the token that was refused and a login
  that already replaced it is kept (single-flight, issue 16 §3);
- every attempt is reported to the exchange-log recorder, secrets redacted.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

import orjson
import requests

from postlink import defaults
from postlink.postal import network
from postlink.postal.errors import (
    PostalAuthError,
    PostalError,
    PostalRefused,
    PostalUnavailable,
)
from postlink.postal.redaction import redact, redact_body
from postlink.postal.retry import RetryPolicy, Waiter
from postlink.settings import Settings
from postlink.words import Phrase, log_line

log = logging.getLogger("postlink.postal")


@dataclass(frozen=True, slots=True)
class ExchangeRecord:
    """One attempt of one call, already redacted: what the exchange log stores."""

    adapter: str
    operation: str
    method: str
    url: str
    status_code: int | None
    duration_ms: int
    attempt: int
    request_body: str
    response_body: str
    error: str


#: Anything that keeps exchange records: the database log, a list's ``append`` in tests.
Recorder = Callable[[ExchangeRecord], None]


class TokenAuth(Protocol):
    """Adds the session's credentials to a call and forgets them when the post refuses them;
    ``issued`` lists the tokens handed out, so that the exchange log can mask them."""

    issued: list[str]

    def headers(self) -> dict[str, str]: ...

    def proven(self, headers: Mapping[str, str]) -> None:
        """A call sent with ``headers`` succeeded."""

    def invalidate(self, refused: Mapping[str, str]) -> bool:
        """Forget the token sent in ``refused`` (the headers of the refused call), unless
        another call has already replaced it; True when that token had worked before."""


class OutcomeUnknown(PostalError):
    """A non-idempotent call may or may not have taken effect (timeout, 5xx, cut body)."""


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Timeouts, TLS and the retry budget of every call (POSTLINK_POSTAL_* settings)."""

    connect_timeout: float
    read_timeout: float
    retry_budget: float
    verify: bool | str = True
    backoff_base: float = defaults.POSTAL_BACKOFF_BASE
    backoff_max: float = defaults.POSTAL_BACKOFF_MAX

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpPolicy:
        ca = settings.postal_ca_bundle
        return cls(
            connect_timeout=settings.postal_connect_timeout,
            read_timeout=settings.postal_read_timeout,
            retry_budget=settings.postal_retry_budget,
            verify=str(ca) if ca is not None else True,
        )

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.retry_budget, self.backoff_base, self.backoff_max)


def decode_json(content: bytes) -> Any:
    """A JSON body, decoded by orjson: twice as fast as the standard library, which matters
    for a feed of 500-order pages. What orjson refuses but JSON readers commonly accept
    (integers beyond 64 bits, NaN) is left to the standard library; ValueError if neither
    can read it."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # the HTTP-date form is not worth supporting for the post's APIs


@dataclass
class _Attempt:
    """What one try came to, for the retry decision and the final error message."""

    outcome: str
    retryable: bool
    ambiguous: bool
    wait: float | None = None
    refusal: bool = False
    #: Set when no HTTP answer came: what went wrong on the network.
    failure: network.Failure | None = None


@dataclass
class HttpClient:
    """The session of one postal account and the call loop described above."""

    adapter: str
    base_url: str
    policy: HttpPolicy
    recorder: Recorder
    secrets: Callable[[], Iterable[str]] = tuple
    waiter: Waiter = field(default_factory=Waiter)
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["Accept"] = "application/json"
        # requests reads the proxy and CA-bundle variables from os.environ again on every
        # request, scanning the whole environment several times: a sixth of a tracking
        # call's cost in a backfill. They do not change while postlink runs and every call
        # goes to ``base_url``, so they are read once here, with requests' own rules.
        self.session.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        self.session.verify = self.policy.verify
        if self.policy.verify is True:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            self.session.verify = bundle or True
        self.session.trust_env = False
        self.host = network.host_of(self.base_url)

    def close(self) -> None:
        self.session.close()

    def pause(self, attempt: int) -> None:
        """Wait the backoff due before retry number ``attempt`` of the reconcile loop."""
        self.waiter.wait(self.policy.retry.delay(attempt))

    def call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: TokenAuth | None = None,
        idempotent: bool = True,
        error_in_body: Callable[[Any], str | None] | None = None,
    ) -> Any:
        """Send one logical call and return its decoded JSON body.

        ``body`` goes as JSON, ``form`` as a URL-encoded form (OAuth2 token requests);
        ``headers`` are sent as given and never recorded. ``error_in_body`` reads a
        carrier's "HTTP 200 but failed" answer; for an idempotent call that counts as
        transient, for any other it is the post's refusal. A 401/403 on a call without
        ``auth`` (a login) raises PostalAuthError at once.
        """
        url = f"{self.base_url}{path}"
        fixed = dict(headers or {})
        if form is not None:
            data: bytes | None = urlencode(form).encode()
            fixed["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            fixed["Content-Type"] = "application/json"
        else:
            data = None
        started = self.waiter.clock()
        attempt = replayed = lapses = 0
        while True:
            self.waiter.check()
            attempt += 1
            headers = dict(fixed)
            if auth is not None:
                headers.update(auth.headers())
            result, payload = self._attempt(
                operation, method, url, params, data, headers, attempt, error_in_body
            )
            if result is None:
                if auth is not None:
                    auth.proven(headers)
                return payload
            if result.outcome in ("HTTP 401", "HTTP 403") and auth is None:
                raise PostalAuthError(
                    code="postal.auth.login", host=self.host, outcome=result.outcome
                )
            if result.outcome in ("HTTP 401", "HTTP 403") and auth is not None:
                lapsed = auth.invalidate(headers)
                lapses += lapsed
                if not lapsed and replayed >= defaults.POSTAL_TOKEN_REPLAYS:
                    raise PostalAuthError(
                        code="postal.auth.forbidden",
                        host=self.host,
                        operation=operation,
                        outcome=result.outcome,
                    )
                if lapses > defaults.POSTAL_TOKEN_LAPSES:
                    raise PostalAuthError(
                        code="postal.auth.revoked",
                        host=self.host,
                        operation=operation,
                        lapses=lapses,
                    )
                replayed += not lapsed
                continue
            if not idempotent and result.refusal:
                raise PostalRefused(
                    code="postal.refused",
                    adapter=self.adapter,
                    operation=operation,
                    outcome=result.outcome,
                )
            if not idempotent and result.ambiguous:
                raise OutcomeUnknown(
                    code="postal.outcome_unknown",
                    adapter=self.adapter,
                    operation=operation,
                    outcome=result.outcome,
                )
            if not result.retryable:
                raise PostalError(  # the host, not the URL: a base URL may carry credentials
                    code="postal.failed",
                    adapter=self.adapter,
                    operation=operation,
                    method=method,
                    host=self.host,
                    outcome=result.outcome,
                )
            elapsed = self.waiter.clock() - started
            delay = self.policy.retry.next_wait(attempt, elapsed, result.wait)
            if delay is None:
                code, given = self._gave_up(result, operation, attempt, started)
                raise PostalUnavailable(code=code, **given)
            log.warning(
                log_line(
                    "log.postal.retry",
                    adapter=self.adapter,
                    operation=operation,
                    attempt=attempt,
                    outcome=result.outcome,
                    wait_seconds=f"{delay:.2f}",
                )
            )
            self.waiter.wait(delay)

    def _attempt(
        self,
        operation: str,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        data: bytes | None,
        headers: dict[str, str],
        attempt: int,
        error_in_body: Callable[[Any], str | None] | None,
    ) -> tuple[_Attempt | None, Any]:
        """One request: ``(None, payload)`` on success, else what went wrong."""
        started = time.monotonic()
        response: requests.Response | None = None
        content = b""
        payload: Any = None
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                stream=True,
            )
            # The body in one read: requests reads 10 kB chunks by default, and each chunk
            # waits for the GIL while the feed's other thread parses the previous page.
            content = b"".join(response.iter_content(chunk_size=None))
            result, payload = self._judge(response, content, error_in_body)
        except requests.RequestException as exc:
            result = self._network_failure(exc)
        self._record(
            operation, method, url, params, data, response, content, started, attempt, result
        )
        return result, payload

    def _network_failure(self, exc: requests.RequestException) -> _Attempt:
        """No HTTP answer. Ambiguous (the post may have acted) unless the request surely
        never arrived: a connect timeout, a refused or unresolvable connection."""
        failure = network.classify(exc, self.policy.connect_timeout, self.policy.read_timeout)
        never_sent = failure.kind in network.BEFORE_SENDING
        outcome = str(network.line(self.host, failure))  # the exchange log's, as worded now
        return _Attempt(outcome, retryable=True, ambiguous=not never_sent, failure=failure)

    def _gave_up(
        self, result: _Attempt, operation: str, attempt: int, started: float
    ) -> tuple[str, dict[str, object]]:
        """The sentence for a call that used up its retry budget, and its parameters: what
        went wrong (a network failure's own line) and what was tried."""
        elapsed, budget = self.waiter.clock() - started, self.policy.retry_budget
        tried = Phrase(
            "postal.gave_up",
            {
                "operation": operation,
                "attempts": attempt,
                "elapsed": f"{elapsed:.1f}",
                "budget": f"{budget:g}",
            },
        )
        if result.failure is not None:
            line = network.line(self.host, result.failure, tried)
            return line.code, dict(line.params)
        code = "postal.unavailable"
        return code, {"host": self.host, "outcome": result.outcome, "tried": tried}

    @staticmethod
    def _judge(
        response: requests.Response,
        content: bytes,
        error_in_body: Callable[[Any], str | None] | None,
    ) -> tuple[_Attempt | None, Any]:
        status = response.status_code
        if status == 429:
            return _Attempt("HTTP 429", True, False, wait=_retry_after(response)), None
        if status >= 500:
            return _Attempt(f"HTTP {status}", True, True, wait=_retry_after(response)), None
        if status in (401, 403):
            return _Attempt(f"HTTP {status}", retryable=False, ambiguous=False), None
        if status >= 400:
            snippet = content[:200].decode("utf-8", "replace").replace("\n", " ")
            return _Attempt(f"HTTP {status}: {snippet}", retryable=False, ambiguous=False), None
        try:
            payload = decode_json(content)
        except ValueError:
            return _Attempt("unreadable JSON body", retryable=True, ambiguous=True), None
        message = error_in_body(payload) if error_in_body is not None else None
        if message is not None:
            return _Attempt(message, retryable=True, ambiguous=False, refusal=True), None
        return None, payload

    def _record(
        self,
        operation: str,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        data: bytes | None,
        response: requests.Response | None,
        content: bytes,
        started: float,
        attempt: int,
        result: _Attempt | None,
    ) -> None:
        secrets = list(self.secrets())
        full_url = response.url if response is not None else url
        if response is None and params:
            full_url = requests.Request(method, url, params=params).prepare().url or url
        self.recorder(
            ExchangeRecord(
                adapter=self.adapter,
                operation=operation,
                method=method,
                url=redact(full_url, secrets),
                status_code=response.status_code if response is not None else None,
                duration_ms=int((time.monotonic() - started) * 1000),
                attempt=attempt,
                request_body=redact_body(data.decode("utf-8", "replace") if data else "", secrets),
                response_body=redact_body(content[:65536].decode("utf-8", "replace"), secrets),
                error="" if result is None else redact(result.outcome, secrets),
            )
        )
