"""Import a list file as a draft version (and optionally publish it), all or nothing.

The whole file is read and validated in one streaming pass before the database is touched;
any error stops the import with every problem found (``CatalogValidationError``), so an
invalid file changes nothing. A valid file is then stored in one transaction: the draft, its
entries, the audit row and, with ``publish``, the publication and its window changes.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from postlink import audit
from postlink.catalog.diff import CatalogDiff, ChangeKind, diff_against_base
from postlink.catalog.districts import DistrictMention, warn_of_districts
from postlink.catalog.header import HeaderError, find_header, is_header_row
from postlink.catalog.limits import READ_CHUNK_BYTES
from postlink.catalog.problems import (
    CatalogValidationError,
    Problem,
    Problems,
    Reason,
    Severity,
)
from postlink.catalog.publish import ENTITY, NoChangesError, PublishOutcome, publish
from postlink.catalog.reader import RawRow, RowSource, Table, UnreadableError, open_rows
from postlink.catalog.rows import RowParser
from postlink.catalog.sections import Membership, membership_of
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot, id_of
from postlink.catalog.text import fold
from postlink.catalog.versions import state_of
from postlink.errors import PostlinkError
from postlink.identifiers import clean
from postlink.models import ListEntry, ListVersion, VersionStatus
from postlink.words import Phrase

#: "(Ban hành) kèm theo Quyết định số 1450/QĐ-UBND ngày 20 tháng 6 năm 2026" in a title.
_ATTACHED_TO = re.compile(
    r"(?i:kèm\s+theo\s+quyết\s+định\s+số)\s*:?\s*(?P<number>[0-9]+/[^\s,;)]+)"
)
#: "Số: 1450/QĐ-UBND" at the head of a decision.
_NUMBER_LINE = re.compile(r"(?i:số)\s*:?\s*(?P<number>[0-9]+/[^\s,;)]*Q[ĐD][^\s,;)]*)")
_DAY_MONTH_YEAR = re.compile(
    r"(?i:ngày)\s*(?P<day>[0-9]{1,2})\s*(?:(?i:tháng)\s*|[/.-])(?P<month>[0-9]{1,2})"
    r"\s*(?:(?i:năm)\s*|[/.-])(?P<year>[0-9]{4})"
)
#: Title lines kept per table (for the decision number and the list's title).
_TITLE_LINES = 60
_DECISION_WIDTH = 100
_SOURCE_NAME_WIDTH = 255
#: Entries inserted per statement: large enough to be fast, small enough to keep the
#: parameter lists of a 20,000-row list from piling up in memory at once.
_INSERT_BATCH = 1_000


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A validated file: its entries (with their source rows) and its warnings."""

    source_name: str
    sha256: str
    description: Phrase
    title_block: tuple[str, ...]
    entries: tuple[tuple[int, EntrySnapshot], ...]
    problems: Problems
    #: Rows naming the district level (warned of when the list is effective after 2025).
    district_rows: tuple[DistrictMention, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The stored version, what it changes, its warnings and, if asked, the publication."""

    version: VersionSnapshot
    status: str
    parsed: ParsedList
    diff: CatalogDiff
    published: PublishOutcome | None
    #: True when an identical draft (same file, decision and date) was reused, not stored.
    reused: bool = False

    @property
    def warnings(self) -> list[Problem]:
        """The file's warnings, then one per procedure the list in force has and this lacks:
        worth a look, but not an error."""
        base = self.diff.base
        removed = [
            Problem.of(
                None,
                None,
                change.code,
                Reason(
                    f"{change.name!r} is on the list in force (version {base.id}) but not in "
                    "this file: it leaves the list when this version takes effect",
                    f"«{change.name}» có trong danh mục đang áp dụng (phiên bản {base.id}) "
                    "nhưng không có trong tệp này: sẽ bị loại khi phiên bản này có hiệu lực",
                ),
                Severity.WARNING,
            )
            for change in self.diff.of_kind(ChangeKind.REMOVED)
            if base is not None
        ]
        return self.parsed.problems.warnings_kept + removed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _table_membership(lines: Iterable[str], sheet_name: str) -> Membership | None:
    """Which list a table is, from the last title above it that says so (or its sheet)."""
    found = membership_of(sheet_name, strict=False) if sheet_name else None
    for line in lines:
        found = membership_of(line) or found
    return found


def _read_tables(
    source: RowSource,
    problems: Problems,
    entries: list[tuple[int, EntrySnapshot]],
    districts: list[DistrictMention],
) -> list[str]:
    """Read every table of ``source`` into ``entries`` (and the rows naming the district
    level into ``districts``); return the title lines seen.

    A table without a header (a Word layout table, a sheet of notes) is skipped, with a
    warning naming it when it has text, unless no table has a header at all: then each
    table's reason is an error.
    """
    parser: RowParser | None = None
    title_lines: list[str] = []
    refused: list[tuple[Table, HeaderError]] = []
    for table in source.tables:
        try:
            header, rows = find_header(table.rows)
        except HeaderError as exc:
            refused.append((table, exc))
            continue
        lines = [*table.context, *header.title_block]
        title_lines.extend(lines[:_TITLE_LINES])
        membership = _table_membership(lines, table.sheet)
        if parser is None:
            parser = RowParser(header, problems, table=table.label, membership=membership)
        else:
            parser.start_table(header, table.label, membership)
        pending: Iterator[RawRow] = rows
        while (row := next(pending, None)) is not None:
            if parser.may_start_table(row) and is_header_row(row):  # a second titled table
                header, pending = find_header(itertools.chain([row], pending))
                parser.start_table(header, table.label, parser.membership)
                continue
            entry = parser.parse(row)
            if entry is not None:
                entries.append((row.number, entry))
    if parser is not None:
        parser.finish()
        districts.extend(parser.district_rows)
    for table, refusal in refused:
        where = table.label
        if parser is None:
            problems.error(refusal.row, None, refusal.value, refusal.reason, table=where)
        elif table.sheet:
            # A Word file's layout tables (title block, signatures) are skipped quietly.
            problems.warning(
                refusal.row, None, refusal.value, _skipped(refusal.reason), table=where
            )
    return title_lines


def _skipped(reason: Reason) -> Reason:
    return Reason(
        f"skipped, it holds no list: {reason.en}", f"bỏ qua, không có danh mục: {reason.vi}"
    )


def read_list(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> ParsedList:
    """Read and validate ``path``; raise ``CatalogValidationError`` listing every problem."""
    if not path.is_file():
        raise PostlinkError(code="catalog.no_file", path=path)
    problems = Problems()
    entries: list[tuple[int, EntrySnapshot]] = []
    districts: list[DistrictMention] = []
    description: Phrase | None = None
    title_lines: list[str] = []
    try:
        with open_rows(path, encoding=encoding, sheet=sheet) as source:
            description = source.description
            title_lines = _read_tables(source, problems, entries, districts)
    except UnreadableError as exc:
        problems.error(exc.row, None, "", exc.reason, table=exc.table)
    except HeaderError as exc:
        problems.error(exc.row, None, exc.value, exc.reason)
    else:
        if not entries and not problems.errors:
            problems.error(
                None,
                None,
                "",
                Reason(
                    "the table has a header but no procedure rows",
                    "bảng có dòng tiêu đề nhưng không có thủ tục nào",
                ),
            )
    if problems.errors:
        raise CatalogValidationError(path.name, problems)
    assert description is not None  # the file opened, or it would have an error
    return ParsedList(
        source_name=path.name[:_SOURCE_NAME_WIDTH],
        sha256=sha256_of(path),
        description=description,
        title_block=tuple(title_lines),
        entries=tuple(entries),
        problems=problems,
        district_rows=tuple(districts),
    )


@dataclass(frozen=True, slots=True)
class DecisionInTitle:
    """The decision an annex says it belongs to ("Ban hành kèm theo Quyết định số …")."""

    number: str
    signed_on: date | None


def decision_in_title(lines: Iterable[str]) -> DecisionInTitle | None:
    """The decision named by the title block, if any.

    "kèm theo Quyết định số N ngày …" wins (the annex's own line); else a "Số: N" line (the
    decision's own number in a Word file). "Căn cứ Quyết định số …" lines cite other
    decisions and are never read.
    """
    fallback: DecisionInTitle | None = None
    for line in lines:
        if fold(line).startswith("can cu"):
            continue
        attached = _ATTACHED_TO.search(line)
        if attached:
            return DecisionInTitle(attached["number"], _date_in(line[attached.end() :]))
        numbered = _NUMBER_LINE.match(line)
        if numbered and fallback is None:
            fallback = DecisionInTitle(numbered["number"], None)
    return fallback


def _date_in(text: str) -> date | None:
    found = _DAY_MONTH_YEAR.search(text)
    if found is None:
        return None
    try:
        return date(int(found["year"]), int(found["month"]), int(found["day"]))
    except ValueError:
        return None


def _store(session: Session, parsed: ParsedList, version: ListVersion, *, actor: str) -> None:
    session.add(version)
    session.flush()
    version_id = id_of(version)
    for start in range(0, len(parsed.entries), _INSERT_BATCH):
        batch = parsed.entries[start : start + _INSERT_BATCH]
        session.execute(
            insert(ListEntry), [entry.row_values(version_id, row) for row, entry in batch]
        )
    audit.record(
        session,
        actor=actor,
        action="catalog.import",
        entity_type=ENTITY,
        entity_id=version_id,
        after={
            **state_of(version),
            "source_name": version.source_name,
            "source_sha256": version.source_sha256,
            "entry_count": version.entry_count,
        },
        reason=version.note,
    )


def _check_decision(decision: str | None, parsed: ParsedList) -> tuple[str, DecisionInTitle | None]:
    """The decision number: as given, else as the title block names it.

    A title block naming another decision than the one given is a warning: the admin may
    be importing another decision's annex.
    """
    found = decision_in_title(parsed.title_block)
    text = clean(decision or "")
    if not text:
        if found is None:
            raise PostlinkError(code="catalog.no_decision")
        text = found.number
    if len(text) > _DECISION_WIDTH:
        raise PostlinkError(code="catalog.decision_too_long", limit=_DECISION_WIDTH)
    if found is not None and found.number.casefold() != text.casefold():
        parsed.problems.warning(
            None,
            None,
            found.number,
            Reason(
                f"the title block names decision {found.number}, not {text}; "
                "check that this is the annex of the decision being imported",
                f"phần đầu tệp ghi quyết định {found.number}, không phải {text}; kiểm tra đây "
                "có đúng là phụ lục của quyết định đang nhập",
            ),
        )
    return text, found


def _identical_draft(
    session: Session, parsed: ParsedList, decision: str, effective_from: date
) -> ListVersion | None:
    """A draft of the same file, decision and date, to reuse instead of piling up copies."""
    return session.exec(
        select(ListVersion).where(
            ListVersion.status == VersionStatus.DRAFT,
            ListVersion.source_sha256 == parsed.sha256,
            ListVersion.decision == decision,
            ListVersion.effective_from == effective_from,
        )
    ).first()


def import_list(
    session: Session,
    path: Path,
    *,
    decision: str | None,
    effective_from: date,
    actor: str,
    signed_on: date | None = None,
    note: str = "",
    encoding: str | None = None,
    sheet: str | None = None,
    publish_now: bool = False,
    force: bool = False,
    confirm: bool = False,
) -> ImportOutcome:
    """Import ``path`` as a draft of ``decision`` effective from ``effective_from``.

    ``decision`` (and ``signed_on``) default to what the title block names. The diff is
    against the list in force on ``effective_from``; procedures it drops are warnings. The
    same file imported again for the same decision and date reuses its draft (``reused``).
    With ``publish_now`` the draft is published in the same transaction (see ``publish``
    for the window rules and ``confirm``), and an identical list is refused unless ``force``.
    A list effective after districts were abolished warns of each row naming one
    (``catalog.districts``).
    """
    parsed = read_list(path, encoding=encoding, sheet=sheet)
    warn_of_districts(list(parsed.district_rows), effective_from, parsed.problems)
    decision, found = _check_decision(decision, parsed)
    if signed_on is None and found is not None and found.number.casefold() == decision.casefold():
        signed_on = found.signed_on
    if signed_on is not None and signed_on > effective_from:
        parsed.problems.warning(
            None,
            None,
            f"{signed_on:%d/%m/%Y}",
            Reason(
                f"signed after its effective date "
                f"{effective_from:%d/%m/%Y}: a list that applies to the past",
                f"ký sau ngày hiệu lực {effective_from:%d/%m/%Y}: danh mục áp dụng hồi tố",
            ),
        )
    version = _identical_draft(session, parsed, decision, effective_from)
    reused = version is not None
    if version is None:
        version = ListVersion(
            decision=decision,
            signed_on=signed_on,
            effective_from=effective_from,
            source_name=parsed.source_name,
            source_sha256=parsed.sha256,
            entry_count=len(parsed.entries),
            imported_by=actor,
            note=clean(note),
        )
        _store(session, parsed, version, actor=actor)
    entries = [entry for _, entry in parsed.entries]
    published = None
    if publish_now:
        try:
            published = publish(
                session, version, actor=actor, force=force, confirm=confirm, entries=entries
            )
        except NoChangesError as exc:
            raise NoChangesError(
                exc.base,
                code="catalog.import_unchanged",
                source=parsed.source_name,
                base=exc.base.id,
                decision=exc.base.decision,
                day=f"{effective_from:%d/%m/%Y}",
            ) from None
        diff = published.diff
    else:
        diff = diff_against_base(session, entries, version)
    return ImportOutcome(
        VersionSnapshot.of(version), version.status, parsed, diff, published, reused
    )
