"""carrier ids as opaque text, wide enough for a GUID and more (issue 11)

The post's ids are opaque strings (postal brief §1: ``orderHdrID`` is a GUID such as
``8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94``): the columns that keep them are widened so that
no plausible id is refused. Past these widths a record is quarantined with a reason naming
the field and its length (``postlink.postal.fields``), never cut: a cut id could make two
orders one.

- ``leg.reference`` 100 → 128, ``leg.order_id`` 64 → 100, ``leg.item_code`` 32 → 64,
  ``leg.raw_status`` 16 → 32;
- ``event.item_code`` 32 → 64, ``event.raw_code`` 16 → 32;
- ``quarantine.source`` 64 → 128 (it names the item of a history it came from).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column, width before, width after, nullable)
WIDENED = (
    ("leg", "reference", 100, 128, False),
    ("leg", "order_id", 64, 100, False),
    ("leg", "item_code", 32, 64, True),
    ("leg", "raw_status", 16, 32, False),
    ("event", "item_code", 32, 64, False),
    ("event", "raw_code", 16, 32, False),
    ("quarantine", "source", 64, 128, False),
)


def _resize(widen: bool) -> None:
    for table in dict.fromkeys(name for name, *_ in WIDENED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column, narrow, wide, nullable in WIDENED:
                if name != table:
                    continue
                old, new = (narrow, wide) if widen else (wide, narrow)
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=old),
                    type_=sa.String(length=new),
                    existing_nullable=nullable,
                )


def upgrade() -> None:
    _resize(widen=True)


def downgrade() -> None:
    _resize(widen=False)
