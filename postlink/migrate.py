"""Schema migrations with Alembic, driven from code rather than an ``alembic.ini``.

The migration scripts ship inside the package so that ``postlink db upgrade`` works from an
installed wheel on a province server, with no source checkout beside it.
"""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlmodel import SQLModel

import postlink.models  # noqa: F401  (registers every table on the metadata)


def _config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "postlink:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` in one transaction where possible."""
    with engine.begin() as connection:
        config = _config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of postlink."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def pending_model_changes(engine: Engine) -> list[object]:
    """Differences between the models and a migrated database; empty when in step."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))
