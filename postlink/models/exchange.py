"""What crossed the wire with the post: the redacted exchange log and quarantined records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from postlink.models.types import BigID, UTCDateTime
from postlink.timeutil import utcnow


class Exchange(SQLModel, table=True):
    """One request/response with the postal API, secrets redacted (postal brief §4).

    Kept for ``POSTLINK_EXCHANGE_LOG_RETENTION_DAYS`` and then purged by housekeeping; its
    bodies' personal data is masked after ``POSTLINK_RAW_BODY_RETENTION_DAYS``
    (``postal.retention``), when ``masked_at`` is set.
    """

    __tablename__ = "exchange"
    __table_args__ = (
        Index("ix_exchange_at", "at"),
        Index("ix_exchange_unmasked", "masked_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    adapter: str = Field(sa_type=String(32))
    operation: str = Field(sa_type=String(64))
    method: str = Field(sa_type=String(8))
    url: str = Field(sa_type=Text())
    status_code: int | None = None
    duration_ms: int = 0
    attempt: int = 1
    request_body: str = Field(default="", sa_type=Text())
    response_body: str = Field(default="", sa_type=Text())
    error: str = Field(default="", sa_type=Text())
    masked_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class Quarantined(SQLModel, table=True):
    """A postal record that could not be parsed: kept with the reason, never dropped; raw
    for ``POSTLINK_RAW_BODY_RETENTION_DAYS``, then with its personal data masked
    (``postal.retention``, ``masked_at``)."""

    __tablename__ = "quarantine"
    __table_args__ = (
        Index("ix_quarantine_open", "resolved_at"),
        Index("ix_quarantine_unmasked", "masked_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    adapter: str = Field(sa_type=String(32))
    source: str = Field(sa_type=String(128), description="feed, webhook or operation")
    reason: str = Field(sa_type=Text())
    raw: str = Field(sa_type=Text())
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    resolved_by: str = Field(default="", sa_type=String(100))
    resolution: str = Field(default="", sa_type=Text(), description="replayed, or the note")
    masked_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
