"""The rules that turn a leg's tracking events into its current status.

Events arrive late, twice, or out of order (a poll and a webhook race; the post replays
history). So a leg's status is not "the last event received" but a fold over all of its
events in time order with three rules from the sync issue:

* status only moves forward along the lifecycle below; moves within a phase are allowed, so
  a second delivery attempt after a failed one (QĐ 45/2016 art. 10 invitations) is tracked;
* a terminal status (delivered, returned, cancelled, pickup failed) is never left;
* money events (COD, fee paid) and unknown codes are kept as events but change nothing.

Because the fold is over the whole set, the result is the same whatever order the events
were received in. What each status means (phase, terminal, money) is on ``LegStatus``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from postlink.legs.status import LegStatus


@dataclass(frozen=True, slots=True)
class Step:
    """A status at an instant, with the carrier's raw code and label it came from."""

    occurred_at: datetime
    status: LegStatus
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
    def status(self) -> LegStatus | None:
        return self.status_step.status if self.status_step else None


def _order(step: Step) -> tuple[datetime, int, str]:
    """A total order (time, lifecycle rank, name) so that simultaneous events fold the same."""
    rank = step.status.rank
    return (step.occurred_at, 99 if rank is None else rank, step.status.value)


def _moves_forward(step: Step, current: Step) -> bool:
    """Terminal always wins; otherwise no lower phase than the current one."""
    if step.status.terminal:
        return True
    return (step.status.rank or 0) >= (current.status.rank or 0)


def fold(steps: Iterable[Step]) -> LegState:
    """The leg's state after all ``steps``; ``status`` is None when no step changes state."""
    current: Step | None = None
    taken_at = closed_at = last_at = None
    failed = 0
    for step in sorted(steps, key=_order):
        last_at = step.occurred_at
        if step.status.failed_delivery:
            failed += 1
        if step.status.taken_by_post and taken_at is None:
            taken_at = step.occurred_at
        if not step.status.changes_state or (current and current.status.terminal):
            continue
        if current is None or _moves_forward(step, current):
            current = step
            if step.status.terminal:
                closed_at = step.occurred_at
    return LegState(current, taken_at, failed, closed_at, last_at)
