"""procedure codes in canonical form beside the raw one; unknown-status events indexed;
who resolved a quarantined record and how

A localised code (``2.000815.000.00.00.H14``) is the national procedure ``2.000815`` handled
by one agency: reports must count it with the national code (issue 16). ``leg.procedure_code``
and ``dossier.procedure_code`` become the national base, the code as received is kept in
``procedure_code_raw``. Existing rows are backfilled per distinct code, so the update costs
one statement per code, not one per leg.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from postlink.identifiers import canonical_procedure_code

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNKNOWN_ONLY = "status = 'unknown'"


def _canonicalise(table: str) -> None:
    """Set each distinct code to its national base where the two differ."""
    connection = op.get_bind()
    codes = connection.execute(
        sa.text(f"SELECT DISTINCT procedure_code FROM {table} WHERE procedure_code IS NOT NULL")
    ).scalars()
    for code in list(codes):
        base = canonical_procedure_code(code)
        if base != code:
            connection.execute(
                sa.text(f"UPDATE {table} SET procedure_code = :base WHERE procedure_code = :code"),
                {"base": base, "code": code},
            )


def upgrade() -> None:
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("procedure_code_raw", sa.String(length=80), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE leg SET procedure_code_raw = procedure_code WHERE procedure_code IS NOT NULL"
    )
    op.execute(
        "UPDATE dossier SET procedure_code_raw = procedure_code"
        " WHERE procedure_code IS NOT NULL AND procedure_code_raw = ''"
    )
    _canonicalise("leg")
    _canonicalise("dossier")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("resolved_by", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("resolution", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_event_unknown",
            ["raw_code", "leg_id"],
            unique=False,
            postgresql_where=sa.text(UNKNOWN_ONLY),
            sqlite_where=sa.text(UNKNOWN_ONLY),
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_event_unknown",
            postgresql_where=sa.text(UNKNOWN_ONLY),
            sqlite_where=sa.text(UNKNOWN_ONLY),
        )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_column("resolution")
        batch_op.drop_column("resolved_by")
    op.execute("UPDATE leg SET procedure_code = procedure_code_raw WHERE procedure_code_raw <> ''")
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_column("procedure_code_raw")
