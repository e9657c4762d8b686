"""The daemon's jobs and how each one runs: under a lease, recorded, stoppable.

Every job body runs inside ``run_job``: it takes the job's lease (so that one worker at a
time runs it, however many are started), records the run with its counts and outcome, and
sees the worker's stop flag so that SIGTERM ends it after the current page is committed.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine

from postlink.catalog.resolve import Resolver
from postlink.db import get_engine, session_scope
from postlink.legs.apply import SyncContext
from postlink.legs.deadlines import load_policy
from postlink.postal import exchange_log
from postlink.postal.adapter import get_adapter
from postlink.settings import Settings
from postlink.sync import leases, runs
from postlink.sync.outbox import push
from postlink.sync.overdue import flag_overdue
from postlink.sync.pull import pull
from postlink.sync.schedule import SCHEDULE
from postlink.timeutil import local_date, utcnow

#: Set by the worker on SIGTERM/SIGINT; job bodies stop at their next safe point.
stop_requested = threading.Event()


def instance_name(settings: Settings) -> str:
    return settings.worker_instance or f"{socket.gethostname()}:{os.getpid()}"


def build_context(settings: Settings, engine: Engine | None = None) -> SyncContext:
    engine = engine or get_engine()
    return SyncContext(
        engine=engine,
        adapter=get_adapter(settings, exchange_log.DatabaseRecorder(engine), stop=stop_requested),
        resolver=Resolver(engine),
        policy=load_policy(settings.deadlines_file),
        tz=settings.tz,
    )


Body = Callable[[SyncContext, Settings, Counter[str], "leases.HeldLease"], None]


@dataclass(frozen=True)
class Job:
    name: str
    interval: Callable[[Settings], int]
    body: Body


def _pull(
    ctx: SyncContext, settings: Settings, counts: Counter[str], lease: leases.HeldLease
) -> None:
    pull(ctx, counts, lease, stop_requested)


def _push(ctx: SyncContext, settings: Settings, counts: Counter[str], _: leases.HeldLease) -> None:
    push(ctx, settings, counts, stop=stop_requested)


def _deadlines(ctx: SyncContext, _s: Settings, counts: Counter[str], _: leases.HeldLease) -> None:
    with session_scope(ctx.engine) as session:
        counts.update(flag_overdue(session, ctx.policy, ctx.tz, local_date(utcnow(), ctx.tz)))


def _housekeeping(
    ctx: SyncContext, settings: Settings, counts: Counter[str], _: leases.HeldLease
) -> None:
    """Exchange-log retention (postal brief §4). Dossier data is never purged here: TT 17/2017
    art. 14 keeps records at least five years."""
    retention = timedelta(days=settings.exchange_log_retention_days)
    counts["exchanges_purged"] = exchange_log.purge(retention, ctx.engine)


_BODIES: dict[str, Body] = {
    "pull": _pull,
    "push": _push,
    "deadlines": _deadlines,
    "housekeeping": _housekeeping,
}


def compose(more: Mapping[str, Body]) -> tuple[Job, ...]:
    """The jobs in ``SCHEDULE``'s order, each with its interval from there (one table of
    names): the sync's own bodies plus ``more``, the jobs composed above ``sync/`` (the
    daily reports, ``postlink/worker.py``), since ``sync/`` never imports ``reports/``."""
    bodies = {**_BODIES, **more}
    return tuple(Job(s.name, s.interval, bodies[s.name]) for s in SCHEDULE)


def run_job(job: Job, ctx: SyncContext, settings: Settings) -> bool:
    """Run ``job`` once if its lease is free; False when another worker holds it or the
    worker is stopping."""
    if stop_requested.is_set():
        return False
    instance = instance_name(settings)
    ttl = timedelta(seconds=settings.lease_ttl)
    with leases.hold(ctx.engine, job.name, instance, ttl) as lease:
        if lease is None:
            return False
        runs.abandon_taken_over(ctx.engine, job.name)
        with runs.recorded(ctx.engine, job.name, instance) as counts:
            job.body(ctx, settings, counts, lease)
    return True
