"""Manual edits to a draft's entries, for the admin who spots a mistake before publishing.

Drafts are editable and published versions are not (a correction to a published list is a
new version, Open Zaak's rule and ours): a published list is what dossiers were judged
against. The edit obeys the same rules as an imported row and is audited with the entry's
values before and after and the reason for the edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlmodel import Session, select

from postlink import audit
from postlink.catalog.header import Column
from postlink.catalog.rows import EXCLUDED_WITHOUT_REASON, cell_problem
from postlink.catalog.snapshots import EntrySnapshot, id_of
from postlink.errors import PostlinkError
from postlink.identifiers import clean, parse_agency_code, parse_procedure_code
from postlink.models import ListEntry, ListVersion, VersionStatus
from postlink.words import CodedValue

#: What may be edited: the attributes an admin decides, not the keys (code, agency code).
EDITABLE_TEXT = {
    "name": Column.NAME,
    "reason": Column.REASON,
    "legal_basis": Column.LEGAL_BASIS,
    "note": Column.NOTE,
}
EDITABLE_FLAGS = ("postal_submission", "postal_return")


def _find(session: Session, version: ListVersion, code: str, agency: str) -> ListEntry:
    base = parse_procedure_code(code).base  # an IdentifierError is a PostlinkError
    agency_code = parse_agency_code(agency).text if agency else ""
    entry = session.exec(
        select(ListEntry).where(
            ListEntry.version_id == id_of(version),
            ListEntry.procedure_code == base,
            ListEntry.agency_code == agency_code,
        )
    ).first()
    if entry is None:
        if agency_code:
            raise PostlinkError(
                code="catalog.no_agency_entry", id=version.id, procedure=base, agency=agency_code
            )
        raise PostlinkError(code="catalog.no_entry", id=version.id, procedure=base)
    return entry


def _changed(current: EntrySnapshot, changes: Mapping[str, str | bool]) -> EntrySnapshot:
    """``current`` with ``changes`` applied, checked as an imported row would be."""
    values: dict[str, str | bool] = {}
    for attribute, value in changes.items():
        if attribute in EDITABLE_TEXT and isinstance(value, str):
            text = clean(value)
            problem = cell_problem(EDITABLE_TEXT[attribute], text)
            if problem is not None:
                raise PostlinkError(f"{attribute}: {problem}")
            values[attribute] = text
        elif attribute in EDITABLE_FLAGS and isinstance(value, bool):
            values[attribute] = value
        else:
            raise PostlinkError(code="catalog.not_editable", attribute=attribute)
    edited = replace(current, **values)  # type: ignore[arg-type]
    if not edited.name:
        raise PostlinkError(code="catalog.empty_name")
    if not (edited.postal_submission or edited.postal_return or edited.reason):
        raise PostlinkError(str(EXCLUDED_WITHOUT_REASON))
    return edited


def edit_entry(
    session: Session,
    version: ListVersion,
    code: str,
    changes: Mapping[str, str | bool],
    *,
    actor: str,
    why: str,
    agency: str = "",
) -> tuple[EntrySnapshot, EntrySnapshot]:
    """Change one entry of a draft; return it before and after."""
    if version.status != VersionStatus.DRAFT:
        raise PostlinkError(
            code="catalog.only_draft", id=version.id, status=CodedValue("version", version.status)
        )
    reason = clean(why)
    if not reason:
        raise PostlinkError(code="catalog.edit_reason")
    if not changes:
        raise PostlinkError(code="catalog.nothing_to_change")
    entry = _find(session, version, code, agency)
    before = EntrySnapshot.of(entry)
    after = _changed(before, changes)
    for attribute in changes:
        setattr(entry, attribute, getattr(after, attribute))
    session.add(entry)
    key = {"version_id": version.id, "code": before.code, "agency_code": before.agency_code}
    audit.record(
        session,
        actor=actor,
        action="catalog.edit",
        entity_type="list_entry",
        entity_id=entry.id or "",
        before=key | {attribute: getattr(before, attribute) for attribute in changes},
        after=key | {attribute: getattr(after, attribute) for attribute in changes},
        reason=reason,
    )
    return before, after
