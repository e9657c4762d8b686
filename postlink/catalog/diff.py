"""What changed between two lists, as an admin must see it before a list takes effect.

Entries are matched by (base code, agency code). A matched pair may show several changes at
once: eligibility (the two postal legs of QĐ 45/2016 art. 5), name, exclusion reason and, as
"details", the other attributes. An empty diff means the lists are identical in everything
postlink stores, which is what makes "publishing an identical list" detectable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from postlink.catalog.snapshots import (
    EntrySnapshot,
    VersionSnapshot,
    eligibility,
    id_of,
    read_entries,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from postlink.models import ListVersion


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    ELIGIBILITY = "eligibility"
    RENAMED = "renamed"
    REASON = "reason"
    DETAILS = "details"


#: Attributes reported as ``details`` when they change (everything else stored per entry).
DETAIL_ATTRIBUTES = ("legal_basis", "field", "level", "agency", "note", "code_raw")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one entry; ``attribute`` names what changed for the kinds that need it."""

    kind: ChangeKind
    code: str
    agency_code: str
    name: str
    attribute: str
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "code": self.code,
            "agency_code": self.agency_code,
            "name": self.name,
            "attribute": self.attribute,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """Changes from ``base`` (None: nothing was in force) to the compared list."""

    base: VersionSnapshot | None
    changes: tuple[Change, ...]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def counts(self) -> dict[ChangeKind, int]:
        found = Counter(change.kind for change in self.changes)
        return {kind: found[kind] for kind in ChangeKind}

    def of_kind(self, kind: ChangeKind) -> list[Change]:
        return [change for change in self.changes if change.kind is kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.as_dict() if self.base else None,
            "counts": {kind.value: count for kind, count in self.counts.items()},
            "changes": [change.as_dict() for change in self.changes],
        }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _changes_between(old: EntrySnapshot, new: EntrySnapshot) -> list[Change]:
    def change(kind: ChangeKind, attribute: str, before: str, after: str) -> Change:
        return Change(kind, new.code, new.agency_code, new.name, attribute, before, after)

    found: list[Change] = []
    if (old.postal_submission, old.postal_return) != (new.postal_submission, new.postal_return):
        found.append(
            change(ChangeKind.ELIGIBILITY, "eligibility", eligibility(old), eligibility(new))
        )
    if old.name != new.name:
        found.append(change(ChangeKind.RENAMED, "name", old.name, new.name))
    if old.reason != new.reason:
        found.append(change(ChangeKind.REASON, "reason", old.reason, new.reason))
    for attribute in DETAIL_ATTRIBUTES:
        before, after = _text(getattr(old, attribute)), _text(getattr(new, attribute))
        if before != after:
            found.append(change(ChangeKind.DETAILS, attribute, before, after))
    return found


def _whole(kind: ChangeKind, entry: EntrySnapshot) -> Change:
    """An entry that was added or removed as a whole, with its eligibility."""
    label = eligibility(entry)
    before, after = ("", label) if kind is ChangeKind.ADDED else (label, "")
    return Change(kind, entry.code, entry.agency_code, entry.name, "", before, after)


def diff_entries(old: Iterable[EntrySnapshot], new: Iterable[EntrySnapshot]) -> list[Change]:
    """Every change from ``old`` to ``new``, grouped by kind, then by code and agency."""
    before = {entry.key: entry for entry in old}
    after = {entry.key: entry for entry in new}
    changes = [_whole(ChangeKind.ADDED, e) for key, e in after.items() if key not in before]
    changes += [_whole(ChangeKind.REMOVED, e) for key, e in before.items() if key not in after]
    for key in after.keys() & before.keys():
        changes.extend(_changes_between(before[key], after[key]))
    order = list(ChangeKind)
    return sorted(changes, key=lambda c: (order.index(c.kind), c.code, c.agency_code))


def diff_versions(session: Session, old: ListVersion, new: ListVersion) -> CatalogDiff:
    """``catalog diff A B``: from version ``old`` to version ``new``."""
    changes = diff_entries(read_entries(session, id_of(old)), read_entries(session, id_of(new)))
    return CatalogDiff(VersionSnapshot.of(old), tuple(changes))


def diff_against_base(
    session: Session, entries: Iterable[EntrySnapshot], version: ListVersion
) -> CatalogDiff:
    """``entries`` of ``version`` against the list in force on its effective date.

    This is what publishing ``version`` would change for dossiers from that date on.
    """
    # The ORM only for this query: `catalog resolve` and `diff` start without it (issue 15).
    from postlink.catalog.versions import in_force_on

    base = in_force_on(session, version.effective_from)
    if base is None or base.id == version.id:
        return CatalogDiff(None, tuple(diff_entries([], entries)))
    return CatalogDiff(
        VersionSnapshot.of(base), tuple(diff_entries(read_entries(session, id_of(base)), entries))
    )
