"""a leg's status is one of postlink's statuses: CHECK constraint ck_leg_status

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Issue 13 §1: ``leg.status`` holds a ``postlink.legs.status.LegStatus`` value. The values are
written out here, as they were when this revision was made, so that a later change to the
enum comes with its own migration instead of silently changing this one.

A row already holding another value is not guessed at (mapping it to ``unknown`` would hide
a status a carrier table once produced and lose what the leg's state was): the upgrade
refuses, naming each value and how many legs hold it, so the operator fixes the data (or
the status table, then ``postlink refold``) and upgrades again. NULL is not allowed by
the column itself (NOT NULL since 0001); the CHECK lets NULL pass, as SQL does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from postlink.errors import PostlinkError

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "draft",
    "created",
    "pickup_scheduled",
    "pickup_in_progress",
    "pickup_failed_attempt",
    "pickup_failed",
    "picked_up",
    "accepted",
    "in_transit",
    "at_delivery_office",
    "out_for_delivery",
    "delivery_failed_attempt",
    "delivered",
    "partially_delivered",
    "return_pending",
    "returning",
    "returned",
    "cancelled",
    "payment",
    "unknown",
)
CONDITION = "status IN ({})".format(", ".join(f"'{status}'" for status in STATUSES))


def _refuse_foreign_values() -> None:
    leg = sa.table("leg", sa.column("status", sa.String()))
    rows = (
        op.get_bind()
        .execute(
            sa.select(leg.c.status, sa.func.count())
            .where(leg.c.status.not_in(STATUSES))
            .group_by(leg.c.status)
            .order_by(leg.c.status)
        )
        .all()
    )
    if rows:
        found = ", ".join(f"{status!r} ({count})" for status, count in rows)
        raise PostlinkError(
            code="core.leg_status_foreign", found=found, allowed=", ".join(STATUSES)
        )


def upgrade() -> None:
    _refuse_foreign_values()
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.create_check_constraint("status", sa.text(CONDITION))


def downgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_leg_status"), type_="check")
