"""Import a list file as a draft version (and optionally publish it), all or nothing.

The whole file is read and validated in one streaming pass before the database is touched;
any error stops the import with every problem found (``CatalogValidationError``), so an
invalid file changes nothing. A valid file is then stored in one transaction: the draft, its
entries, the audit row and, with ``publish``, the publication and its window changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from postlink import audit
from postlink.catalog.diff import CatalogDiff, ChangeKind, diff_against_base
from postlink.catalog.header import HeaderError, find_header
from postlink.catalog.limits import READ_CHUNK_BYTES
from postlink.catalog.problems import (
    CatalogValidationError,
    Problem,
    Problems,
    Reason,
    Severity,
)
from postlink.catalog.publish import ENTITY, NoChangesError, PublishOutcome, publish
from postlink.catalog.reader import UnreadableError, open_rows
from postlink.catalog.rows import RowParser
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot, id_of
from postlink.catalog.versions import state_of
from postlink.errors import PostlinkError
from postlink.identifiers import clean
from postlink.models import ListEntry, ListVersion

#: "Quyết định số 125/QĐ-UBND" in a title block, to check it against ``--decision``.
_DECISION_IN_TITLE = re.compile(r"(?i:quyết\s+định\s+số|số)\s*:?\s*([0-9]+/[^\s,;]+)")
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
    description: str
    title_block: tuple[str, ...]
    entries: tuple[tuple[int, EntrySnapshot], ...]
    problems: Problems


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The stored version, what it changes, its warnings and, if asked, the publication."""

    version: VersionSnapshot
    status: str
    parsed: ParsedList
    diff: CatalogDiff
    published: PublishOutcome | None

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


def read_list(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> ParsedList:
    """Read and validate ``path``; raise ``CatalogValidationError`` listing every problem."""
    if not path.is_file():
        raise PostlinkError(f"{path} does not exist or is not a file")
    problems = Problems()
    entries: list[tuple[int, EntrySnapshot]] = []
    description = ""
    title_block: tuple[str, ...] = ()
    try:
        with open_rows(path, encoding=encoding, sheet=sheet) as source:
            description = source.description
            header, rows = find_header(source.rows)
            title_block = header.title_block
            parser = RowParser(header, problems)
            for row in rows:
                entry = parser.parse(row)
                if entry is not None:
                    entries.append((row.number, entry))
    except UnreadableError as exc:
        problems.error(exc.row, None, "", exc.reason)
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
    return ParsedList(
        source_name=path.name[:_SOURCE_NAME_WIDTH],
        sha256=sha256_of(path),
        description=description,
        title_block=title_block,
        entries=tuple(entries),
        problems=problems,
    )


def _check_decision(decision: str, parsed: ParsedList) -> str:
    """The cleaned decision number; a different number in the title block is a warning."""
    text = clean(decision)
    if not text:
        raise PostlinkError("--decision is empty; give the decision number, e.g. 125/QĐ-UBND")
    if len(text) > _DECISION_WIDTH:
        raise PostlinkError(f"--decision is longer than {_DECISION_WIDTH} characters")
    for line in parsed.title_block:
        for found in _DECISION_IN_TITLE.findall(line):
            if found.casefold() != text.casefold():
                parsed.problems.warning(
                    None,
                    None,
                    found,
                    Reason(
                        f"the title block names decision {found}, not {text}; "
                        "check that this is the annex of the decision being imported",
                        f"phần đầu tệp ghi quyết định {found}, không phải {text}; kiểm tra đây "
                        "có đúng là phụ lục của quyết định đang nhập",
                    ),
                )
    return text


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


def import_list(
    session: Session,
    path: Path,
    *,
    decision: str,
    effective_from: date,
    actor: str,
    signed_on: date | None = None,
    note: str = "",
    encoding: str | None = None,
    sheet: str | None = None,
    publish_now: bool = False,
    force: bool = False,
) -> ImportOutcome:
    """Import ``path`` as a draft of ``decision`` effective from ``effective_from``.

    The diff is against the list in force on ``effective_from``; procedures it drops are
    warnings. With ``publish_now`` the draft is published in the same transaction (see
    ``publish`` for the window rules), and an identical list is refused unless ``force``.
    """
    parsed = read_list(path, encoding=encoding, sheet=sheet)
    decision = _check_decision(decision, parsed)
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
            published = publish(session, version, actor=actor, force=force, entries=entries)
        except NoChangesError as exc:
            raise NoChangesError(
                f"no changes: {parsed.source_name} is identical to version {exc.base.id} "
                f"({exc.base.decision}) in force on {effective_from:%d/%m/%Y}; nothing was "
                "stored. Add --force to publish it anyway, or import it without --publish "
                "to keep it as a draft",
                exc.base,
            ) from None
        diff = published.diff
    else:
        diff = diff_against_base(session, entries, version)
    return ImportOutcome(VersionSnapshot.of(version), version.status, parsed, diff, published)
