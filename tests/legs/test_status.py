"""A leg's status is a ``LegStatus`` in Python and a constrained value in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from postlink import migrate
from postlink.db import make_engine
from postlink.errors import PostlinkError
from postlink.legs.status import LegStatus
from postlink.models import Leg, LegKind

#: A write that does not come through postlink's model (a script, a manual fix).
SET_STATUS = text("UPDATE leg SET status = :status")


def _one_leg(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Leg(kind=LegKind.PICKUP, adapter="myvnpost", reference="H55.99-0001-P1"))
        session.commit()


def test_the_database_refuses_a_status_outside_the_enum(engine: Engine) -> None:
    _one_leg(engine)
    with engine.begin() as connection:
        connection.execute(SET_STATUS, {"status": "in_transit"})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(SET_STATUS, {"status": "lost"})


def test_a_leg_reads_back_as_the_enum_and_refuses_a_foreign_value(engine: Engine) -> None:
    _one_leg(engine)
    with Session(engine) as session:
        leg = session.exec(select(Leg)).one()
        assert leg.status is LegStatus.UNKNOWN
        leg.status = "lost"  # type: ignore[assignment]  # as a careless caller would
        session.add(leg)
        with pytest.raises(StatementError, match="lost"):
            session.commit()


def test_the_upgrade_names_a_foreign_value_instead_of_guessing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0006")
    _one_leg(engine)
    with engine.begin() as connection:
        connection.execute(SET_STATUS, {"status": "misplaced"})
    with pytest.raises(PostlinkError) as refused:
        migrate.upgrade(engine)
    assert refused.value.code == "core.leg_status_foreign"
    assert "'misplaced' (1)" in str(refused.value)
    assert migrate.current_revision(engine) == "0006"
    engine.dispose()


def test_the_constraint_goes_and_comes_back_with_the_migration(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'round.db'}")
    migrate.upgrade(engine)
    assert [c["name"] for c in inspect(engine).get_check_constraints("leg")] == ["ck_leg_status"]
    with engine.begin() as connection:
        config = migrate._config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert inspect(engine).get_check_constraints("leg") == []
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == "0007"
    engine.dispose()
