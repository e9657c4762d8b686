"""Column types shared by every table."""

from __future__ import annotations

from sqlmodel import SQLModel

from postlink.columns import BigID, UTCDateTime

__all__ = ["BigID", "UTCDateTime"]


#: Deterministic constraint names, so that migrations (and SQLite batch rebuilds) can refer
#: to constraints by name on both backends.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
