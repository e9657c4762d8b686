"""Audit rows commit and roll back with the change they describe."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import audit
from postlink.db import session_scope
from postlink.models import AuditEntry


def test_audit_row_keeps_before_after_and_reason(engine: Engine) -> None:
    with session_scope() as session:
        audit.record(
            session,
            actor="admin",
            action="catalog.withdraw",
            entity_type="list_version",
            entity_id=7,
            before={"status": "published"},
            after={"status": "withdrawn", "note": "Quyết định bị thu hồi"},
            reason="sai số hiệu",
        )
    with Session(engine) as session:
        row = session.exec(select(AuditEntry)).one()
    assert (row.actor, row.action, row.entity_id) == ("admin", "catalog.withdraw", "7")
    assert row.after == {"status": "withdrawn", "note": "Quyết định bị thu hồi"}
    assert row.before == {"status": "published"}


def test_audit_row_rolls_back_with_the_change(engine: Engine) -> None:
    def failing_change() -> None:
        with session_scope() as session:
            audit.record(session, actor="admin", action="x", entity_type="y")
            raise RuntimeError("change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []


def test_actor_is_required(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="needs an actor"):
        audit.record(session, actor="  ", action="x", entity_type="y")
