"""Append-only audit trail and the people who act in the system."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlmodel import Field, SQLModel

from postlink.models.types import UTCDateTime
from postlink.timeutil import utcnow


class AuditEntry(SQLModel, table=True):
    """Who did what, to what, before and after, and why. Rows are never updated."""

    __tablename__ = "audit"
    __table_args__ = (
        Index("ix_audit_entity", "entity_type", "entity_id"),
        Index("ix_audit_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    actor: str = Field(sa_type=String(100))
    action: str = Field(sa_type=String(64))
    entity_type: str = Field(sa_type=String(64))
    entity_id: str = Field(default="", sa_type=String(100))
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON())
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON())
    reason: str = Field(default="", sa_type=Text())


class Role(StrEnum):
    STAFF = "staff"
    ADMIN = "admin"


class User(SQLModel, table=True):
    """A local account of the web console (``user`` is reserved in PostgreSQL)."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=String(100), unique=True)
    full_name: str = Field(default="", sa_type=String(255))
    password_hash: str = Field(sa_type=String(255))
    role: str = Field(default=Role.STAFF, sa_type=String(16))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    #: Bumped by logout, a password change and deactivation: a session cookie carries the
    #: generation it was opened under, so every older cookie stops working at once.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class ApiToken(SQLModel, table=True):
    """A bearer token of the inbound API; only its hash is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(100))
    token_hash: str = Field(sa_type=String(128), unique=True)
    role: str = Field(default=Role.STAFF, sa_type=String(16))
    created_by: str = Field(default="", sa_type=String(100))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class LoginAttempt(SQLModel, table=True):
    """A password check, counted for login throttling (``postlink.web.throttle``) by every
    server process alike; rows older than the throttle's window are deleted."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(200))
    at: datetime = Field(sa_type=UTCDateTime(), index=True)
