"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from postlink.legs.status import LegStatus
from postlink.timeutil import require_aware

#: 64-bit keys on PostgreSQL for the high-volume tables; plain INTEGER on SQLite, where only
#: ``INTEGER PRIMARY KEY`` is the auto-incrementing rowid.
BigID = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC and always read back aware.

    SQLite has no time-zone type and returns naive values; PostgreSQL returns the session
    zone. Both come back here as UTC so that comparisons never mix naive and aware times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = require_aware(value).astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LegStatusType(TypeDecorator[LegStatus]):
    """A leg's status: text in the database, a ``LegStatus`` in Python (issue 13 §1).

    Writing a value that is not a member fails here, before the database; the database
    refuses it too (``leg_status_check``), for writes that do not come through postlink.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else LegStatus(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> LegStatus | None:
        return None if value is None else LegStatus(value)


def leg_status_check(column: str = "status") -> CheckConstraint:
    """``column`` holds a ``LegStatus`` value (NULL passes a CHECK, as SQL has it); named
    ``ck_leg_status`` by the convention below, as migration 0007 creates it."""
    values = ", ".join(f"'{status.value}'" for status in LegStatus)
    return CheckConstraint(f"{column} IN ({values})", name="status")


#: Deterministic constraint names, so that migrations (and SQLite batch rebuilds) can refer
#: to constraints by name on both backends.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
