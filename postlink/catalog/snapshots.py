"""Immutable copies of versions and entries, safe to share across threads and sessions.

The sync daemon keeps these in memory for hours; ORM objects would tie it to a session and
could be changed under it, so the catalog hands out frozen values instead. They are read
through SQLAlchemy Core (``postlink.tables``), so that ``postlink catalog resolve`` starts
without the ORM and the models (issue 15 §2).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, select

from postlink.states import Level, VersionStatus
from postlink.tables import LIST_ENTRY, LIST_VERSION

if TYPE_CHECKING:
    from postlink.models import ListEntry, ListVersion
    from postlink.tables import Reader

#: Entry attribute → ``list_entry`` column, where the names differ.
_COLUMN_NAMES = {"code": "procedure_code", "code_raw": "procedure_code_raw"}


def _column(attribute: str) -> str:
    return _COLUMN_NAMES.get(attribute, attribute)


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
        values = {f.name: getattr(entry, _column(f.name)) for f in fields(cls)}
        values["level"] = Level(values["level"]) if values["level"] else None
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def row_values(self, version_id: int, source_row: int | None) -> dict[str, Any]:
        """The ``list_entry`` columns for a bulk insert of this entry into ``version_id``."""
        values = {_column(f.name): getattr(self, f.name) for f in fields(self)}
        values["level"] = self.level.value if self.level else None
        return values | {"version_id": version_id, "source_row": source_row}


def eligibility(entry: EntrySnapshot) -> str:
    """The service form of QĐ 45/2016 art. 5 in words: which legs may go by post."""
    if entry.postal_submission and entry.postal_return:
        return "submission and return"
    if entry.postal_submission:
        return "submission only"
    if entry.postal_return:
        return "return only"
    return "excluded"


#: The ``list_entry`` columns an ``EntrySnapshot`` is made of; reading only these (rather
#: than ORM objects) keeps loading a 20,000-entry list fast and out of the identity map.
ENTRY_COLUMNS = tuple(LIST_ENTRY.c[_column(f.name)] for f in fields(EntrySnapshot))
#: The ``list_version`` columns a ``VersionSnapshot`` is made of.
VERSION_COLUMNS = tuple(LIST_VERSION.c[f.name] for f in fields(VersionSnapshot))


def read_published(reader: Reader) -> list[VersionSnapshot]:
    """The timeline: published versions by start date."""
    rows = reader.execute(
        select(*VERSION_COLUMNS)
        .where(LIST_VERSION.c.status == VersionStatus.PUBLISHED)
        .order_by(LIST_VERSION.c.effective_from)
    )
    return [VersionSnapshot(**row._mapping) for row in rows]


def read_entries(reader: Reader, version_id: int, code: str | None = None) -> list[EntrySnapshot]:
    """A version's entries in the order of the source file (or those of one base code)."""
    query = select(*ENTRY_COLUMNS).where(LIST_ENTRY.c.version_id == version_id)
    if code is not None:
        query = query.where(LIST_ENTRY.c.procedure_code == code)
    query = query.order_by(LIST_ENTRY.c.source_row, LIST_ENTRY.c.id)
    return [EntrySnapshot.of(row) for row in reader.execute(query)]
