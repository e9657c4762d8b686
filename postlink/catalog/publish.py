"""Publishing and withdrawing list versions: the rules that keep one timeline.

QĐ 45/2016/QĐ-TTg art. 18 has the provincial chairman publish, by decision, the lists of
procedures that may and may not go through the post; lists are reissued as procedures
change, and each postal record is judged against the list in force when it happened. So
published versions form one timeline of windows ``[effective_from, effective_to)`` that
never overlap:

* Only a draft can be published, and a published list is never edited: a correction is a
  new version.
* Publishing a version effective from day F ends the window of the version in force just
  before F at F (it stays the answer for earlier days). Published versions starting on or
  after F (a same-day replacement, or a later list the new one covers entirely) become
  ``superseded`` with an empty window ``[from, from)``. The new version is in force from F
  on, until a later one is published. F may be in the future.
* A list identical to the one in force on F is refused as "no changes" unless forced.
* Withdrawing a published version (a decision annulled or issued in error) needs a reason;
  its window goes back to the version before it (the published one whose window ends where
  it starts), or becomes a gap with no list in force when there is none. Versions it had
  superseded stay superseded: bringing one back is a new import of that list.
* Withdrawing a draft simply retires it.

Every change of status or window leaves an audit row, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from postlink import audit
from postlink.catalog.diff import CatalogDiff, diff_against_base
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot, id_of
from postlink.catalog.versions import entries_of, lock_timeline, published_versions, state_of
from postlink.errors import PostlinkError
from postlink.identifiers import clean
from postlink.models import ListVersion, VersionStatus
from postlink.timeutil import utcnow

ENTITY = "list_version"


class NoChangesError(PostlinkError):
    """The draft is identical to ``base``, the list in force on its effective date."""

    def __init__(self, message: str, base: VersionSnapshot) -> None:
        super().__init__(message)
        self.base = base


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What publishing did: the diff it brought and the versions whose window it changed."""

    version: VersionSnapshot
    diff: CatalogDiff
    shortened: tuple[VersionSnapshot, ...]
    superseded: tuple[VersionSnapshot, ...]


@dataclass(frozen=True, slots=True)
class WithdrawOutcome:
    """The withdrawn version and the one that took its window back, if any."""

    version: VersionSnapshot
    extended: VersionSnapshot | None


def _apply(
    session: Session,
    version: ListVersion,
    *,
    actor: str,
    action: str,
    reason: str,
    **values: object,
) -> VersionSnapshot:
    """Set ``values`` on ``version`` and audit the change with its state before and after."""
    before = state_of(version)
    for name, value in values.items():
        setattr(version, name, value)
    session.add(version)
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type=ENTITY,
        entity_id=id_of(version),
        before=before,
        after=state_of(version),
        reason=reason,
    )
    return VersionSnapshot.of(version)


def _label(version: ListVersion) -> str:
    return f"version {version.id} ({version.decision})"


def publish(
    session: Session,
    version: ListVersion,
    *,
    actor: str,
    force: bool = False,
    entries: Sequence[EntrySnapshot] | None = None,
) -> PublishOutcome:
    """Publish a draft under the rules above; raise ``NoChangesError`` for an identical list.

    ``entries`` are the draft's entries when the caller has them (the importer does), which
    saves reading a large list back from the database.
    """
    if version.status != VersionStatus.DRAFT:
        raise PostlinkError(
            f"{_label(version)} is {version.status}; only a draft can be published "
            "(a correction to a published list is a new import)"
        )
    lock_timeline(session)
    start = version.effective_from
    if entries is None:
        entries = entries_of(session, version)
    diff = diff_against_base(session, entries, version)
    if diff.is_empty and diff.base is not None and not force:
        raise NoChangesError(
            f"no changes: {_label(version)} is identical to version {diff.base.id} "
            f"({diff.base.decision}) in force on {start:%d/%m/%Y}; use --force to publish "
            "it anyway",
            diff.base,
        )
    taking_over = f"{_label(version)} is in force from {start:%d/%m/%Y}"
    shortened: list[VersionSnapshot] = []
    superseded: list[VersionSnapshot] = []
    for other in published_versions(session):
        if other.effective_from >= start:
            superseded.append(
                _apply(
                    session,
                    other,
                    actor=actor,
                    action="catalog.supersede",
                    reason=taking_over,
                    status=VersionStatus.SUPERSEDED,
                    effective_to=other.effective_from,
                )
            )
        elif other.effective_to is None or other.effective_to > start:
            shortened.append(
                _apply(
                    session,
                    other,
                    actor=actor,
                    action="catalog.shorten",
                    reason=taking_over,
                    effective_to=start,
                )
            )
    published = _apply(
        session,
        version,
        actor=actor,
        action="catalog.publish",
        reason=taking_over,
        status=VersionStatus.PUBLISHED,
        effective_to=None,
        published_by=actor,
        published_at=utcnow(),
    )
    return PublishOutcome(published, diff, tuple(shortened), tuple(superseded))


def withdraw(session: Session, version: ListVersion, *, actor: str, reason: str) -> WithdrawOutcome:
    """Withdraw a draft or a published version; its window goes back to its predecessor."""
    why = clean(reason)
    if not why:
        raise PostlinkError(
            "a withdrawal needs a reason (--reason), e.g. the decision annulling it"
        )
    if version.status not in (VersionStatus.DRAFT, VersionStatus.PUBLISHED):
        raise PostlinkError(
            f"{_label(version)} is {version.status}; only a draft or a published version "
            "can be withdrawn"
        )
    lock_timeline(session)
    extended = None
    if version.status == VersionStatus.PUBLISHED:
        previous = session.exec(
            select(ListVersion).where(
                ListVersion.status == VersionStatus.PUBLISHED,
                ListVersion.effective_to == version.effective_from,
                col(ListVersion.id) != version.id,
            )
        ).first()
        if previous is not None:
            extended = _apply(
                session,
                previous,
                actor=actor,
                action="catalog.extend",
                reason=f"{_label(version)} withdrawn: {why}",
                effective_to=version.effective_to,
            )
    withdrawn = _apply(
        session,
        version,
        actor=actor,
        action="catalog.withdraw",
        reason=why,
        status=VersionStatus.WITHDRAWN,
        withdrawn_by=actor,
        withdrawn_at=utcnow(),
        withdraw_reason=why,
    )
    return WithdrawOutcome(withdrawn, extended)
