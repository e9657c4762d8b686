"""The schema revision ``postlink status`` checks without Alembic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink import migrate, schema
from postlink.db import get_engine, make_engine
from postlink.settings import get_settings
from tests.conftest import CliResult


def test_the_constant_is_the_newest_migration() -> None:
    assert migrate.head_revision() == schema.HEAD_REVISION, (
        "a migration was added: set postlink.schema.HEAD_REVISION to it"
    )


def test_a_migrated_database_is_current(engine: Engine) -> None:
    assert schema.stored_revision(engine) == schema.HEAD_REVISION
    schema.require_current(engine)


def test_status_on_a_database_never_upgraded_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert schema.stored_revision(make_engine(url)) is None
    monkeypatch.setenv("POSTLINK_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        shown = cli("status", "--json")
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
    assert shown.code == 1, "monitoring reads non-zero as needs attention"
    assert shown.stdout == ""
    assert "postlink db upgrade" in shown.stderr
    assert "trống" in shown.stderr
