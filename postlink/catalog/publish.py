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
* Publishing that rewrites history (F before today, and a published window cut or
  superseded over past dates, or recorded legs that would be judged differently) is refused
  unless confirmed, with a ``PublishPlan`` saying, before anything changes, which versions
  are cut or superseded with their real dates and how many legs would be judged
  differently (re-judging them is the audited ``postlink.sync.rematch``; publishing never
  re-judges by itself, TT 17/2017 art. 7 judges a leg by the list in force at its J date).
* Withdrawing a published version (a decision annulled or issued in error) needs a reason;
  its window goes back to the version before it (the published one whose window ends where
  it starts), or becomes a gap with no list in force when there is none, which must be
  confirmed (``GapError`` names the dates). Versions it had superseded stay superseded:
  bringing one back is a new import of that list.
* Withdrawing a draft simply retires it.

Every change of status or window leaves an audit row, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from postlink import audit
from postlink.catalog.diff import CatalogDiff, diff_against_base
from postlink.catalog.resolve import Resolver, index_from
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot, id_of
from postlink.catalog.versions import entries_of, lock_timeline, published_versions, state_of
from postlink.errors import PostlinkError
from postlink.identifiers import clean
from postlink.models import Dossier, Leg, ListVersion, VersionStatus
from postlink.settings import get_settings
from postlink.timeutil import format_day, utcnow
from postlink.words import CodedValue, Phrase, say

ENTITY = "list_version"


class NoChangesError(PostlinkError):
    """The draft is identical to ``base``, the list in force on its effective date."""

    def __init__(self, base: VersionSnapshot, /, *, code: str, **params: object) -> None:
        super().__init__(code=code, **params)
        self.base = base


@dataclass(frozen=True, slots=True)
class PublishPlan:
    """What publishing ``version`` would do, said before anything changes.

    ``shortened`` holds each cut version as it is now (its real window) with the day its
    window would end; ``superseded`` the versions that would lose their whole window;
    ``legs_changed`` how many recorded legs from the effective date on would be judged
    differently (of ``legs_checked``).
    """

    version: VersionSnapshot
    today: date
    shortened: tuple[tuple[VersionSnapshot, date], ...]
    superseded: tuple[VersionSnapshot, ...]
    legs_checked: int
    legs_changed: int

    @property
    def rewrites_history(self) -> bool:
        """Whether dates already lived through would be judged by another list."""
        return self.version.effective_from < self.today and bool(
            self.shortened or self.superseded or self.legs_changed
        )

    def lines(self) -> list[Phrase]:
        """The plan in words, one line per consequence, dates as dd/mm/yyyy."""
        version, start = self.version, self.version.effective_from
        said = [
            Phrase(
                "catalog.plan.in_force_past" if start < self.today else "catalog.plan.in_force",
                {"id": version.id, "decision": version.decision, "start": format_day(start)},
            )
        ]
        for before, end in self.shortened:
            said.append(
                Phrase(
                    "catalog.plan.shortened"
                    if before.effective_to
                    else "catalog.plan.shortened_open",
                    {
                        "id": before.id,
                        "decision": before.decision,
                        "since": format_day(before.effective_from),
                        "until": format_day(before.effective_to),
                        "end": format_day(end),
                    },
                )
            )
        for other in self.superseded:
            if other.effective_from > self.today:
                code = "catalog.plan.superseded_early"
            elif other.effective_to is None:
                code = "catalog.plan.superseded_open"
            else:
                code = "catalog.plan.superseded"
            said.append(
                Phrase(
                    code,
                    {
                        "id": other.id,
                        "decision": other.decision,
                        "since": format_day(other.effective_from),
                        "until": format_day(other.effective_to),
                    },
                )
            )
        said.append(
            Phrase(
                "catalog.plan.legs",
                {
                    "changed": self.legs_changed,
                    "checked": self.legs_checked,
                    "start": format_day(start),
                },
            )
        )
        return said


class ConfirmationNeeded(PostlinkError):
    """Publishing would rewrite history; ``plan`` says how. Publish again with confirmation.

    Its text is the refusal followed by the plan's lines, each worded when shown."""

    def __init__(self, plan: PublishPlan) -> None:
        super().__init__(
            code="catalog.needs_confirmation", id=plan.version.id, decision=plan.version.decision
        )
        self.plan = plan

    def __str__(self) -> str:
        return " ".join([super().__str__(), *(f"{line}." for line in self.plan.lines())])


class GapError(PostlinkError):
    """Withdrawing would leave dates with no list in force; confirm to go ahead."""

    def __init__(self, version: ListVersion, start: date, end: date | None) -> None:
        super().__init__(
            code="catalog.gap" if end else "catalog.gap_open",
            id=version.id,
            decision=version.decision,
            start=format_day(start),
            last=format_day(end - timedelta(days=1)) if end else "",
        )
        self.start, self.end = start, end


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What publishing did: the diff it brought and the versions whose window it changed."""

    version: VersionSnapshot
    diff: CatalogDiff
    shortened: tuple[VersionSnapshot, ...]
    superseded: tuple[VersionSnapshot, ...]
    plan: PublishPlan


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


def local_today(tz: ZoneInfo | None = None) -> date:
    """Today in the province (``POSTLINK_TIMEZONE``): what "in the past" is measured from."""
    return utcnow().astimezone(tz or get_settings().tz).date()


def legs_judged_differently(
    session: Session, version: VersionSnapshot, entries: Sequence[EntrySnapshot], tz: ZoneInfo
) -> tuple[int, int]:
    """(legs checked, legs whose match class would change) once ``version`` is in force.

    Publishing from F makes the new list the answer for every date from F on, so SQL picks
    the legs whose date may fall there and the sync's own ``judge`` (over a what-if
    timeline) says how each would be judged; nothing is written.
    """
    from postlink.legs.match import judge, match_date  # the sync layer, only when asked
    from postlink.models import LegKind

    resolver = Resolver.fixed(session.get_bind(), index_from(version, entries), tz)  # type: ignore[arg-type]
    start = version.effective_from
    query = (
        select(Leg, Dossier.procedure_code)
        .outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
        .where(or_(col(Leg.j_date) >= start, col(Leg.j_date).is_(None)))
        .order_by(col(Leg.id))
        .execution_options(yield_per=1000)
    )
    checked = changed = 0
    for leg, registered in session.exec(query):
        on = match_date(leg, tz)
        if on < start:
            continue
        checked += 1
        result = judge(
            resolver,
            leg=LegKind(leg.kind),
            procedure_code=leg.procedure_code,
            registered_procedure=registered,
            agency_code=leg.agency_code,
            on=on,
            tz=tz,
        )
        if result.match_class != leg.match_class:
            changed += 1
    return checked, changed


def plan_publish(
    session: Session,
    version: ListVersion,
    entries: Sequence[EntrySnapshot],
    *,
    today: date | None = None,
) -> PublishPlan:
    """What publishing ``version`` would change; reads only."""
    tz = get_settings().tz
    start = version.effective_from
    shortened: list[tuple[VersionSnapshot, date]] = []
    superseded: list[VersionSnapshot] = []
    for other in published_versions(session):
        if other.id == version.id:
            continue
        if other.effective_from >= start:
            superseded.append(VersionSnapshot.of(other))
        elif other.effective_to is None or other.effective_to > start:
            shortened.append((VersionSnapshot.of(other), start))
    snapshot = VersionSnapshot.of(version)
    checked, changed = legs_judged_differently(session, snapshot, entries, tz)
    return PublishPlan(
        snapshot, today or local_today(tz), tuple(shortened), tuple(superseded), checked, changed
    )


def publish(
    session: Session,
    version: ListVersion,
    *,
    actor: str,
    force: bool = False,
    confirm: bool = False,
    entries: Sequence[EntrySnapshot] | None = None,
    today: date | None = None,
) -> PublishOutcome:
    """Publish a draft under the rules above; raise ``NoChangesError`` for an identical list
    (unless ``force``) and ``ConfirmationNeeded`` when it rewrites history (unless
    ``confirm``).

    ``entries`` are the draft's entries when the caller has them (the importer does), which
    saves reading a large list back from the database.
    """
    if version.status != VersionStatus.DRAFT:
        raise PostlinkError(
            code="catalog.publish_not_draft",
            id=version.id,
            decision=version.decision,
            status=CodedValue("version", version.status),
        )
    lock_timeline(session)
    start = version.effective_from
    if entries is None:
        entries = entries_of(session, version)
    diff = diff_against_base(session, entries, version)
    if diff.is_empty and diff.base is not None and not force:
        raise NoChangesError(
            diff.base,
            code="catalog.unchanged",
            version=version.id,
            base=diff.base.id,
            decision=diff.base.decision,
            day=format_day(start),
        )
    plan = plan_publish(session, version, entries, today=today)
    if plan.rewrites_history and not confirm:
        raise ConfirmationNeeded(plan)
    # Stored in the audit log, which the console shows as it is: worded as it is written.
    taking_over = say(
        "catalog.audit.in_force", id=version.id, decision=version.decision, start=format_day(start)
    )
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
    return PublishOutcome(published, diff, tuple(shortened), tuple(superseded), plan)


def withdraw(
    session: Session, version: ListVersion, *, actor: str, reason: str, confirm: bool = False
) -> WithdrawOutcome:
    """Withdraw a draft or a published version; its window goes back to its predecessor.

    When there is none, its dates are left with no list in force: ``GapError`` says which,
    unless ``confirm``.
    """
    why = clean(reason)
    if not why:
        raise PostlinkError(code="catalog.withdraw_reason")
    if version.status not in (VersionStatus.DRAFT, VersionStatus.PUBLISHED):
        raise PostlinkError(
            code="catalog.withdraw_not_draft",
            id=version.id,
            decision=version.decision,
            status=CodedValue("version", version.status),
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
        if previous is None and not confirm:
            raise GapError(version, version.effective_from, version.effective_to)
        if previous is not None:
            extended = _apply(
                session,
                previous,
                actor=actor,
                action="catalog.extend",
                reason=say(
                    "catalog.audit.withdrawn", id=version.id, decision=version.decision, why=why
                ),
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
