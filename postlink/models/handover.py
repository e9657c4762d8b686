"""Handover records (biên bản giao nhận) between the office and the postal worker.

QĐ 45/2016 art. 7 cl. 4: the legal filing time of a dossier received by post is the moment
the handover record is signed, so ``signed_at`` is copied to each dossier's ``filed_at``;
a dossier received incomplete is filed when its supplement is handed over (second
paragraph), on a record of its own marked ``supplement`` ("bổ sung").
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from postlink.models.types import BigID, UTCDateTime
from postlink.timeutil import utcnow


class Direction(StrEnum):
    IN = "in"  # dossiers handed by the post to the office
    OUT = "out"  # results handed by the office to the post


class ItemState(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    MISSING = "missing"


class Handover(SQLModel, table=True):
    __tablename__ = "handover"

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(sa_type=String(4))
    office: str = Field(default="", sa_type=String(255))
    officer: str = Field(sa_type=String(255))
    postal_worker: str = Field(sa_type=String(255))
    signed_at: datetime = Field(sa_type=UTCDateTime())
    supplement: bool = Field(
        default=False, description="hands over supplements of dossiers received incomplete"
    )
    note: str = Field(default="", sa_type=Text())
    created_by: str = Field(default="", sa_type=String(100))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class HandoverItem(SQLModel, table=True):
    __tablename__ = "handover_item"
    __table_args__ = (UniqueConstraint("handover_id", "leg_id"),)

    id: int | None = Field(default=None, primary_key=True)
    handover_id: int = Field(foreign_key="handover.id", ondelete="CASCADE", index=True)
    leg_id: int = Field(foreign_key="leg.id", sa_type=BigID, index=True)
    state: str = Field(default=ItemState.COMPLETE, sa_type=String(16))
    note: str = Field(default="", sa_type=Text())
