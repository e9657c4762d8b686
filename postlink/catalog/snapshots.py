"""Immutable copies of versions and entries, safe to share across threads and sessions.

The sync daemon keeps these in memory for hours; ORM objects would tie it to a session and
could be changed under it, so the catalog hands out frozen values instead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlmodel import col

from postlink.models import Level, ListEntry, ListVersion

#: The ``list_entry`` columns an ``EntrySnapshot`` is made of; reading only these (rather
#: than ORM objects) keeps loading a 20,000-entry list fast and out of the identity map.
ENTRY_COLUMNS = tuple(
    col(column)
    for column in (
        ListEntry.procedure_code,
        ListEntry.procedure_code_raw,
        ListEntry.name,
        ListEntry.field,
        ListEntry.level,
        ListEntry.agency,
        ListEntry.agency_code,
        ListEntry.postal_submission,
        ListEntry.postal_return,
        ListEntry.reason,
        ListEntry.legal_basis,
        ListEntry.note,
    )
)


def id_of(version: ListVersion) -> int:
    """The id of a stored version (a flushed or loaded row always has one)."""
    if version.id is None:
        raise ValueError("the version has not been stored yet")
    return version.id


@dataclass(frozen=True, slots=True)
class VersionSnapshot:
    """A list version's identity and validity window ``[effective_from, effective_to)``."""

    id: int
    decision: str
    effective_from: date
    effective_to: date | None
    signed_on: date | None

    @classmethod
    def of(cls, version: ListVersion) -> VersionSnapshot:
        return cls(
            id=id_of(version),
            decision=version.decision,
            effective_from=version.effective_from,
            effective_to=version.effective_to,
            signed_on=version.signed_on,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EntrySnapshot:
    """One procedure's row of a list: eligibility for each postal leg and why not.

    ``postal_submission`` and ``postal_return`` are the two service forms of QĐ 45/2016
    art. 5 (dossier only, result only, or both); both false means excluded under art. 1
    cl. 2, and ``reason`` / ``legal_basis`` say why.
    """

    code: str
    code_raw: str
    name: str
    field: str
    level: Level | None
    agency: str
    agency_code: str
    postal_submission: bool
    postal_return: bool
    reason: str
    legal_basis: str
    note: str

    @property
    def key(self) -> tuple[str, str]:
        """What identifies an entry within a version: the base code and the agency code."""
        return (self.code, self.agency_code)

    @classmethod
    def of(cls, entry: ListEntry | Row[Any]) -> EntrySnapshot:
        """From a ``list_entry`` row: an ORM object or a plain row of ``ENTRY_COLUMNS``."""
        return cls(
            code=entry.procedure_code,
            code_raw=entry.procedure_code_raw,
            name=entry.name,
            field=entry.field,
            level=Level(entry.level) if entry.level else None,
            agency=entry.agency,
            agency_code=entry.agency_code,
            postal_submission=entry.postal_submission,
            postal_return=entry.postal_return,
            reason=entry.reason,
            legal_basis=entry.legal_basis,
            note=entry.note,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def row_values(self, version_id: int, source_row: int | None) -> dict[str, Any]:
        """The ``list_entry`` columns for a bulk insert of this entry into ``version_id``."""
        return {
            "version_id": version_id,
            "procedure_code": self.code,
            "procedure_code_raw": self.code_raw,
            "name": self.name,
            "field": self.field,
            "level": self.level.value if self.level else None,
            "agency": self.agency,
            "agency_code": self.agency_code,
            "postal_submission": self.postal_submission,
            "postal_return": self.postal_return,
            "reason": self.reason,
            "legal_basis": self.legal_basis,
            "note": self.note,
            "source_row": source_row,
        }
