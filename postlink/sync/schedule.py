"""The daemon's jobs by name and the setting that says how often each runs.

A table apart from ``sync/jobs.py`` because ``postlink status``, which a monitoring check
runs every minute, needs only the names and intervals to judge each job stale or not;
importing the job bodies pulled in the HTTP client and the whole sync stack, about half of
its start-up (issue 15 §2: ``status --json`` ≤ 0.5 s).
"""

from __future__ import annotations

from dataclasses import dataclass

from postlink.settings import Settings


@dataclass(frozen=True)
class Scheduled:
    """One job of the daemon and the ``Settings`` field holding its interval in seconds."""

    name: str
    setting: str

    def interval(self, settings: Settings) -> int:
        return int(getattr(settings, self.setting))


SCHEDULE: tuple[Scheduled, ...] = (
    Scheduled("pull", "pull_interval"),
    Scheduled("push", "push_interval"),
    Scheduled("deadlines", "deadlines_interval"),
    Scheduled("housekeeping", "housekeeping_interval"),
    Scheduled("reports", "reports_interval"),
)
