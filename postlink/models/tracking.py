"""Dossiers, their postal legs, tracking events and the outbox of orders we owe the post.

A dossier travels on up to two legs (QĐ 45/2016 arts. 6–10): ``pickup`` carries the
dossier from the citizen to the office, ``return`` carries the result back. Each leg is one
postal order identified by its stable reference (``<dossier code>-P<n>`` / ``-R<n>``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint, null, text
from sqlmodel import Field, SQLModel

from postlink.legs.status import LegStatus
from postlink.models.types import BigID, LegStatusType, UTCDateTime, leg_status_check
from postlink.states import OutboxState
from postlink.timeutil import utcnow


class LegKind(StrEnum):
    PICKUP = "pickup"
    RETURN = "return"


class MatchClass(StrEnum):
    """How a leg stands against the catalog version in force at its J date."""

    ELIGIBLE = "eligible"
    EXCLUDED = "excluded"
    UNKNOWN_PROCEDURE = "unknown_procedure"
    NO_LIST_IN_FORCE = "no_list_in_force"
    INVALID = "invalid"


class Dossier(SQLModel, table=True):
    """A TTHC dossier known to the post. Citizen contact is personal data (Law 91/2025/QH15)."""

    __tablename__ = "dossier"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    code: str = Field(sa_type=String(64), unique=True)
    procedure_code: str | None = Field(default=None, sa_type=String(40), index=True)
    procedure_code_raw: str = Field(default="", sa_type=String(80))
    procedure_name: str = Field(default="", sa_type=Text())
    agency_code: str = Field(default="", sa_type=String(40), index=True)
    # Personal data: never in the repr (a log line or a traceback may print a row).
    citizen_name: str = Field(default="", sa_type=String(255), repr=False)
    citizen_phone: str = Field(default="", sa_type=String(32), index=True, repr=False)
    citizen_address: str = Field(default="", sa_type=Text(), repr=False)
    commune_code: str = Field(default="", sa_type=String(8))
    channel: str = Field(default="post", sa_type=String(16))
    appointment_slip: bool = Field(
        default=False, description="TT 17/2017 art. 7: the pickup leg carries a giấy hẹn"
    )
    filed_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime(), description="QĐ 45 art. 7 cl. 4: handover signed"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class Leg(SQLModel, table=True):
    """One postal order: a dossier's pickup or its result's return."""

    __tablename__ = "leg"
    __table_args__ = (
        UniqueConstraint("adapter", "reference"),
        leg_status_check(),
        Index("ix_leg_status_deadline", "status", "deadline"),
        Index("ix_leg_j_date", "j_date"),
        Index("ix_leg_match", "match_class", "j_date"),
        Index("ix_leg_agency_kind", "agency_code", "kind", "j_date"),
        # The web dashboard (postlink.web.dashboard): today's arrivals are a range on the
        # time the status was reached, and the overdue panel counts and lists the open
        # overdue legs by deadline from a partial index holding only them (PostgreSQL
        # would not read a full index in order past "closed_at IS NULL").
        Index("ix_leg_status_at", "status_at"),
        # The delivery report counts the legs whose commune the route table lacks (their
        # deadline is the intra-province row's): a partial index holds only those.
        Index(
            "ix_leg_commune_unknown",
            "j_date",
            "created_at",
            postgresql_where=text("route_commune_unknown"),
            sqlite_where=text("route_commune_unknown = 1"),
        ),
        Index(
            "ix_leg_open_overdue",
            "deadline",
            "id",
            postgresql_where=text("overdue AND closed_at IS NULL"),
            sqlite_where=text("overdue = 1 AND closed_at IS NULL"),
        ),
        # Reports (postlink.reports.conditions): a period is a range on J (or on creation
        # when J is unknown), and the trailing columns cover every aggregate, so a report
        # over a year of a million legs reads this index and never the table.
        Index(
            "ix_leg_period",
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
            "invitation_wait_until",
            "invitation_verdict",
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    dossier_id: int | None = Field(
        default=None, foreign_key="dossier.id", index=True, sa_type=BigID
    )
    kind: str = Field(sa_type=String(8))
    adapter: str = Field(sa_type=String(32))
    # The post's ids are opaque text (issue 11): a GUID is 36 characters, the columns are
    # wider; a record whose id does not fit is quarantined with that reason, never cut
    # (postlink.postal.fields reads these widths).
    reference: str = Field(sa_type=String(128), description="saleOrderCode / OrderNumber")
    order_id: str = Field(default="", sa_type=String(100), description="post's own order id")
    item_code: str | None = Field(default=None, sa_type=String(64), index=True)
    item_check_ok: bool = True
    agency_code: str = Field(default="", sa_type=String(40))
    procedure_code: str | None = Field(
        default=None, sa_type=String(40), description="canonical (national base) code"
    )
    procedure_code_raw: str = Field(default="", sa_type=String(80), description="as received")
    status: LegStatus = Field(default=LegStatus.UNKNOWN, sa_type=LegStatusType())
    raw_status: str = Field(default="", sa_type=String(32))
    raw_label: str = Field(default="", sa_type=String(255))
    status_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime(), description="when the current status was reached"
    )
    route: str = Field(default="", sa_type=String(32), description="row of the time-limit table")
    route_days: int | None = Field(default=None, description="n of J + n, as counted")
    route_why: str = Field(default="", sa_type=Text(), description="why this route")
    route_commune_unknown: bool = Field(
        default=False, description="a commune the route table lacks: intra-province fallback"
    )
    j_date: date | None = None
    deadline: date | None = None
    overdue: bool = False
    invitations: int = Field(
        default=0, description="failed delivery attempts (TT 17/2017 art. 5 cl. 2 point h)"
    )
    last_invitation_on: date | None = Field(
        default=None, description="local day of the newest failed delivery attempt"
    )
    invitation_wait_until: date | None = Field(
        default=None, description="waiting between invitations: not late through this day"
    )
    invitation_verdict: str | None = Field(
        default=None,
        sa_type=String(40),
        description="once taken back to the office: compliant / returned_without_due_invitations",
    )
    last_event_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    match_class: str | None = Field(default=None, sa_type=String(24))
    matched_on: date | None = Field(default=None, description="local date judged against")
    match_version_id: int | None = Field(default=None, foreign_key="list_version.id")
    match_reason: str = Field(default="", sa_type=Text())
    match_legal_basis: str = Field(default="", sa_type=Text())
    main_fee: int | None = None
    total_fee: int | None = None
    # What the sync's full path last wrote the leg from (legs/fingerprint.py): any other
    # UPDATE through SQLAlchemy that does not set it clears it, so a record is skipped as
    # unchanged only while nothing else has written the leg since (migration 0011).
    record_digest: str | None = Field(
        default=None,
        sa_type=String(32),
        sa_column_kwargs={"onupdate": null()},
        description="digest of the feed record, rules and dossier the leg was written from",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class Event(SQLModel, table=True):
    """One tracking event. The natural key makes a replayed poll or webhook a no-op."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("item_code", "raw_code", "occurred_at"),
        Index("ix_event_leg_time", "leg_id", "occurred_at"),
        # ``postlink status`` counts the legs carrying codes the status table lacks: this
        # partial index holds only those events, so the count never reads the whole table.
        Index(
            "ix_event_unknown",
            "raw_code",
            "leg_id",
            postgresql_where=text("status = 'unknown'"),
            sqlite_where=text("status = 'unknown'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    leg_id: int = Field(foreign_key="leg.id", sa_type=BigID)
    item_code: str = Field(sa_type=String(64))
    raw_code: str = Field(sa_type=String(32))
    raw_label: str = Field(default="", sa_type=String(255))
    status: str = Field(sa_type=String(32))
    occurred_at: datetime = Field(sa_type=UTCDateTime())
    location: str = Field(default="", sa_type=String(255))
    source: str = Field(default="poll", sa_type=String(16))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class OutboxCommand(SQLModel, table=True):
    """An order the office owes the post; idempotent on (kind, reference)."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("kind", "reference"),
        Index("ix_outbox_due", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    kind: str = Field(sa_type=String(16), description="create or cancel")
    leg_kind: str = Field(sa_type=String(8))
    dossier_code: str = Field(sa_type=String(64), index=True)
    reference: str = Field(sa_type=String(100))
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    state: str = Field(default=OutboxState.PENDING, sa_type=String(16))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    last_error: str = Field(default="", sa_type=Text())
    refusal_reason: str = Field(default="", sa_type=Text())
    leg_id: int | None = Field(default=None, foreign_key="leg.id", sa_type=BigID)
    created_by: str = Field(default="", sa_type=String(100))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
