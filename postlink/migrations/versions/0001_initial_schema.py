"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import postlink.models.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "dossier",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=True),
        sa.Column("procedure_code_raw", sa.String(length=80), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("citizen_name", sa.String(length=255), nullable=False),
        sa.Column("citizen_phone", sa.String(length=32), nullable=False),
        sa.Column("citizen_address", sa.Text(), nullable=False),
        sa.Column("commune_code", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("filed_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
        sa.UniqueConstraint("code", name=op.f("uq_dossier_code")),
    )
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_agency_code"), ["agency_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dossier_citizen_phone"), ["citizen_phone"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dossier_procedure_code"), ["procedure_code"], unique=False
        )

    op.create_table(
        "exchange",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("request_body", sa.Text(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange")),
    )
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.create_index("ix_exchange_at", ["at"], unique=False)

    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("office", sa.String(length=255), nullable=False),
        sa.Column("officer", sa.String(length=255), nullable=False),
        sa.Column("postal_worker", sa.String(length=255), nullable=False),
        sa.Column("signed_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
    )
    op.create_table(
        "job_run",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("instance", sa.String(length=128), nullable=False),
        sa.Column("started_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
    )
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.create_index("ix_job_run_job_started", ["job", "started_at"], unique=False)

    op.create_table(
        "lease",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("acquired_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_lease")),
    )
    op.create_table(
        "list_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=100), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=100), nullable=True),
        sa.Column("published_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=100), nullable=True),
        sa.Column("withdrawn_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_version")),
    )
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_list_version_status_from", ["status", "effective_from"], unique=False
        )

    op.create_table(
        "quarantine",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("resolved_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_quarantine_open", ["resolved_at"], unique=False)

    op.create_table(
        "sync_cursor",
        sa.Column("feed", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("updated_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "leg",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=True),
        sa.Column("item_check_ok", sa.Boolean(), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("raw_status", sa.String(length=16), nullable=False),
        sa.Column("raw_label", sa.String(length=255), nullable=False),
        sa.Column("status_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("j_date", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("invitations", sa.Integer(), nullable=False),
        sa.Column("last_event_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", postlink.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("match_class", sa.String(length=24), nullable=True),
        sa.Column("matched_on", sa.Date(), nullable=True),
        sa.Column("match_version_id", sa.Integer(), nullable=True),
        sa.Column("match_reason", sa.Text(), nullable=False),
        sa.Column("match_legal_basis", sa.Text(), nullable=False),
        sa.Column("main_fee", sa.Integer(), nullable=True),
        sa.Column("total_fee", sa.Integer(), nullable=True),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_leg_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["match_version_id"],
            ["list_version.id"],
            name=op.f("fk_leg_match_version_id_list_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leg")),
        sa.UniqueConstraint("adapter", "reference", name=op.f("uq_leg_adapter_reference")),
    )
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.create_index("ix_leg_agency_kind", ["agency_code", "kind", "j_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_leg_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leg_item_code"), ["item_code"], unique=False)
        batch_op.create_index("ix_leg_j_date", ["j_date"], unique=False)
        batch_op.create_index("ix_leg_match", ["match_class", "j_date"], unique=False)
        batch_op.create_index(
            "ix_leg_open_overdue",
            ["deadline", "id"],
            unique=False,
            postgresql_where=sa.text("overdue AND closed_at IS NULL"),
            sqlite_where=sa.text("overdue = 1 AND closed_at IS NULL"),
        )
        batch_op.create_index(
            "ix_leg_period",
            [
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
            ],
            unique=False,
        )
        batch_op.create_index("ix_leg_status_at", ["status_at"], unique=False)
        batch_op.create_index("ix_leg_status_deadline", ["status", "deadline"], unique=False)

    op.create_table(
        "list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=False),
        sa.Column("procedure_code_raw", sa.String(length=80), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("agency", sa.String(length=255), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("postal_submission", sa.Boolean(), nullable=False),
        sa.Column("postal_return", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_version.id"],
            name=op.f("fk_list_entry_version_id_list_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_entry")),
        sa.UniqueConstraint(
            "version_id",
            "procedure_code",
            "agency_code",
            name=op.f("uq_list_entry_version_id_procedure_code_agency_code"),
        ),
    )
    with op.batch_alter_table("list_entry", schema=None) as batch_op:
        batch_op.create_index("ix_list_entry_code", ["procedure_code"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("leg_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("item_code", sa.String(length=32), nullable=False),
        sa.Column("raw_code", sa.String(length=16), nullable=False),
        sa.Column("raw_label", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("received_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["leg_id"], ["leg.id"], name=op.f("fk_event_leg_id_leg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint(
            "item_code",
            "raw_code",
            "occurred_at",
            name=op.f("uq_event_item_code_raw_code_occurred_at"),
        ),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_leg_time", ["leg_id", "occurred_at"], unique=False)

    op.create_table(
        "handover_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("leg_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handover_id"],
            ["handover.id"],
            name=op.f("fk_handover_item_handover_id_handover"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["leg_id"], ["leg.id"], name=op.f("fk_handover_item_leg_id_leg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_item")),
        sa.UniqueConstraint(
            "handover_id", "leg_id", name=op.f("uq_handover_item_handover_id_leg_id")
        ),
    )
    with op.batch_alter_table("handover_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_item_handover_id"), ["handover_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_handover_item_leg_id"), ["leg_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("leg_kind", sa.String(length=8), nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("leg_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", postlink.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["leg_id"], ["leg.id"], name=op.f("fk_outbox_leg_id_leg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("kind", "reference", name=op.f("uq_outbox_kind_reference")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_dossier_code"), ["dossier_code"], unique=False)
        batch_op.create_index("ix_outbox_due", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
        batch_op.drop_index(batch_op.f("ix_outbox_dossier_code"))

    op.drop_table("outbox")
    with op.batch_alter_table("handover_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_item_leg_id"))
        batch_op.drop_index(batch_op.f("ix_handover_item_handover_id"))

    op.drop_table("handover_item")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_leg_time")

    op.drop_table("event")
    with op.batch_alter_table("list_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_list_entry_code")

    op.drop_table("list_entry")
    with op.batch_alter_table("leg", schema=None) as batch_op:
        batch_op.drop_index("ix_leg_status_deadline")
        batch_op.drop_index("ix_leg_status_at")
        batch_op.drop_index("ix_leg_period")
        batch_op.drop_index(
            "ix_leg_open_overdue",
            postgresql_where=sa.text("overdue AND closed_at IS NULL"),
            sqlite_where=sa.text("overdue = 1 AND closed_at IS NULL"),
        )
        batch_op.drop_index("ix_leg_match")
        batch_op.drop_index("ix_leg_j_date")
        batch_op.drop_index(batch_op.f("ix_leg_item_code"))
        batch_op.drop_index(batch_op.f("ix_leg_dossier_id"))
        batch_op.drop_index("ix_leg_agency_kind")

    op.drop_table("leg")
    op.drop_table("sync_cursor")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantine_open")

    op.drop_table("quarantine")
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.drop_index("ix_list_version_status_from")

    op.drop_table("list_version")
    op.drop_table("lease")
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_job_started")

    op.drop_table("job_run")
    op.drop_table("handover")
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_at")

    op.drop_table("exchange")
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_procedure_code"))
        batch_op.drop_index(batch_op.f("ix_dossier_citizen_phone"))
        batch_op.drop_index(batch_op.f("ix_dossier_agency_code"))

    op.drop_table("dossier")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")
        batch_op.drop_index("ix_audit_at")

    op.drop_table("audit")
    op.drop_table("app_user")
    op.drop_table("api_token")
