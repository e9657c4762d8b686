"""when the personal data in an exchange's or a quarantined record's body was masked

Revision ID: 0008
Revises: 0007 (re-chained after merging main, which has core's 0007)
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from postlink.models.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("exchange", "quarantine")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("masked_at", UTCDateTime(timezone=True), nullable=True))
            batch_op.create_index(f"ix_{table}_unmasked", ["masked_at", "at"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_unmasked")
            batch_op.drop_column("masked_at")
