"""The daemon's whole set of jobs: the sync's jobs and rendering the daily reports.

Composed here, above both packages, because ``sync/`` schedules and does I/O while
``reports/`` only reads and renders: neither imports the other (issue 13 §1, kept by
``tests/test_layers.py``), yet the daemon runs both on one schedule, each job under its own
lease and recorded run. ``postlink worker``, ``postlink sync --once`` and ``postlink demo``
take their jobs from here.
"""

from __future__ import annotations

from collections import Counter

from postlink.legs.apply import SyncContext
from postlink.reports.daily import render_daily
from postlink.settings import Settings
from postlink.sync import leases
from postlink.sync.jobs import Job, compose
from postlink.timeutil import local_date, utcnow


def _reports(
    ctx: SyncContext, settings: Settings, counts: Counter[str], _: leases.HeldLease
) -> None:
    """The daily set staff open each morning (issue 6), rendered by date into the report folder."""
    render_daily(ctx.engine, settings, local_date(utcnow(), ctx.tz))
    counts["rendered"] = 1


JOBS: tuple[Job, ...] = compose({"reports": _reports})
