"""Database engine and sessions for SQLite (embedded default) and PostgreSQL (production).

SQLite is tuned for a daemon and a CLI sharing one file: WAL so readers never block the
writer, foreign keys on (SQLite leaves them off by default), and a busy timeout so a short
lock wait is not an error. PostgreSQL connections are pinged before use because a province
server's database may restart under a long-running worker.

A database error ends up in a log line, a traceback, a job run's stored error or the
command line's one-line message, none of which may show a citizen's name, phone or address
(Law 91/2025/QH15 on personal data protection; issue 13 §5). So every engine is made with
``hide_parameters`` (SQLAlchemy then never prints a statement's values), and the DETAIL
that PostgreSQL appends to a constraint error, which quotes the failing row or key
(``Failing row contains (…, Nguyễn Thị …, 0912…)``), is cut from the driver's message and
SQLAlchemy's before either is raised. The error's first line still names the constraint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url

from postlink import defaults
from postlink.settings import get_settings

if TYPE_CHECKING:
    from sqlmodel import Session


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={defaults.SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


#: PostgreSQL's DETAIL (and any HINT or CONTEXT after it) in an error message.
_DETAIL = re.compile(r"\nDETAIL:.*", re.DOTALL)
_HIDDEN_DETAIL = "\nDETAIL: (hidden: it may quote a row's personal data)"


def _without_row_values(message: str) -> str:
    """``message`` without PostgreSQL's DETAIL, which quotes the failing row's values."""
    return _DETAIL.sub(_HIDDEN_DETAIL, message, count=1)


def _hide_row_values(context: ExceptionContext) -> None:
    """Cut the DETAIL from the driver's exception and from SQLAlchemy's, which copied it:
    a traceback prints both (one is the other's cause)."""
    for error in (context.original_exception, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (_without_row_values(error.args[0]), *error.args[1:])


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the per-backend settings described above."""
    kwargs = {"hide_parameters": True, **kwargs}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:  # one connection per thread (SingletonThreadPool): nothing to size
            kwargs = {k: v for k, v in kwargs.items() if k not in ("pool_size", "max_overflow")}
        engine = create_engine(
            url,
            connect_args={"timeout": defaults.SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        event.listen(engine, "connect", _tune_sqlite)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "handle_error", _hide_row_values)
    return engine


@cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    settings = get_settings()
    return make_engine(
        settings.effective_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=defaults.DATABASE_POOL_OVERFLOW,
    )


def serialize(session: Session, key: int) -> None:
    """Hold ``key`` until the transaction ends, so that transactions taking it run one at a
    time: a PostgreSQL transaction-scoped advisory lock. SQLite allows one writer at a time,
    so there a transaction that writes before it reads cannot interleave with another."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    SQLModel is imported here, by the commands that use sessions: those that read through
    SQLAlchemy Core alone (``postlink status``) start without it (issue 15 §2)."""
    from sqlmodel import Session

    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
