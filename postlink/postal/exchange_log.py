"""The exchange log in the database: every postal request and response, redacted, kept for a
retention period (postal brief §4; ``POSTLINK_EXCHANGE_LOG_RETENTION_DAYS``).

Each record is written in its own short transaction, apart from the sync's unit of work, so
that the log shows what crossed the wire even when the page it belonged to is rolled back.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import Engine, delete, insert
from sqlmodel import select

from postlink.db import get_engine, session_scope
from postlink.models import Exchange
from postlink.postal.http import ExchangeRecord
from postlink.timeutil import utcnow

log = logging.getLogger("postlink.postal")
EXCHANGES = Exchange.__table__  # type: ignore[attr-defined]


class DatabaseRecorder:
    """A recorder writing ``Exchange`` rows; a failed write is logged, never raised, because
    losing one diagnostic row must not stop the exchange it describes.

    A Core insert rather than an ORM object: a backfill logs one row per tracking call, and
    building and flushing a model per row cost a third of the call on the client's side."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine

    def __call__(self, record: ExchangeRecord) -> None:
        try:
            with (self.engine or get_engine()).begin() as connection:
                connection.execute(insert(EXCHANGES), {**asdict(record), "at": utcnow()})
        except Exception:
            log.exception("could not write the exchange log row of %s", record.operation)


def recent(limit: int = 50, engine: Engine | None = None) -> list[Exchange]:
    """The newest ``limit`` exchanges, newest first."""
    with session_scope(engine) as session:
        query = select(Exchange).order_by(Exchange.at.desc(), Exchange.id.desc())  # type: ignore[attr-defined,union-attr]
        return list(session.exec(query.limit(limit)).all())


def purge(older_than: timedelta, engine: Engine | None = None) -> int:
    """Delete exchanges older than ``older_than``; returns how many rows went."""
    cutoff = utcnow() - older_than
    with session_scope(engine) as session:
        result = session.exec(delete(Exchange).where(Exchange.at < cutoff))  # type: ignore[arg-type]
        return int(result.rowcount)
