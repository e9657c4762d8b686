"""Failed delivery: invite twice, two working days apart, then return (TT 17/2017/TT-BTTTT
art. 5 cl. 2 point h).

When a result cannot be handed over, the postal worker must invite the recipient to collect
it at least twice, each time 02 working days apart, and only then take it back to the
office. postlink reads each failed delivery attempt the post reports as one invitation (the
attempt is the visit that leaves the invitation notice; the post reports no separate
"invited" status), dated by its local calendar day. Two things follow from the rule:

* a leg taken back to the office is judged once it is: *compliant*, or *returned without
  due invitations* (hoàn trả khi chưa mời đủ) when fewer invitations than the minimum came
  before the return, or two consecutive ones were less than the required working days
  apart;
* a leg waiting between invitations is not late while the rule allows the wait: after each
  of the first ``minimum`` invitations the post has until that many working days later to
  invite again (or, after the last one, to take the item back). Past that day it is late.

The minimum and the spacing come from ``config/deadlines.toml`` (``[failed_delivery]``);
working days skip weekends and Vietnamese public holidays as the deadline calendar does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from itertools import pairwise
from typing import Protocol
from zoneinfo import ZoneInfo

from postlink.legs.lifecycle import Step
from postlink.legs.status import LegStatus
from postlink.models import Leg
from postlink.timeutil import local_date


class WorkingDays(Protocol):
    """The one thing the rule needs of the working-day calendar."""

    def add_working_days(self, start: date, days: int) -> date: ...


class InvitationVerdict(StrEnum):
    """How a leg taken back to the office stands against the invitation rule."""

    COMPLIANT = "compliant"
    RETURNED_WITHOUT_DUE_INVITATIONS = "returned_without_due_invitations"


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding behind a verdict, as a code and parameters the presenters word."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict (None while the item has not been taken back) and why."""

    verdict: InvitationVerdict | None
    invited_on: tuple[date, ...]
    returned_on: date | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class LegInvitations:
    """What a leg stores of its invitations, so that reports stay plain SQL."""

    last_on: date | None
    wait_until: date | None
    verdict: InvitationVerdict | None


@dataclass(frozen=True, slots=True)
class InvitationRule:
    """At least ``minimum`` invitations, consecutive ones ``days_apart`` working days apart."""

    minimum: int
    days_apart: int
    calendar: WorkingDays

    def earliest_next(self, invited_on: date) -> date:
        """The first day the next invitation may come, ``days_apart`` working days later."""
        return self.calendar.add_working_days(invited_on, self.days_apart)

    def wait_ends(self, invited_on: Iterable[date]) -> date | None:
        """The last day a leg may wait after its newest invitation without being late, or
        None when the rule allows no more waiting (no invitation yet, or more than the
        minimum made: the item should be back at the office by then)."""
        days = sorted(invited_on)
        if not days or len(days) > self.minimum:
            return None
        return self.earliest_next(days[-1])

    def judge(self, invited_on: Iterable[date], returned_on: date | None) -> Judgement:
        """Judge a leg from its invitations' days and the day it was taken back, if it was.

        Only invitations up to the return day count; the reasons list every finding,
        the gaps that kept the rule as well as those that broke it."""
        days = tuple(sorted(d for d in invited_on if returned_on is None or d <= returned_on))
        reasons: list[Reason] = []
        broken = False
        for before, after in pairwise(days):
            earliest = self.earliest_next(before)
            ok = after >= earliest
            broken |= not ok
            code = "invite.reason.apart" if ok else "invite.reason.too_close"
            params = {"first": before, "second": after, "earliest": earliest}
            reasons.append(Reason(code, {**params, "days": self.days_apart}))
        if returned_on is None:
            return Judgement(None, days, None, tuple(reasons))
        if len(days) < self.minimum:
            broken = True
            reasons.append(
                Reason(
                    code="invite.reason.too_few",
                    params={"count": len(days), "minimum": self.minimum},
                )
            )
        verdict = (
            InvitationVerdict.RETURNED_WITHOUT_DUE_INVITATIONS
            if broken
            else InvitationVerdict.COMPLIANT
        )
        return Judgement(verdict, days, returned_on, tuple(reasons))

    def of_leg(
        self, invited_on: Iterable[date], returned_on: date | None, *, closed: bool
    ) -> LegInvitations:
        """The leg's newest invitation, the day it may wait until while it is open and not
        on its way back, and its verdict once it is on its way back."""
        days = sorted(invited_on)
        waiting = not closed and returned_on is None
        return LegInvitations(
            last_on=days[-1] if days else None,
            wait_until=self.wait_ends(days) if waiting else None,
            verdict=self.judge(days, returned_on).verdict,
        )


class LegState(Protocol):
    """What the rule reads of a leg besides its events: a ``Leg``, or a row of its columns
    (the pull's test of a record that changes nothing)."""

    @property
    def status(self) -> LegStatus: ...

    @property
    def status_at(self) -> datetime | None: ...

    @property
    def closed_at(self) -> datetime | None: ...


def _days(leg: LegState, steps: Iterable[Step], tz: ZoneInfo) -> tuple[list[date], date | None]:
    """The local days of the leg's failed delivery attempts (one per instant) and of its
    first step back to the office (from its own status when no event shows one)."""
    steps = list(steps)
    invited = sorted({step.occurred_at for step in steps if step.status.failed_delivery})
    back = min((step.occurred_at for step in steps if step.status.returning), default=None)
    if back is None and leg.status is not None and leg.status.returning:
        back = leg.status_at  # known from the order's record only, not from an event
    return [local_date(at, tz) for at in invited], local_date(back, tz) if back else None


def explain_leg(rule: InvitationRule, leg: Leg, steps: Iterable[Step], tz: ZoneInfo) -> Judgement:
    """The leg's verdict with its reasons, for those who show it (``postlink leg explain``,
    the dossier page)."""
    return rule.judge(*_days(leg, steps, tz))


def leg_columns(
    rule: InvitationRule, leg: LegState, steps: Iterable[Step], tz: ZoneInfo
) -> dict[str, date | str | None]:
    """The leg's columns reports and the overdue flag read: the newest invitation, the day
    it may wait until and, once on its way back, the verdict."""
    invited, back = _days(leg, steps, tz)
    stored = rule.of_leg(invited, back, closed=leg.closed_at is not None)
    return {
        "last_invitation_on": stored.last_on,
        "invitation_wait_until": stored.wait_until,
        "invitation_verdict": stored.verdict.value if stored.verdict else None,
    }


def record_leg(rule: InvitationRule, leg: Leg, steps: Iterable[Step], tz: ZoneInfo) -> None:
    """Store ``leg_columns`` on the leg."""
    for name, value in leg_columns(rule, leg, steps, tz).items():
        setattr(leg, name, value)
