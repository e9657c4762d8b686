"""How one procedure's eligibility changed from list to list.

A complaint or an audit asks why a dossier was (or was not) accepted by post at a given
time; the answer is the procedure's row in every list version, in date order, with what
changed from one to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from postlink.catalog.diff import Change, diff_entries
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot
from postlink.catalog.versions import entries_of
from postlink.identifiers import parse_procedure_code
from postlink.models import ListVersion, VersionStatus


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """The procedure in one version (no entries: not on that list) and the changes since
    the step before."""

    version: VersionSnapshot
    status: str
    entries: tuple[EntrySnapshot, ...]
    changes: tuple[Change, ...]


def procedure_history(session: Session, code: str) -> tuple[str, list[HistoryStep]]:
    """The base code and its steps through every non-draft version, oldest first."""
    base = parse_procedure_code(code).base
    versions = session.exec(
        select(ListVersion)
        .where(ListVersion.status != VersionStatus.DRAFT)
        .order_by(col(ListVersion.effective_from), col(ListVersion.id))
    ).all()
    steps: list[HistoryStep] = []
    previous: list[EntrySnapshot] = []
    for version in versions:
        entries = entries_of(session, version, code=base)
        changes = diff_entries(previous, entries) if steps else []
        steps.append(
            HistoryStep(VersionSnapshot.of(version), version.status, tuple(entries), tuple(changes))
        )
        previous = entries
    return base, steps
