"""Finding list versions and their entries; the timeline of published versions.

Published versions form one timeline: their windows ``[effective_from, effective_to)`` never
overlap (the rules that keep it so are in ``publish``). "The list in force on day D" is the
published version whose window contains D: QĐ 45/2016 art. 18 lists are reissued by
decision, and a dossier is judged against the list in force when it was handed to the post.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from postlink.catalog.snapshots import EntrySnapshot, id_of, read_entries
from postlink.db import serialize
from postlink.errors import PostlinkError
from postlink.identifiers import clean
from postlink.models import ListVersion, VersionStatus

#: Key of the PostgreSQL advisory lock that serialises changes to the timeline.
_TIMELINE_LOCK = 0x706C_6361  # "plca"


def all_versions(session: Session) -> list[ListVersion]:
    """Every version, the latest effective date first (the order admins read them in)."""
    return list(
        session.exec(
            select(ListVersion).order_by(
                col(ListVersion.effective_from).desc(), col(ListVersion.id).desc()
            )
        ).all()
    )


def find_version(session: Session, ref: str | int) -> ListVersion:
    """A version by id (``3``) or by decision number (``125/QĐ-UBND``), for the CLI."""
    text_ref = clean(str(ref))
    if text_ref.isdigit():
        version = session.get(ListVersion, int(text_ref))
        if version is None:
            raise PostlinkError(code="catalog.no_version", ref=text_ref)
        return version
    # Compared in Python: SQLite's lower() leaves "Đ" alone. Versions are few (a handful
    # of decisions a year), so reading them all is cheap.
    wanted = text_ref.casefold()
    matches = [v for v in all_versions(session) if v.decision.casefold() == wanted]
    if not matches:
        raise PostlinkError(code="catalog.unknown_decision", ref=text_ref)
    if len(matches) > 1:
        ids = ", ".join(str(v.id) for v in sorted(matches, key=id_of))
        raise PostlinkError(code="catalog.ambiguous_decision", ref=text_ref, ids=ids)
    return matches[0]


def in_force_on(session: Session, day: date) -> ListVersion | None:
    """The published version whose window contains ``day``, if any."""
    return session.exec(
        select(ListVersion).where(
            ListVersion.status == VersionStatus.PUBLISHED,
            col(ListVersion.effective_from) <= day,
            or_(col(ListVersion.effective_to).is_(None), col(ListVersion.effective_to) > day),
        )
    ).first()


def published_versions(session: Session) -> list[ListVersion]:
    """The timeline: published versions by start date."""
    return list(
        session.exec(
            select(ListVersion)
            .where(ListVersion.status == VersionStatus.PUBLISHED)
            .order_by(col(ListVersion.effective_from))
        ).all()
    )


def entries_of(
    session: Session, version: ListVersion, code: str | None = None
) -> list[EntrySnapshot]:
    """A version's entries in the order of the source file (or those of one base code)."""
    return read_entries(session, id_of(version), code)


def lock_timeline(session: Session) -> None:
    """Serialise publish and withdraw: two admins at once must not both cut one window."""
    serialize(session, _TIMELINE_LOCK)


def state_of(version: ListVersion) -> dict[str, Any]:
    """The audited state of a version (JSON-safe: dates as ISO text)."""
    return {
        "decision": version.decision,
        "status": version.status,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
    }
