"""The exchange log in the database: every postal request and response, redacted, kept for a
retention period (postal brief §4; ``POSTLINK_EXCHANGE_LOG_RETENTION_DAYS``).

Each record is written in a short transaction of its own, apart from the sync's unit of work,
so that the log shows what crossed the wire even when the page it belonged to is rolled back.
Inside ``batched()`` (a sync page's tracking calls) records wait in memory and are written
together when the batch ends or ``FLUSH_ROWS`` are waiting: one transaction per call had the
history threads spend a quarter of their time competing with the page's transaction for
SQLite's single writer (issue 15 §3). The pull goes further: it keeps one batch open for
its whole pass and writes what waits between its page transactions (``flush_waiting``),
never beside one, as a flush from a history thread waited up to half a second on SQLite's
lock while the page's write waited on it. A process killed meanwhile loses at most that
unwritten tail, never a row already written; what is kept is redacted before it gets here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlmodel import select

from postlink.db import get_engine, session_scope
from postlink.models import Exchange
from postlink.postal.http import ExchangeRecord
from postlink.timeutil import utcnow
from postlink.words import log_line

log = logging.getLogger("postlink.postal")
EXCHANGES = Exchange.__table__  # type: ignore[attr-defined]
#: The columns an ``ExchangeRecord`` fills, read attribute by attribute: ``asdict`` copies
#: each value through ``deepcopy`` and took 25 times as long, once per tracking call.
RECORD_FIELDS = tuple(f.name for f in fields(ExchangeRecord))
#: Records a batch keeps waiting at most before writing them: above the two feed pages of
#: tracking calls (500 each) the pull makes between two of its ``flush_waiting``.
FLUSH_ROWS = 1_500
_batches = 0
_batches_lock = threading.Lock()
_waiting: set[DatabaseRecorder] = set()


class DatabaseRecorder:
    """A recorder writing ``Exchange`` rows; a failed write is logged, never raised, because
    losing one diagnostic row must not stop the exchange it describes.

    A Core insert rather than an ORM object: a backfill logs one row per tracking call, and
    building and flushing a model per row cost a third of the call on the client's side."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._rows: list[dict[str, Any]] = []

    def __call__(self, record: ExchangeRecord) -> None:
        row = {name: getattr(record, name) for name in RECORD_FIELDS}
        row["at"] = utcnow()
        with _batches_lock:
            if _batches:
                _waiting.add(self)
        with self._lock:
            self._rows.append(row)
            full = self not in _waiting or len(self._rows) >= FLUSH_ROWS
        if full:
            self.flush()

    def flush(self) -> None:
        """Write the records waiting, in one transaction (one executemany)."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return
        try:
            with (self.engine or get_engine()).begin() as connection:
                connection.execute(insert(EXCHANGES), rows)
        except Exception:
            operations = ",".join(sorted({str(row["operation"]) for row in rows}))
            log.exception(log_line("log.postal.log_failed", rows=len(rows), operations=operations))


@contextmanager
def batched() -> Iterator[None]:
    """Keep exchange records in memory while the block runs (from any thread) and write
    them in bulk (see the module docstring); nested and concurrent batches share one wait,
    written when the last of them ends."""
    global _batches
    with _batches_lock:
        _batches += 1
    try:
        yield
    finally:
        with _batches_lock:
            _batches -= 1
            done = list(_waiting) if _batches == 0 else []
            if _batches == 0:
                _waiting.clear()
        for recorder in done:
            recorder.flush()


def flush_waiting() -> None:
    """Write the records the open batches hold now, from the calling thread."""
    with _batches_lock:
        waiting = list(_waiting)
    for recorder in waiting:
        recorder.flush()


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
