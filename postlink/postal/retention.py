"""Masking the personal data in the post's stored bodies once their raw retention is over.

The exchange log and the quarantine keep what the post sent, raw, so that a parser can be
fixed and a record replayed; after ``POSTLINK_RAW_BODY_RETENTION_DAYS`` the names, phones
and addresses in them are masked in place (``postal.personal``; Law 91/2025/QH15 on
personal data protection, issue 13 §5), the rest of each body kept for audit, and the
row's ``masked_at`` set so that no later pass reads it again. The daemon's housekeeping
job runs this (``sync.jobs``), and ``postlink postal mask-bodies`` runs it by hand.

Never the legal records: legs, events, handovers and the audit log are not touched here
(TT 17/2017 art. 14 keeps them at least five years; ``POSTLINK_RECORD_RETENTION_YEARS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, bindparam, select, update

from postlink.db import get_engine
from postlink.models import Exchange, Quarantined
from postlink.postal.personal import mask_personal
from postlink.timeutil import utcnow

#: Rows masked per transaction: a short lock, and a bounded batch of bodies in memory.
BATCH = 500

EXCHANGES: Table = Exchange.__table__  # type: ignore[attr-defined]
QUARANTINE: Table = Quarantined.__table__  # type: ignore[attr-defined]
#: The columns of each table that hold what the post sent (or what failed with it).
BODIES: dict[str, tuple[str, ...]] = {
    "exchange": ("request_body", "response_body", "error"),
    "quarantine": ("raw",),
}


@dataclass(frozen=True, slots=True)
class MaskedCounts:
    """How many rows of each table had their bodies masked in one pass."""

    exchanges: int
    quarantined: int

    def as_dict(self) -> dict[str, int]:
        return {"exchanges_masked": self.exchanges, "quarantined_masked": self.quarantined}


def _mask_table(engine: Engine, table: Table, cutoff: datetime) -> int:
    columns = BODIES[table.name]
    pending = (
        select(table.c.id, *(table.c[name] for name in columns))
        .where(table.c.masked_at.is_(None), table.c.at < cutoff)
        .order_by(table.c.id)
        .limit(BATCH)
    )
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(
            {**{name: bindparam(f"new_{name}") for name in columns}, "masked_at": bindparam("now")}
        )
    )
    masked = 0
    while True:
        with engine.begin() as connection:
            rows = connection.execute(pending).all()
            if not rows:
                return masked
            now = utcnow()
            changes: list[dict[str, Any]] = [
                {
                    "row_id": row.id,
                    "now": now,
                    **{f"new_{name}": mask_personal(getattr(row, name)) for name in columns},
                }
                for row in rows
            ]
            connection.execute(statement, changes)
        masked += len(rows)


def mask_old_bodies(older_than: timedelta, engine: Engine | None = None) -> MaskedCounts:
    """Mask the personal data of exchange-log and quarantine bodies older than
    ``older_than`` and not masked yet; returns how many rows of each were masked."""
    engine = engine or get_engine()
    cutoff = utcnow() - older_than
    return MaskedCounts(
        exchanges=_mask_table(engine, EXCHANGES, cutoff),
        quarantined=_mask_table(engine, QUARANTINE, cutoff),
    )
