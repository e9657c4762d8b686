"""Alembic environment: migrate the database given by the caller (see postlink.migrate)."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import postlink.models  # noqa: F401  (registers every table on the metadata)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


connection = context.config.attributes["connection"]
_configure(connection)
with context.begin_transaction():
    context.run_migrations()
