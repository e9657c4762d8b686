"""Shared fixtures: a migrated database on each backend, and a CLI runner.

Every test that takes ``engine`` runs twice: on SQLite and on PostgreSQL. PostgreSQL runs
when ``POSTLINK_TEST_DATABASE_URL`` is set (CI sets it); otherwise those runs are skipped
with that reason. Each test session gets its own PostgreSQL schema so that concurrent runs
on one server do not collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from postlink import migrate
from postlink.db import get_engine, make_engine
from postlink.settings import get_settings

PG_URL_VARIABLE = "POSTLINK_TEST_DATABASE_URL"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads a developer's .env or environment, and caches start empty."""
    for key in list(os.environ):
        if key.startswith("POSTLINK_") and key != PG_URL_VARIABLE:
            monkeypatch.delenv(key)
    monkeypatch.setenv("POSTLINK_ENV_FILE", str(tmp_path / "absent.env"))
    monkeypatch.setenv("POSTLINK_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_settings.cache_clear()
    get_engine.cache_clear()


def _postgres_schema_url(base_url: str, schema: str) -> str:
    """Create ``schema`` and return a URL whose connections use it (psycopg ``options``)."""
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@dataclass
class Database:
    engine: Engine
    url: str
    schema: str | None


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database for the whole session, on one backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'postlink.db'}"
        db = Database(make_engine(url), url, None)
    else:
        base = os.environ.get(PG_URL_VARIABLE)
        if not base:
            pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE} (CI sets it)")
        schema = f"pltest_{uuid.uuid4().hex[:12]}"
        url = _postgres_schema_url(base, schema)
        db = Database(make_engine(url), url, schema)
    migrate.upgrade(db.engine)
    yield db
    if db.schema:
        with db.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{db.schema}" CASCADE'))
    db.engine.dispose()


@pytest.fixture
def engine(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The configured engine (``POSTLINK_DATABASE_URL`` points at the session's database),
    emptied after the test."""
    monkeypatch.setenv("POSTLINK_DATABASE_URL", database.url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield get_engine()
    get_engine().dispose()
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with database.engine.begin() as connection:
        if database.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``postlink ARGS`` in-process through the real entry point (error handling too)."""
    from postlink.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        get_settings.cache_clear()
        return CliResult(code, captured.out, captured.err)

    return run
