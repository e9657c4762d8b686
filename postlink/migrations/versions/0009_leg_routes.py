"""the route a leg's deadline was counted on: n, why, unknown commune; appointment slips

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03

TT 17/2017/TT-BTTTT art. 7: n depends on the route and on whether the dossier leg carries an
appointment slip (giấy hẹn). The leg keeps the n it was counted with and why, so reports and
``postlink leg explain`` read them back instead of re-deciding with a table that may have
changed since; ``route_commune_unknown`` marks the legs counted on the fallback row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.add_column(sa.Column("route_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("route_why", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column(
                "route_commune_unknown", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.create_index(
            "ix_leg_commune_unknown",
            ["j_date", "created_at"],
            unique=False,
            postgresql_where=sa.text("route_commune_unknown"),
            sqlite_where=sa.text("route_commune_unknown = 1"),
        )
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("appointment_slip", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("appointment_slip")
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_index("ix_leg_commune_unknown")
        batch_op.drop_column("route_commune_unknown")
        batch_op.drop_column("route_why")
        batch_op.drop_column("route_days")
