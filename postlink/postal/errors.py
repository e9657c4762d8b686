"""Failures of the postal side that a caller must tell apart.

A business answer (a refused cancellation, an unknown status code, a record that fails
validation) is a value, not one of these: a batch of orders goes on past it (style notes,
Karrio). These errors mean the call itself did not get an answer postlink can use.
"""

from __future__ import annotations

from postlink.errors import PostlinkError


class PostalError(PostlinkError):
    """Any failure talking to the post."""


class PostalAuthError(PostalError):
    """The post refused our credentials or a fresh token: retrying cannot help."""


class PostalUnavailable(PostalError):
    """Retries were exhausted; the message says what was tried (attempts, time, last error)."""


class PostalStopped(PostalError):
    """The worker is stopping (SIGTERM): no new attempt was started. Nothing is lost: the
    call's job stops between units of work and the next run does it again."""


class PostalRefused(PostalError):
    """The post answered but refused the request (e.g. an order with an invalid address)."""


class PostalProtocolError(PostalError):
    """The post answered with a body whose shape postlink does not know."""


class WebhookRejected(PostalError):
    """A webhook body is unsigned, wrongly signed or malformed; nothing of it was processed."""


class WebhookSignatureInvalid(WebhookRejected):
    """The webhook's signature is missing, undecodable, wrong or cannot be checked (no key
    configured): the sender is not proven to be the post, so the receiver answers 401."""
