"""The one vocabulary of a leg's status, whatever the carrier (postal brief §3; issue 13 §1).

Each member carries what it means for the rules, so nothing else keeps a list of statuses:

* ``rank``: the phase along the lifecycle. Within a phase the post moves both ways (a failed
  pickup is rescheduled; a failed delivery waits at the office for the next invitation), so
  only a lower phase counts as going backwards. None for terminal, money and unknown;
* ``terminal``: ends the leg (delivered, returned, cancelled, pickup failed), never left;
* ``money``: a payment event (COD, fee, cancellation fee paid), kept but changing no state;
* ``taken_by_post``: the J date of TT 17/2017 art. 7 is the day the post took the item;
* ``failed_delivery``: a delivery attempt that failed, counted as an invitation (TT 17/2017
  art. 5 cl. 2 point h);
* ``delivered`` and ``returning`` group the statuses the reports count together.

A carrier's status table (``config/postal/``) only maps its raw codes to a member; a code it
does not list is ``UNKNOWN``, which changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class LegStatus(StrEnum):
    """postlink's status of a leg; the values are stored in ``leg.status`` (CHECKed)."""

    DRAFT = "draft"
    CREATED = "created"
    PICKUP_SCHEDULED = "pickup_scheduled"
    PICKUP_IN_PROGRESS = "pickup_in_progress"
    PICKUP_FAILED_ATTEMPT = "pickup_failed_attempt"
    PICKUP_FAILED = "pickup_failed"
    PICKED_UP = "picked_up"
    ACCEPTED = "accepted"
    IN_TRANSIT = "in_transit"
    AT_DELIVERY_OFFICE = "at_delivery_office"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED_ATTEMPT = "delivery_failed_attempt"
    DELIVERED = "delivered"
    PARTIALLY_DELIVERED = "partially_delivered"
    RETURN_PENDING = "return_pending"
    RETURNING = "returning"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    PAYMENT = "payment"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int | None:
        """The lifecycle phase of a non-terminal status; None when it has no phase."""
        return _RANK.get(self)

    @property
    def terminal(self) -> bool:
        return self in _TERMINAL

    @property
    def money(self) -> bool:
        return self is LegStatus.PAYMENT

    @property
    def changes_state(self) -> bool:
        """Whether an event with this status can move a leg (money and unknown cannot)."""
        return self.rank is not None or self.terminal

    @property
    def taken_by_post(self) -> bool:
        return self in (LegStatus.PICKED_UP, LegStatus.ACCEPTED)

    @property
    def failed_delivery(self) -> bool:
        return self is LegStatus.DELIVERY_FAILED_ATTEMPT

    @property
    def delivered(self) -> bool:
        """The item is in the recipient's hands."""
        return self in (LegStatus.DELIVERED, LegStatus.PARTIALLY_DELIVERED)

    @property
    def returning(self) -> bool:
        """A result on its way back to the office, or back there."""
        return self in (LegStatus.RETURN_PENDING, LegStatus.RETURNING, LegStatus.RETURNED)


def statuses(which: Callable[[LegStatus], bool]) -> tuple[LegStatus, ...]:
    """The members for which ``which`` holds, in declaration order (for SQL ``IN`` lists)."""
    return tuple(status for status in LegStatus if which(status))


_RANK: dict[LegStatus, int] = {
    LegStatus.DRAFT: 0,
    LegStatus.CREATED: 1,
    LegStatus.PICKUP_SCHEDULED: 2,
    LegStatus.PICKUP_IN_PROGRESS: 2,
    LegStatus.PICKUP_FAILED_ATTEMPT: 2,
    LegStatus.PICKED_UP: 3,
    LegStatus.ACCEPTED: 4,
    LegStatus.IN_TRANSIT: 5,
    LegStatus.AT_DELIVERY_OFFICE: 5,
    LegStatus.OUT_FOR_DELIVERY: 5,
    LegStatus.DELIVERY_FAILED_ATTEMPT: 5,
    LegStatus.RETURN_PENDING: 6,
    LegStatus.RETURNING: 7,
}
_TERMINAL = frozenset(
    {
        LegStatus.DELIVERED,
        LegStatus.PARTIALLY_DELIVERED,
        LegStatus.RETURNED,
        LegStatus.CANCELLED,
        LegStatus.PICKUP_FAILED,
    }
)
