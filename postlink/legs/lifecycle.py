"""The rules that turn a leg's tracking events into its current status.

Events arrive late, twice, or out of order (a poll and a webhook race; the post replays
history). So a leg's status is not "the last event received" but a fold over all of its
events in time order with three rules from the sync issue:

* status only moves forward along the lifecycle below; moves within a phase are allowed, so
  a second delivery attempt after a failed one (QĐ 45/2016 art. 10 invitations) is tracked;
* a terminal status (delivered, returned, cancelled, pickup failed) is never left;
* money events (COD, fee paid) and unknown codes are kept as events but change nothing.

Because the fold is over the whole set, the result is the same whatever order the events
were received in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

#: Phase of each non-terminal status along the lifecycle (postal brief §3). Within a phase
#: the post moves both ways (a failed pickup is rescheduled; a failed delivery waits at the
#: office for the next invitation), so only a lower phase counts as going backwards.
RANK: dict[str, int] = {
    "draft": 0,
    "created": 1,
    "pickup_scheduled": 2,
    "pickup_in_progress": 2,
    "pickup_failed_attempt": 2,
    "picked_up": 3,
    "accepted": 4,
    "in_transit": 5,
    "at_delivery_office": 5,
    "out_for_delivery": 5,
    "delivery_failed_attempt": 5,
    "return_pending": 6,
    "returning": 7,
}
TERMINAL = frozenset({"delivered", "partially_delivered", "returned", "cancelled", "pickup_failed"})
#: The J date of TT 17/2017 art. 7 is the day the post took the item into its hands.
TAKEN_BY_POST = frozenset({"picked_up", "accepted"})
FAILED_DELIVERY = "delivery_failed_attempt"


@dataclass(frozen=True, slots=True)
class Step:
    """A status at an instant, with the carrier's raw code and label it came from."""

    occurred_at: datetime
    status: str
    raw_code: str = ""
    raw_label: str = ""


@dataclass(frozen=True, slots=True)
class LegState:
    status_step: Step | None
    taken_at: datetime | None
    failed_deliveries: int
    closed_at: datetime | None
    last_event_at: datetime | None

    @property
    def status(self) -> str | None:
        return self.status_step.status if self.status_step else None


def _changes_state(status: str) -> bool:
    return status in RANK or status in TERMINAL


def fold(steps: Iterable[Step]) -> LegState:
    """The leg's state after all ``steps``; ``status`` is None when no step changes state."""
    current: Step | None = None
    taken_at = closed_at = last_at = None
    failed = 0
    # A total order (time, lifecycle rank, name) so that simultaneous events fold the same.
    ordered = sorted(steps, key=lambda s: (s.occurred_at, RANK.get(s.status, 99), s.status))
    for step in ordered:
        last_at = step.occurred_at
        if step.status == FAILED_DELIVERY:
            failed += 1
        if step.status in TAKEN_BY_POST and taken_at is None:
            taken_at = step.occurred_at
        if not _changes_state(step.status) or (current and current.status in TERMINAL):
            continue
        if current is None or step.status in TERMINAL or RANK[step.status] >= RANK[current.status]:
            current = step
            if step.status in TERMINAL:
                closed_at = step.occurred_at
    return LegState(current, taken_at, failed, closed_at, last_at)
