"""The procedure catalog: effective-dated lists of procedures allowed for postal handling.

QĐ 45/2016/QĐ-TTg art. 18 makes the provincial chairman publish, by decision, the list of
procedures that may and may not go through the post. Each decision becomes a ``ListVersion``
with a validity window; each row of its annex a ``ListEntry``. Published versions are never
edited in place (a correction is a new version), so a postal record can always be judged
against the list that was in force when it happened.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from postlink.models.types import UTCDateTime
from postlink.states import VersionStatus
from postlink.timeutil import utcnow


class ListVersion(SQLModel, table=True):
    """One published (or draft) list: the annex of one decision.

    The window is ``[effective_from, effective_to)`` in local calendar dates; an open
    ``effective_to`` means "until a later version takes over".
    """

    __tablename__ = "list_version"
    __table_args__ = (Index("ix_list_version_status_from", "status", "effective_from"),)

    id: int | None = Field(default=None, primary_key=True)
    decision: str = Field(sa_type=String(100), description="e.g. 125/QĐ-UBND")
    signed_on: date | None = None
    effective_from: date
    effective_to: date | None = None
    status: str = Field(default=VersionStatus.DRAFT, sa_type=String(16))
    source_name: str = Field(default="", sa_type=String(255))
    source_sha256: str = Field(default="", sa_type=String(64))
    entry_count: int = 0
    imported_by: str = Field(default="", sa_type=String(100))
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    published_by: str | None = Field(default=None, sa_type=String(100))
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    withdrawn_by: str | None = Field(default=None, sa_type=String(100))
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    withdraw_reason: str | None = Field(default=None, sa_type=Text())
    note: str = Field(default="", sa_type=Text())


class ListEntry(SQLModel, table=True):
    """One procedure (optionally for one handling agency) in one list version.

    ``agency_code`` is empty for the general entry; an agency-specific entry overrides it
    (real one-stop systems keep eligibility per procedure × agency, domain brief §1).
    """

    __tablename__ = "list_entry"
    __table_args__ = (
        UniqueConstraint("version_id", "procedure_code", "agency_code"),
        Index("ix_list_entry_code", "procedure_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="list_version.id", ondelete="CASCADE")
    procedure_code: str = Field(sa_type=String(40), description="normalised base code")
    procedure_code_raw: str = Field(default="", sa_type=String(80), description="as written")
    name: str = Field(sa_type=Text())
    field: str = Field(default="", sa_type=String(255), description="lĩnh vực")
    level: str | None = Field(default=None, sa_type=String(8))
    agency: str = Field(default="", sa_type=String(255), description="cơ quan thực hiện")
    agency_code: str = Field(default="", sa_type=String(40))
    postal_submission: bool = False
    postal_return: bool = False
    reason: str = Field(default="", sa_type=Text())
    legal_basis: str = Field(default="", sa_type=Text())
    note: str = Field(default="", sa_type=Text())
    source_row: int | None = None
