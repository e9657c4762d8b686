"""Login throttling: after five wrong passwords within a minute, the next attempt is refused.

Counted per user name and per client address, so that guessing one account's password and
spraying one password over many accounts are both slowed. While throttled, even a correct
password is refused: otherwise the answer would still tell a guesser when they were right.

Attempts are rows of ``login_attempt``, so every ``postlink serve`` worker process counts the
same ones, and each is counted (one at a time, under a lock) *before* its password is
checked: concurrent guesses, even spread over processes, each see those before them, so no
more than five passwords per key are checked in a window. A refused attempt is not kept, so
a person who retries now and then gets in once the window has passed; a successful one is
removed with the user's failures, so that staff behind one office address do not throttle
each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete
from sqlmodel import col, or_, select

from postlink.db import serialize, session_scope
from postlink.models import LoginAttempt
from postlink.timeutil import utcnow

#: Wrong passwords allowed within ``WINDOW``; the next attempt is refused (issue 7).
MAX_FAILURES = 5
WINDOW = timedelta(seconds=60)
#: Key of the PostgreSQL advisory lock that makes attempts count one at a time.
_THROTTLE_LOCK = 0x706C_6C74  # "pllt"


@dataclass(frozen=True)
class Attempt:
    """An attempt counted against its keys: ``wait`` seconds to wait first, 0 to go ahead."""

    ids: tuple[int, ...]
    wait: int


class LoginThrottle:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def attempt(self, *keys: str) -> Attempt:
        """Count an attempt for each key, unless a key already had ``MAX_FAILURES`` within
        the window: then nothing is counted and ``wait`` says for how long."""
        now = self.clock()
        with session_scope(self.engine) as session:
            serialize(session, _THROTTLE_LOCK)
            # Written first: on SQLite this takes the one writer's lock before the count.
            session.execute(delete(LoginAttempt).where(col(LoginAttempt.at) < now - WINDOW))
            wait = 0.0
            for key in keys:
                recent = session.exec(
                    select(LoginAttempt.at)
                    .where(col(LoginAttempt.key) == key, col(LoginAttempt.at) >= now - WINDOW)
                    .order_by(col(LoginAttempt.at).desc())
                    .limit(MAX_FAILURES)
                ).all()
                if len(recent) == MAX_FAILURES:
                    wait = max(wait, (recent[-1] + WINDOW - now).total_seconds())
            if wait > 0:
                return Attempt((), max(1, math.ceil(wait)))
            rows = [LoginAttempt(key=key, at=now) for key in keys]
            session.add_all(rows)
            session.flush()
            return Attempt(tuple(row.id for row in rows if row.id is not None), 0)

    def succeeded(self, attempt: Attempt, user_key: str) -> None:
        """The password was right: the attempt and the user's failures no longer count."""
        with session_scope(self.engine) as session:
            session.execute(
                delete(LoginAttempt).where(
                    or_(col(LoginAttempt.id).in_(attempt.ids), col(LoginAttempt.key) == user_key)
                )
            )
