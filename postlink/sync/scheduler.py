"""``postlink worker``: the APScheduler loop that runs the sync jobs on their intervals.

One ``BlockingScheduler`` per process, in the configured time zone. Each job coalesces
missed runs into one, never overlaps itself (``max_instances=1``) and tolerates a late
start (a generous misfire grace time), because a province server may pause or sleep. Across
processes the job leases do the same (``sync.jobs.run_job``). On SIGTERM or SIGINT the
scheduler stops taking new runs and the running job stops after its current page.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from datetime import datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from postlink import defaults
from postlink.errors import PostlinkError
from postlink.legs.apply import SyncContext
from postlink.settings import Settings
from postlink.sync.jobs import Job, run_job, stop_requested
from postlink.words import log_line

log = logging.getLogger("postlink.worker")


def _guarded(job: Job, ctx: SyncContext, settings: Settings) -> None:
    """A failed run is recorded and logged; the scheduler keeps going for the next one."""
    try:
        run_job(job, ctx, settings)
    except PostlinkError as exc:  # the post is down, a setting is wrong: one line is enough
        log.error(log_line("log.job.failed", job=job.name, error=exc))
    except Exception:
        log.exception(log_line("log.job.failed", job=job.name))


def build_scheduler(ctx: SyncContext, settings: Settings, jobs: Sequence[Job]) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=settings.tz,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": defaults.MISFIRE_GRACE,
        },
    )
    for job in jobs:
        scheduler.add_job(
            _guarded,
            "interval",
            seconds=job.interval(settings),
            args=(job, ctx, settings),
            id=job.name,
            name=job.name,
            next_run_time=datetime.now(settings.tz),
        )
    return scheduler


def run_worker(
    ctx: SyncContext, settings: Settings, jobs: Sequence[Job], duration: float = 0
) -> None:
    """Run ``jobs`` (``postlink.worker.JOBS``) until SIGTERM/SIGINT (or ``duration`` seconds,
    if given), then let the current job commit its page and stop."""
    scheduler = build_scheduler(ctx, settings, jobs)
    stop_requested.clear()

    def _signal(signum: int, _frame: FrameType | None) -> None:
        log.info(log_line("log.worker.signal", signal=signal.Signals(signum).name))
        stop_requested.set()

    def _stop_when_asked() -> None:
        stop_requested.wait(duration or None)
        stop_requested.set()
        scheduler.shutdown(wait=True)  # returns once the running job has committed and left

    signal.signal(signal.SIGTERM, _signal)
    signal.signal(signal.SIGINT, _signal)
    threading.Thread(target=_stop_when_asked, name="worker-stop", daemon=True).start()
    log.info(log_line("log.worker.starting", jobs=",".join(j.name for j in jobs)))
    try:
        scheduler.start()
    finally:
        stop_requested.clear()  # the process may go on (tests, the demo) and run jobs again
    log.info(log_line("log.worker.stopped"))
