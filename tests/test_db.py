"""Database: migrations match the models, times round-trip as aware UTC, SQLite is tuned."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from postlink import migrate
from postlink.db import make_engine, session_scope
from postlink.models import AuditEntry, ListVersion


def test_migrations_are_at_head_and_match_the_models(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.pending_model_changes(engine) == []


def test_times_round_trip_as_aware_utc(engine: Engine) -> None:
    hanoi = timezone(timedelta(hours=7))
    signed = datetime(2026, 1, 15, 9, 30, tzinfo=hanoi)
    with session_scope() as session:
        session.add(AuditEntry(actor="test", action="probe", entity_type="x", at=signed))
    with Session(engine) as session:
        stored = session.exec(select(AuditEntry)).one()
    assert stored.at == signed
    assert stored.at.tzinfo == UTC
    assert stored.at.hour == 2


def test_naive_datetime_is_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="has no time zone"), session_scope() as session:
        session.add(AuditEntry(actor="t", action="a", entity_type="x", at=datetime(2026, 1, 1)))


def test_failed_unit_of_work_leaves_nothing(engine: Engine) -> None:
    def half_done() -> None:
        with session_scope() as session:
            session.add(ListVersion(decision="1/QĐ-UBND", effective_from=date(2026, 1, 1)))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        half_done()
    with Session(engine) as session:
        assert session.exec(select(ListVersion)).all() == []


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/nested/dir/p.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
    engine.dispose()
