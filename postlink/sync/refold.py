"""Re-fold legs carrying status codes the table did not know, once an admin maps them.

The post adds codes without notice; an event with an unmapped code is stored with status
``unknown`` and changes no leg (``legs.lifecycle``). When the admin adds the code to the
status table (``config/postal/``), this command re-reads those events' status from the table,
re-folds their legs (status, closing, deadline, match) and leaves one audit row, as
``rematch`` does for lists (issue 16).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update
from sqlmodel import Session, col, select

from postlink import audit
from postlink.legs.apply import SyncContext, refold_legs
from postlink.legs.status import LegStatus
from postlink.models import Event, Leg
from postlink.sync.status import unknown_codes

EVENTS = Event.__table__  # type: ignore[attr-defined]


def refold(session: Session, ctx: SyncContext, *, actor: str, reason: str) -> dict[str, object]:
    """Re-fold every leg that carries a formerly unknown code the table now maps."""
    if not reason.strip():
        raise ValueError("cần lý do cho nhật ký / a re-fold needs a reason for the audit trail")
    mapped = {
        seen.code: ctx.adapter.table.statuses[seen.code]
        for seen in unknown_codes(session)
        if seen.code in ctx.adapter.table.statuses
    }
    counts: Counter[str] = Counter()
    codes = sorted(mapped)
    leg_ids = set(
        session.exec(
            select(Event.leg_id).where(
                Event.status == LegStatus.UNKNOWN, col(Event.raw_code).in_(codes)
            )
        ).all()
    )
    listed = select(Leg.id).where(Leg.status == LegStatus.UNKNOWN, col(Leg.raw_status).in_(codes))
    leg_ids.update(i for i in session.exec(listed).all() if i is not None)
    legs = list(session.exec(select(Leg).where(col(Leg.id).in_(sorted(leg_ids)))).all())
    before = {leg.id: leg.status for leg in legs}
    for code, status in mapped.items():
        result = session.connection().execute(
            update(EVENTS)
            .where(EVENTS.c.status == LegStatus.UNKNOWN, EVENTS.c.raw_code == code)
            .values(status=status.value)
        )
        counts["events"] += result.rowcount or 0
    for leg in legs:
        if leg.status == LegStatus.UNKNOWN and leg.raw_status in mapped:
            leg.status = mapped[leg.raw_status]  # the list record's code, now known
    counts.update(refold_legs(session, ctx, legs))
    counts["changed"] = sum(1 for leg in legs if before[leg.id] != leg.status)
    summary: dict[str, object] = {"codes": codes, **counts}
    audit.record(
        session,
        actor=actor,
        action="refold",
        entity_type="leg",
        before={"codes": codes},
        after=dict(counts),
        reason=reason,
    )
    return summary
