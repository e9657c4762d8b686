"""The quarantine as a work queue: list, show, replay and resolve unreadable records.

A record the adapter could not read is kept raw with its reason (``legs.apply``), and the
feed cursor moves past it: the post will not send it again. So after an upgrade that fixes
a parser, ``replay`` re-reads the stored record with the code installed now
(``postal.reread``) and applies it through the path the pull uses (``sync.pull.prepare``
then ``apply_orders``: history fetched, legs upserted, folded, dated and judged), never
touching the cursor. A record that still fails stays open with its new reason. Every replay
and resolution leaves an audit row (issue 16).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from postlink import audit
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.legs.apply import SyncContext, apply_events, apply_orders, legless_reason
from postlink.legs.ingest import prepare
from postlink.models import Leg, Quarantined
from postlink.postal.models import Event, Order
from postlink.postal.reread import Unreadable, reread
from postlink.timeutil import utcnow

#: Records replayed per transaction (each may cost one history call to the post).
REPLAY_BATCH = 200
REPLAYED = "replayed"


class QuarantineError(PostlinkError):
    """A quarantine command that cannot be done (unknown id, already resolved, no note)."""


def open_rows(
    session: Session, *, reason: str | None = None, limit: int | None = None
) -> list[Quarantined]:
    """Open records, oldest first; only those with exactly ``reason`` if given."""
    query = select(Quarantined).where(col(Quarantined.resolved_at).is_(None))
    if reason is not None:
        query = query.where(Quarantined.reason == reason)
    query = query.order_by(col(Quarantined.id))
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def open_reasons(session: Session) -> list[tuple[str, int]]:
    """Open records grouped by reason, the most frequent first."""
    rows = session.exec(
        select(Quarantined.reason, func.count())
        .where(col(Quarantined.resolved_at).is_(None))
        .group_by(col(Quarantined.reason))
        .order_by(func.count().desc(), col(Quarantined.reason))
    ).all()
    return [(str(reason), int(count)) for reason, count in rows]


def get(session: Session, record_id: int) -> Quarantined:
    row = session.get(Quarantined, record_id)
    if row is None:
        raise QuarantineError(code="quarantine.no_record", id=record_id)
    return row


def as_dict(row: Quarantined) -> dict[str, Any]:
    return row.model_dump()


def resolve(session: Session, record_id: int, *, actor: str, note: str) -> Quarantined:
    """Close a record by hand (the admin dealt with it outside postlink), with a note."""
    if not note.strip():
        raise QuarantineError(code="quarantine.note_needed")
    row = get(session, record_id)
    if row.resolved_at is not None:
        raise QuarantineError(code="quarantine.already_resolved", ids=record_id)
    row.resolved_at, row.resolved_by, row.resolution = utcnow(), actor, note.strip()
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="quarantine.resolve",
        entity_type="quarantine",
        entity_id=record_id,
        before={"reason": row.reason, "source": row.source},
        after={"resolution": row.resolution},
        reason=note.strip(),
    )
    return row


@dataclass
class ReplayOutcome:
    """What a replay did: records recovered, records still failing with their reasons."""

    replayed: int = 0
    recovered: list[int] = field(default_factory=list)
    still_failing: dict[int, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "replayed": self.replayed,
            "recovered": len(self.recovered),
            "still_failing": len(self.still_failing),
            "recovered_ids": self.recovered,
            "failing": [{"id": i, "reason": r} for i, r in self.still_failing.items()],
            "applied": dict(self.counts),
        }


def _select_ids(
    session: Session, ids: Sequence[int], reason: str | None, everything: bool
) -> list[int]:
    if sum((bool(ids), reason is not None, everything)) != 1:
        raise QuarantineError(code="quarantine.choose_one")
    if ids:
        rows = [get(session, i) for i in ids]
        done = [r.id for r in rows if r.resolved_at is not None]
        if done:
            raise QuarantineError(code="quarantine.already_resolved", ids=", ".join(map(str, done)))
        return [r.id for r in rows if r.id is not None]
    return [r.id for r in open_rows(session, reason=reason) if r.id is not None]


def replay(
    ctx: SyncContext,
    *,
    actor: str,
    ids: Sequence[int] = (),
    reason: str | None = None,
    everything: bool = False,
    lock: AbstractContextManager[Any] | None = None,
) -> ReplayOutcome:
    """Replay records by id, all of one reason, or all open ones, in batches.

    ``lock`` is held for one batch at a time: the console passes its webhook lock (the
    adapter's HTTP session serves one caller at a time), so a webhook arriving during a
    replay of every record waits for one batch, not for the whole replay."""
    with Session(ctx.engine) as session:
        chosen = _select_ids(session, ids, reason, everything)
    outcome = ReplayOutcome()
    for start in range(0, len(chosen), REPLAY_BATCH):
        with lock or nullcontext():
            _replay_batch(ctx, chosen[start : start + REPLAY_BATCH], actor, outcome)
    return outcome


def _reread_rows(
    ctx: SyncContext, rows: Sequence[Quarantined], outcome: ReplayOutcome
) -> tuple[dict[int, list[Order]], dict[int, list[Event]]]:
    """Each row's orders and events as the code installed now reads them."""
    orders: dict[int, list[Order]] = {}
    events: dict[int, list[Event]] = {}
    for row in rows:
        assert row.id is not None
        if row.adapter != ctx.adapter.name:  # read by its own adapter only; reason kept
            outcome.still_failing[row.id] = row.reason
            continue
        try:
            found = reread(row.adapter, row.source, row.raw, ctx.adapter.table)
        except Unreadable as exc:
            outcome.still_failing[row.id] = str(exc)
            continue
        orders[row.id], events[row.id] = found.orders, found.events
    return orders, events


def _without_leg(session: Session, adapter: str, orders: Sequence[Order]) -> set[str]:
    """References of orders whose kind is unknown and that no stored leg carries."""
    unsure = [o.reference for o in orders if o.leg is None]
    if not unsure:
        return set()
    known = session.exec(
        select(Leg.reference).where(Leg.adapter == adapter, col(Leg.reference).in_(unsure))
    ).all()
    return set(unsure) - set(known)


def _replay_batch(ctx: SyncContext, ids: list[int], actor: str, outcome: ReplayOutcome) -> None:
    with Session(ctx.engine) as session:
        rows = list(session.exec(select(Quarantined).where(col(Quarantined.id).in_(ids))))
    orders, events = _reread_rows(ctx, rows, outcome)
    with Session(ctx.engine) as session:
        legless = _without_leg(session, ctx.adapter.name, [o for os in orders.values() for o in os])
    for row_id, found in list(orders.items()):
        lost = [o.reference for o in found if o.reference in legless]
        if lost:
            outcome.still_failing[row_id] = legless_reason(lost[0])
            del orders[row_id], events[row_id]
    ready = prepare(ctx, [o for found in orders.values() for o in found])
    with session_scope(ctx.engine) as session:
        outcome.counts.update(
            apply_orders(
                session, ctx, ready.batch, ready.histories, ready.quarantined, source="replay"
            )
        )
        applied, orphans = apply_events(
            session, ctx, [e for found in events.values() for e in found], source="replay"
        )
        outcome.counts.update(applied)
        orphan_items = {e.item_code for e in orphans}
        now = utcnow()
        for row in rows:
            assert row.id is not None
            mine = {e.item_code for e in events.get(row.id, [])} & orphan_items
            if row.id in events and mine:
                outcome.still_failing[row.id] = (
                    f"chưa có bưu gửi mang số hiệu {sorted(mine)[0]} / no leg carries item"
                    f" {sorted(mine)[0]} yet"
                )
            stored = session.get(Quarantined, row.id)
            assert stored is not None
            if row.id in outcome.still_failing:
                stored.reason = outcome.still_failing[row.id]
            else:
                stored.resolved_at, stored.resolved_by, stored.resolution = now, actor, REPLAYED
                outcome.recovered.append(row.id)
            session.add(stored)
        outcome.replayed += len(rows)
        audit.record(
            session,
            actor=actor,
            action="quarantine.replay",
            entity_type="quarantine",
            entity_id=",".join(str(i) for i in ids[:20]),
            before={"records": len(rows)},
            after={
                "recovered": sum(1 for r in rows if r.id in outcome.recovered),
                "still_failing": sum(1 for r in rows if r.id in outcome.still_failing),
            },
        )
