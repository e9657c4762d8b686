"""Re-judge legs against the lists now published: an explicit, audited admin action.

Publishing a list never changes past matches by itself (a leg keeps the version in force at
its J date as it was known then). When an admin corrects or back-dates a list, this command
re-judges the chosen legs and leaves one audit row with what changed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlmodel import Session, col, select

from postlink import audit
from postlink.legs.apply import SyncContext
from postlink.legs.match import judge_leg
from postlink.models import Dossier, Leg

BATCH = 1000


def rematch(
    session: Session,
    ctx: SyncContext,
    *,
    actor: str,
    reason: str,
    since: date | None = None,
    until: date | None = None,
    procedure: str | None = None,
) -> dict[str, int]:
    """Re-judge legs whose J date lies in [since, until] (and of ``procedure``, if given)."""
    if not reason.strip():
        raise ValueError("a re-match needs a reason for the audit trail")
    query = select(Leg, Dossier).outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
    if since is not None:
        query = query.where(col(Leg.j_date) >= since)
    if until is not None:
        query = query.where(col(Leg.j_date) <= until)
    if procedure is not None:
        query = query.where(Leg.procedure_code == procedure)
    changes: Counter[str] = Counter()
    for leg, dossier in session.exec(
        query.order_by(col(Leg.id)).execution_options(yield_per=BATCH)
    ):
        before = (leg.match_class, leg.match_version_id)
        result = judge_leg(ctx.resolver, leg, dossier, ctx.tz)
        changes["legs"] += 1
        if before != (result.match_class, result.version_id):
            changes[f"{before[0]}->{result.match_class}"] += 1
            changes["changed"] += 1
        session.add(leg)
    audit.record(
        session,
        actor=actor,
        action="rematch",
        entity_type="leg",
        before={"since": str(since or ""), "until": str(until or ""), "procedure": procedure},
        after=dict(changes),
        reason=reason,
    )
    return dict(changes)
