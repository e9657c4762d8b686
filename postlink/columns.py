"""Column types shared by every table, importable without the ORM.

Apart from ``postlink.models`` so that commands reading a few columns through SQLAlchemy
Core (``postlink.tables``) read datetimes exactly as the models do, without importing
SQLModel and every model (issue 15 §2: ``postlink status`` starts in a blink).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

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
