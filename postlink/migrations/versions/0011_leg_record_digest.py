"""the digest of the feed record a leg was last applied from

Issue 15 §3: an empty poll re-reads a day and more of orders that did not move. The leg
keeps a digest of what it was last written from by the sync's full path (the record as the
post sent it, the rules in force and its registered dossier's inputs); a record that comes
back with the same digest costs a comparison, not a parse-and-upsert (``legs/fingerprint.py``).
Every other write to a leg through SQLAlchemy clears it (the column's ``onupdate``), so the
next pass applies that leg's record in full once. A later migration that rewrites leg rows
with plain SQL must clear it too. Existing legs start without one: the first poll after the
upgrade applies its window in full and stores them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_digest", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_column("record_digest")
