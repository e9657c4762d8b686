"""Flag legs that missed their legal deadline (TT 17/2017 art. 7, QĐ 45/2016 art. 10).

Two rules: an open leg whose J + n deadline has passed is overdue; and a result whose
delivery failed is overdue when the next invitation, due two working days after the
failure, has not happened (the leg still stands at the failed attempt).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from postlink.legs.deadlines import DeadlinePolicy
from postlink.legs.status import LegStatus
from postlink.models import Leg
from postlink.timeutil import local_date


def flag_overdue(
    session: Session, policy: DeadlinePolicy, tz: ZoneInfo, today: date
) -> Counter[str]:
    """Set ``overdue`` on open legs past their deadline or past a due re-invitation."""
    counts: Counter[str] = Counter()
    late = session.execute(
        update(Leg)
        .where(
            col(Leg.overdue).is_(False),
            col(Leg.closed_at).is_(None),
            col(Leg.deadline) < today,
        )
        .values(overdue=True)
        .returning(col(Leg.id))
    )
    counts["overdue_deadline"] = len(late.all())
    waiting = session.exec(
        select(Leg).where(
            col(Leg.overdue).is_(False),
            col(Leg.closed_at).is_(None),
            Leg.status == LegStatus.DELIVERY_FAILED_ATTEMPT,
        )
    ).all()
    for leg in waiting:
        if leg.status_at and policy.next_invitation_due(local_date(leg.status_at, tz)) < today:
            leg.overdue = True
            session.add(leg)
            counts["overdue_invitation"] += 1
    return counts
