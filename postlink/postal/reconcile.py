"""Reconcile, then create: how every adapter creates an order (postal brief §4).

A timeout, a 5xx or a cut answer may hide an order the post did create, so each ambiguous
failure is followed by a lookup by our stable reference, and only an order still absent is
created again, at most POSTAL_CREATE_ATTEMPTS times. An error inside HTTP 200 ("system
busy" and a real refusal look alike) is tried again the same way and raised as
PostalRefused when it persists. The first lookup also covers a daemon that died between
sending an order and recording it.
"""

from __future__ import annotations

from collections.abc import Callable

from postlink import defaults
from postlink.postal.errors import PostalError, PostalRefused, PostalUnavailable
from postlink.postal.http import OutcomeUnknown
from postlink.postal.models import Order


def reconcile_then_create(
    reference: str,
    find: Callable[[str], Order | None],
    create: Callable[[], Order | None],
    pause: Callable[[int], None],
) -> Order:
    """``create`` returns the new order, or None when the answer does not carry it (the
    order is then looked up)."""
    failure: PostalError | None = None
    for attempt in range(defaults.POSTAL_CREATE_ATTEMPTS):
        if attempt:
            pause(attempt)
        existing = find(reference)
        if existing is not None:
            return existing
        try:
            created = create()
        except (OutcomeUnknown, PostalRefused) as exc:
            failure = exc
            continue
        if created is not None:
            return created
        failure = PostalUnavailable(f"the post accepted {reference} but does not show it yet")
    existing = find(reference)
    if existing is not None:
        return existing
    if isinstance(failure, PostalRefused):
        raise failure
    raise PostalUnavailable(
        f"creating {reference}: {defaults.POSTAL_CREATE_ATTEMPTS} attempts failed ambiguously "
        f"and the order is still absent; last: {failure}"
    )
