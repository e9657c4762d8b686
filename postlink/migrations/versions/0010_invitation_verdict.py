"""failed-delivery invitations on the leg; supplement handovers


TT 17/2017 art. 5 cl. 2 point h: a result is taken back to the office only after at least
two invitations, two working days apart. The sync stores the day the rule lets a leg wait
until and, once the item is taken back, the verdict, so reports judge lateness and count
and list the legs returned without due invitations with plain SQL, from the covering index ``ix_leg_period`` (rebuilt here with both columns).
The deadlines job judges the legs already taken back that carry no verdict yet.

QĐ 45/2016 art. 7 cl. 4, second paragraph: a dossier received incomplete is filed when its
supplement is handed over; ``handover.supplement`` marks the record that hands it over.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: The reports' covering index (``postlink.reports.conditions``), before and after it also
#: covers the two columns the reports now read.
PERIOD_COLUMNS = [
    "j_date",
    "created_at",
    "agency_code",
    "kind",
    "status",
    "procedure_code",
    "deadline",
    "closed_at",
    "overdue",
    "total_fee",
]
INVITATION_COLUMNS = ["invitation_wait_until", "invitation_verdict"]


def upgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_invitation_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("invitation_wait_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("invitation_verdict", sa.String(length=40), nullable=True))
        batch_op.drop_index("ix_leg_period")
        batch_op.create_index("ix_leg_period", PERIOD_COLUMNS + INVITATION_COLUMNS, unique=False)
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("supplement", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_column("supplement")
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_index("ix_leg_period")
        batch_op.create_index("ix_leg_period", PERIOD_COLUMNS, unique=False)
        batch_op.drop_column("invitation_verdict")
        batch_op.drop_column("invitation_wait_until")
        batch_op.drop_column("last_invitation_on")
