"""Versions built straight in the database, for tests about windows rather than files."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from postlink.catalog.snapshots import EntrySnapshot
from postlink.models import Level, ListEntry, ListVersion, VersionStatus


def entry(
    code: str, submission: bool = True, result: bool = True, **values: object
) -> EntrySnapshot:
    fields: dict[str, object] = {
        "code": code,
        "code_raw": code,
        "name": f"Thủ tục {code}",
        "field": "Hộ tịch",
        "level": Level.XA,
        "agency": "UBND cấp xã",
        "agency_code": "",
        "postal_submission": submission,
        "postal_return": result,
        "reason": "" if submission or result else "Phải có mặt",
        "legal_basis": "",
        "note": "",
    }
    return EntrySnapshot(**(fields | values))  # type: ignore[arg-type]


def add_draft(
    session: Session, effective: date, *entries: EntrySnapshot, decision: str = ""
) -> ListVersion:
    """A draft version with ``entries`` (one default entry when none are given)."""
    version = ListVersion(
        decision=decision or f"{effective:%m%d}/QĐ-UBND",
        effective_from=effective,
        entry_count=len(entries) or 1,
        imported_by="tester",
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    for row, item in enumerate(entries or (entry("1.001193"),), start=1):
        session.add(ListEntry(**item.row_values(version.id, row)))
    session.flush()
    return version


def published_windows(session: Session) -> list[tuple[int | None, date, date | None]]:
    rows = session.exec(
        select(ListVersion)
        .where(ListVersion.status == VersionStatus.PUBLISHED)
        .order_by(col(ListVersion.effective_from))
    ).all()
    return [(v.id, v.effective_from, v.effective_to) for v in rows]
