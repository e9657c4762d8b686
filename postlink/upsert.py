"""``INSERT … ON CONFLICT`` for both backends.

SQLite (3.24+) and PostgreSQL share the statement's meaning but SQLAlchemy builds it per
dialect; this picks the right constructor so callers write one statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_for(connection: Connection, table: Table) -> Any:
    """A dialect-specific ``insert(table)`` that supports ``on_conflict_do_*``."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
