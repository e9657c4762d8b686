"""The daemon's memory: feed cursors, job runs and leases between worker instances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlmodel import Field, SQLModel

from postlink.models.types import BigID, UTCDateTime
from postlink.timeutil import utcnow


class SyncCursor(SQLModel, table=True):
    """Where a change feed was last read; written in the transaction of the data it covers."""

    __tablename__ = "sync_cursor"

    feed: str = Field(primary_key=True, sa_type=String(64))
    position: str = Field(default="", sa_type=Text())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class JobRun(SQLModel, table=True):
    """One execution of a scheduled job, for ``postlink status`` and health checks."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job", "started_at"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigID)
    job: str = Field(sa_type=String(64))
    instance: str = Field(sa_type=String(128))
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    outcome: str = Field(default="running", sa_type=String(16))
    counts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    error: str = Field(default="", sa_type=Text())


class Lease(SQLModel, table=True):
    """A named lock with an expiry refreshed by a heartbeat (the rq scheduler's model)."""

    __tablename__ = "lease"

    name: str = Field(primary_key=True, sa_type=String(64))
    holder: str = Field(sa_type=String(128))
    acquired_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    expires_at: datetime = Field(sa_type=UTCDateTime())
