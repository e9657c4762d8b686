"""Append-only audit trail: every write by a person or an admin command leaves a row.

Following Open Zaak's practice, a row records who, what, the entity, its state before and
after, and why; rows are written in the same transaction as the change they describe, so
an audited change and its audit row commit or roll back together.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from postlink.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Add an audit row to ``session`` (committed with the caller's unit of work)."""
    if not actor.strip():
        raise ValueError("an audited action needs an actor (user name or 'system')")
    entry = AuditEntry(
        actor=actor.strip(),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
        reason=reason,
    )
    session.add(entry)
    return entry
