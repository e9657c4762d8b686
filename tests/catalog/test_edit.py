"""Manual edits: drafts only, the same rules as an imported row, and an audit row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.catalog.edit import edit_entry
from postlink.catalog.publish import publish
from postlink.catalog.versions import entries_of
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import AuditEntry
from tests.catalog.helpers import add_draft, entry


def test_edit_a_draft_entry_and_audit_it(engine: Engine) -> None:
    with session_scope() as session:
        draft = add_draft(session, date(2026, 1, 1), entry("1.000894"))
        before, after = edit_entry(
            session,
            draft,
            "1.000894",
            {
                "postal_submission": False,
                "postal_return": False,
                "reason": " Hai bên  phải có mặt ",
            },
            actor="admin",
            why="Phụ lục ghi sai",
        )
        (stored,) = entries_of(session, draft)
    assert (before.postal_submission, after.postal_submission) == (True, False)
    assert stored == after
    assert stored.reason == "Hai bên phải có mặt"
    with Session(engine) as session:
        row = session.exec(select(AuditEntry)).one()
    assert (row.action, row.reason) == ("catalog.edit", "Phụ lục ghi sai")
    assert row.before == {
        "version_id": draft.id,
        "code": "1.000894",
        "agency_code": "",
        "postal_submission": True,
        "postal_return": True,
        "reason": "",
    }
    assert row.after is not None
    assert row.after["reason"] == "Hai bên phải có mặt"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postal_submission": False, "postal_return": False}, "without a reason"),
        ({"name": "  "}, "Tên thủ tục không được để trống"),
        ({"name": '=HYPERLINK("x")'}, "holds a formula"),
        ({"procedure_code": "1.000656"}, "Không sửa được «procedure_code»"),
        ({}, "Không có gì để sửa"),
    ],
)
def test_edit_follows_the_import_rules(
    engine: Engine, changes: dict[str, str | bool], message: str
) -> None:
    with session_scope() as session:
        draft = add_draft(session, date(2026, 1, 1), entry("1.000894"))
        with pytest.raises(PostlinkError, match=message):
            edit_entry(session, draft, "1.000894", changes, actor="admin", why="sửa")


def test_published_versions_and_unknown_entries_cannot_be_edited(engine: Engine) -> None:
    with session_scope() as session:
        draft = add_draft(session, date(2026, 1, 1), entry("1.000894"))
        with pytest.raises(PostlinkError, match=r"không có thủ tục 1\.000656"):
            edit_entry(session, draft, "1.000656", {"name": "x"}, actor="admin", why="sửa")
        with pytest.raises(PostlinkError, match="Sửa danh mục cần nêu lý do"):
            edit_entry(session, draft, "1.000894", {"name": "x"}, actor="admin", why="")
        publish(session, draft, actor="admin")
        with pytest.raises(PostlinkError, match="trạng thái Đang áp dụng; chỉ sửa được bản nháp"):
            edit_entry(session, draft, "1.000894", {"name": "x"}, actor="admin", why="sửa")
