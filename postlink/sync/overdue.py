"""Flag legs that missed their legal deadline (TT 17/2017 art. 7 and art. 5 cl. 2 point h).

An open leg is overdue once the last day it may stay open has passed: its J + n deadline,
or, while it waits between failed-delivery invitations, the day the invitation rule lets it
wait until (``Leg.invitation_wait_until``, stored by the fold from
``postlink.legs.invitations``). So a result whose deadline falls during a wait the rule
allows is not late; one whose next invitation (or return) has not come by then is, even
before its deadline.

Legs taken back to the office before postlink judged invitations (migration 0010) carry no
verdict; each run re-folds a batch of them from their stored events, so reports soon count
them too.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, select

from postlink.legs.apply import SyncContext, refold_legs
from postlink.legs.status import statuses
from postlink.models import Leg

#: Legs taken back without a verdict that one run judges at most.
JUDGE_BATCH = 500


def _flag(session: Session, *late: ColumnElement[bool]) -> int:
    """Set ``overdue`` on the open legs not flagged yet that match ``late``; how many."""
    flagged = session.execute(
        update(Leg)
        .where(col(Leg.overdue).is_(False), col(Leg.closed_at).is_(None), *late)
        .values(overdue=True)
        .returning(col(Leg.id))
    )
    return len(flagged.all())


def flag_overdue(session: Session, today: date) -> Counter[str]:
    """Set ``overdue`` on open legs past their deadline or past the wait for an invitation."""
    waiting = col(Leg.invitation_wait_until)
    return Counter(
        {
            "overdue_invitation": _flag(session, waiting < today),
            "overdue_deadline": _flag(session, waiting.is_(None), col(Leg.deadline) < today),
        }
    )


def judge_returned_legs(session: Session, ctx: SyncContext) -> int:
    """Give a verdict to legs taken back to the office that have none yet; how many."""
    unjudged = session.exec(
        select(Leg)
        .where(
            col(Leg.status).in_(statuses(lambda s: s.returning)),
            col(Leg.invitation_verdict).is_(None),
        )
        .order_by(col(Leg.id))
        .limit(JUDGE_BATCH)
    ).all()
    refold_legs(session, ctx, list(unjudged))
    return len(unjudged)
