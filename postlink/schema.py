"""The schema revision this version of postlink needs, known without loading Alembic.

``postlink status`` runs every minute from monitoring, and Alembic alone costs it a third of
a second (issue 15), so the newest migration shipped is kept here as a constant (a test
checks it against the migration scripts) and compared with the database's
``alembic_version`` row. A database not upgraded then gets one clear line instead of a
missing table's SQL error.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from postlink.errors import PostlinkError

#: The newest revision in ``postlink/migrations/versions/``.
HEAD_REVISION = "0011"


def stored_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it has never been migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def require_current(engine: Engine) -> None:
    """Refuse to read a database whose schema is not this version's."""
    stored = stored_revision(engine)
    if stored != HEAD_REVISION:
        if stored is None:
            raise PostlinkError(code="schema.empty", needed=HEAD_REVISION)
        raise PostlinkError(code="schema.outdated", stored=stored, needed=HEAD_REVISION)
