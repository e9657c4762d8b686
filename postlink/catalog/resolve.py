"""Which list entry applied to a procedure at an instant: the question every record asks.

QĐ 45/2016 art. 18 lists change by decision, and a postal record is judged against the
list in force when it happened, so resolution takes an aware instant, turns it into the
province's calendar date (``get_settings().tz``) and finds the published version whose
window ``[effective_from, effective_to)`` contains that date. Within it, an entry for the
handling agency wins over the general entry (eligibility may differ per agency, domain
brief §1). Codes are normalised first: a variant (``1.001193.02``) or a localised code
(``2.000815.000.00.00.H14``) falls back to its base code.

The sync daemon resolves every record it sees, so ``Resolver`` keeps the whole timeline in
memory (published versions are immutable; only their windows move) and re-reads it only
when the timeline's fingerprint changes, checked at most every ``RESOLVER_REFRESH_SECONDS``
or at once after ``invalidate()``. ``resolve_code`` answers one question from a connection
or a session.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from postlink.catalog.limits import RESOLVER_REFRESH_SECONDS
from postlink.catalog.snapshots import (
    EntrySnapshot,
    VersionSnapshot,
    read_entries,
    read_published,
)
from postlink.identifiers import IdentifierError, parse_agency_code, parse_procedure_code
from postlink.settings import get_settings
from postlink.timeutil import require_aware

if TYPE_CHECKING:
    from postlink.tables import Reader

__all__ = ["Outcome", "Resolution", "Resolver", "resolve_code"]


class Outcome(StrEnum):
    FOUND = "found"
    NOT_ON_LIST = "not_on_list"
    NO_LIST_IN_FORCE = "no_list_in_force"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer: the version in force (if any) and the procedure's entry in it (if any)."""

    outcome: Outcome
    version: VersionSnapshot | None
    entry: EntrySnapshot | None


_NO_LIST = Resolution(Outcome.NO_LIST_IN_FORCE, None, None)
#: Past every real date: the end of an open window.
_OPEN_END = date.max.toordinal() + 1

Fingerprint = tuple[tuple[int | None, date, date | None], ...]


@dataclass(frozen=True, slots=True)
class _Window:
    """One published version's window and its answers, prepared once per load."""

    start: int
    end: int
    not_on_list: Resolution
    general: dict[str, Resolution]
    by_agency: dict[tuple[str, str], Resolution]


class CatalogIndex:
    """The published timeline in memory: windows sorted by start, looked up by bisection."""

    def __init__(self, fingerprint: Fingerprint, windows: list[_Window]) -> None:
        self.fingerprint = fingerprint
        self._windows = windows
        self._starts = [window.start for window in windows]

    def lookup(self, day: int, code: str, agency: str | None) -> Resolution:
        """The answer for base ``code`` on the date with ordinal ``day``."""
        position = bisect_right(self._starts, day) - 1
        if position < 0:
            return _NO_LIST
        window = self._windows[position]
        if day >= window.end:
            return _NO_LIST
        if agency is not None:
            specific = window.by_agency.get((code, agency))
            if specific is not None:
                return specific
        return window.general.get(code, window.not_on_list)


def _fingerprint(versions: Iterable[VersionSnapshot]) -> Fingerprint:
    """What an index depends on: the published versions and their windows (their entries
    never change once published, so ids and windows are enough to tell staleness)."""
    return tuple((v.id, v.effective_from, v.effective_to) for v in versions)


def current_fingerprint(reader: Reader) -> Fingerprint:
    return _fingerprint(read_published(reader))


def _window(
    snapshot: VersionSnapshot, entries: Iterable[EntrySnapshot], start: date, end: date | None
) -> _Window:
    general: dict[str, Resolution] = {}
    by_agency: dict[tuple[str, str], Resolution] = {}
    for entry in entries:
        found = Resolution(Outcome.FOUND, snapshot, entry)
        if entry.agency_code:
            by_agency[entry.key] = found
        else:
            general[entry.code] = found
    return _Window(
        start=start.toordinal(),
        end=end.toordinal() if end else _OPEN_END,
        not_on_list=Resolution(Outcome.NOT_ON_LIST, snapshot, None),
        general=general,
        by_agency=by_agency,
    )


def load_index(reader: Reader, code: str | None = None) -> CatalogIndex:
    """Read the published timeline (all entries, or only those of one base code)."""
    versions = read_published(reader)
    windows = [
        _window(
            version,
            read_entries(reader, version.id, code),
            version.effective_from,
            version.effective_to,
        )
        for version in versions
    ]
    return CatalogIndex(_fingerprint(versions), windows)


def index_from(version: VersionSnapshot, entries: Iterable[EntrySnapshot]) -> CatalogIndex:
    """A timeline where ``version`` alone is in force from its effective date on: what the
    published timeline answers for those dates once it is published (``publish``)."""
    return CatalogIndex((), [_window(version, entries, version.effective_from, None)])


@lru_cache(maxsize=65_536)
def _base_code(code: str) -> str:
    return parse_procedure_code(code).base


@lru_cache(maxsize=4_096)
def _agency_code(agency: str) -> str | None:
    """The normal form of an agency code, or None when it is not one.

    Entries store normalised agency codes, so a malformed one in a postal record cannot
    match an agency-specific entry: the general entry is then the answer, as for an agency
    without an entry of its own. Refusing it would stop a record over a field that only
    narrows the question.
    """
    try:
        return parse_agency_code(agency).text
    except IdentifierError:
        return None


def _question(
    code: str, at: datetime, agency: str | None, tz: ZoneInfo
) -> tuple[int, str, str | None]:
    """The normalised question: local date ordinal, base code, agency code (or None).

    Raises ``ValueError`` for a naive ``at`` and ``IdentifierError`` (a ``ValueError``) for
    a procedure code that is not well formed: such a record is to be flagged, not guessed at.
    """
    day = require_aware(at).astimezone(tz).toordinal()
    return day, _base_code(code), _agency_code(agency) if agency else None


class Resolver:
    """Fast, thread-safe resolution for the sync daemon (see the module docstring)."""

    def __init__(
        self,
        engine: Engine,
        *,
        tz: ZoneInfo | None = None,
        refresh_seconds: float = RESOLVER_REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if refresh_seconds < 0:
            raise ValueError(f"refresh_seconds must be zero or more, not {refresh_seconds}")
        self._engine = engine
        self._tz = tz or get_settings().tz
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index: CatalogIndex | None = None
        self._check_due = 0.0

    def resolve(self, code: str, at: datetime, agency: str | None = None) -> Resolution:
        """The entry and version in force for ``code`` at ``at`` (agency-specific first)."""
        day, base, agency_code = _question(code, at, agency, self._tz)
        return self._current().lookup(day, base, agency_code)

    @classmethod
    def fixed(cls, engine: Engine, index: CatalogIndex, tz: ZoneInfo) -> Resolver:
        """A resolver that answers from ``index`` and never reloads: for what-if questions
        ("how would these legs be judged once this list is published?")."""
        resolver = cls(engine, tz=tz, refresh_seconds=float("inf"))
        resolver._index = index
        resolver._check_due = float("inf")
        return resolver

    def invalidate(self) -> None:
        """Forget the index; the next resolution reads the timeline again."""
        with self._lock:
            self._index = None

    def _current(self) -> CatalogIndex:
        index = self._index
        if index is not None and self._clock() < self._check_due:
            return index
        with self._lock:
            if self._index is None or self._clock() >= self._check_due:
                with self._engine.connect() as connection:
                    if (
                        self._index is None
                        or current_fingerprint(connection) != self._index.fingerprint
                    ):
                        self._index = load_index(connection)
                self._check_due = self._clock() + self._refresh_seconds
            return self._index


def resolve_code(
    reader: Reader,
    code: str,
    at: datetime,
    agency: str | None = None,
    *,
    tz: ZoneInfo | None = None,
) -> Resolution:
    """One resolution straight from the database, for the CLI and other one-off questions."""
    day, base, agency_code = _question(code, at, agency, tz or get_settings().tz)
    return load_index(reader, code=base).lookup(day, base, agency_code)
