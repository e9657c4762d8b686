"""Webhooks already received, so that a captured body cannot be played again (issue 11 §3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from postlink.models.types import UTCDateTime
from postlink.timeutil import utcnow


class WebhookReceipt(SQLModel, table=True):
    """One accepted webhook, keyed by the SHA-256 of its signature.

    Kept until ``expires_at``: past it, the body's ``sendDate`` is outside the freshness
    window and the body is refused as stale anyway, so the row is no longer needed.
    """

    __tablename__ = "webhook_receipt"

    signature_sha256: str = Field(primary_key=True, sa_type=String(64))
    sent_at: datetime = Field(sa_type=UTCDateTime())
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    expires_at: datetime = Field(sa_type=UTCDateTime(), index=True)
