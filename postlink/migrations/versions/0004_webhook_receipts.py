"""webhook receipts: refuse a replayed postal webhook (issue 11 §3)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import postlink.models.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_receipt",
        sa.Column("signature_sha256", sa.String(length=64), nullable=False),
        sa.Column("sent_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_sha256", name=op.f("pk_webhook_receipt")),
    )
    with op.batch_alter_table("webhook_receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_receipt_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_receipt_expires_at"))
    op.drop_table("webhook_receipt")
