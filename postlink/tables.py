"""The columns the quick commands read, as plain SQLAlchemy Core, without the ORM models.

``postlink status`` (run every minute by monitoring) and ``postlink catalog resolve`` read a
handful of columns. Importing SQLModel and every model to name them cost those commands
more than SQLAlchemy itself (issue 15 §2: each ≤ 0.5 s), so they query these lightweight
``table()`` clauses instead. The models stay the one definition of the schema: each clause
names only columns the model has, with the model's type, and ``tests/test_tables.py``
checks that against ``SQLModel.metadata``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, column, table

from postlink.columns import BigID, LegStatusType, UTCDateTime

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    #: What these clauses are read through: a bare connection (the quick commands) or the
    #: session of a caller that has one (the dashboard, refold, the catalog's writers).
    Reader: TypeAlias = Connection | Session

JOB_RUN = table(
    "job_run",
    column("id", BigID),
    column("job", String),
    column("instance", String),
    column("started_at", UTCDateTime()),
    column("finished_at", UTCDateTime()),
    column("outcome", String),
    column("counts", JSON),
    column("error", Text),
)

LEASE = table(
    "lease",
    column("name", String),
    column("holder", String),
    column("expires_at", UTCDateTime()),
)

SYNC_CURSOR = table("sync_cursor", column("updated_at", UTCDateTime()))

LEG = table(
    "leg",
    column("id", BigID),
    column("status", LegStatusType()),
    column("raw_status", String),
    column("overdue", Boolean),
    column("closed_at", UTCDateTime()),
)

EVENT = table(
    "event",
    column("leg_id", BigID),
    column("raw_code", String),
    column("raw_label", String),
    column("status", String),
)

OUTBOX = table("outbox", column("state", String))

QUARANTINE = table(
    "quarantine",
    column("id", BigID),
    column("at", UTCDateTime()),
    column("reason", Text),
    column("resolved_at", UTCDateTime()),
)

LIST_VERSION = table(
    "list_version",
    column("id", Integer),
    column("decision", String),
    column("signed_on", Date),
    column("effective_from", Date),
    column("effective_to", Date),
    column("status", String),
)

LIST_ENTRY = table(
    "list_entry",
    column("id", Integer),
    column("version_id", Integer),
    column("procedure_code", String),
    column("procedure_code_raw", String),
    column("name", Text),
    column("field", String),
    column("level", String),
    column("agency", String),
    column("agency_code", String),
    column("postal_submission", Boolean),
    column("postal_return", Boolean),
    column("reason", Text),
    column("legal_basis", Text),
    column("note", Text),
    column("source_row", Integer),
)

ALL = (JOB_RUN, LEASE, SYNC_CURSOR, LEG, EVENT, OUTBOX, QUARANTINE, LIST_VERSION, LIST_ENTRY)
