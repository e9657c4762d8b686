"""Column types shared by every table."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlmodel import SQLModel

from postlink.columns import BigID, LegStatusType, UTCDateTime
from postlink.legs.status import LegStatus

__all__ = ["BigID", "LegStatusType", "UTCDateTime"]


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
