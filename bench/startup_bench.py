"""Benchmark how fast the ``postlink`` command starts, beside ``import sqlalchemy``.

Issue 15: ``postlink --help`` took 1.7 s and ``postlink status --json``, which a monitoring
check runs every minute, as long, because every command imported the web app, Alembic,
WeasyPrint and the rest. Goals: ``--help`` ≤ 0.3 s, ``status --json`` ≤ 0.5 s and
``catalog resolve CODE`` ≤ 0.5 s. Each is timed as a fresh process (what a user and cron
pay), several times, beside the floor of ``python -c "import sqlalchemy"`` (the one library
every database command needs) and of a bare ``python -c pass``, measured in the same run so
that a loaded machine shows as a slower floor, not as a slower postlink. The CPU time of
each process (user + system) is printed too: on a machine shared with other work it moves
far less than the wall-clock time, which includes the wait for a free core.

    .venv/bin/python bench/startup_bench.py [--runs 7]

The database is a scratch SQLite file, migrated and holding the sample Cao Bằng lists (as
``postlink demo`` publishes them), so that ``status`` and ``resolve`` read real tables. Peak
memory (max RSS) is printed too.

Measured on 3 December 2026, on the 2-core machine shared with other work (load average 6
to 15), 9 runs each in three runs, medians as multiples of ``import sqlalchemy`` measured in
the same run (wall-clock, then CPU time, which the load moves less):

=====================================  ======================  ===========================
command                                before (status 4.6 s)   after (status 0.71–2.9 s)
=====================================  ======================  ===========================
``postlink --help``                    0.5×                    0.4–1.0× (CPU 0.5–0.8×)
``postlink status --json``             4.2×                    1.5–3.9× (CPU 1.7–2.0×)
``postlink catalog resolve … --json``  5.8×                    1.5–2.8× (CPU 1.6–1.8×)
=====================================  ======================  ===========================

``status`` and ``resolve`` now read through SQLAlchemy Core (``postlink.tables``): no ORM,
no models, no SQLAlchemy in ``settings``. On a quiet machine (load 0.03, 3 December 2026
18:26 UTC, 7 runs each) the medians are ``--help`` 0.146 s, ``status --json`` 0.421 s and
``catalog resolve`` 0.417 s beside ``import sqlalchemy`` at 0.206 s: all three goals met.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from postlink import migrate
from postlink.db import make_engine
from postlink.demo import publish_samples

GOALS = {"--help": 0.3, "status --json": 0.5, "catalog resolve 1.000894 --json": 0.5}


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: list[float]
    cpu_seconds: list[float]
    max_rss_mb: float

    def line(self, goal: float | None) -> str:
        best, median = min(self.seconds), statistics.median(self.seconds)
        verdict = ""
        if goal is not None:
            verdict = f"goal ≤ {goal:.1f} s: {'met' if median <= goal else 'MISSED'}"
        return (
            f"{self.label:42} min {best:6.3f} s  median {median:6.3f} s  "
            f"CPU {statistics.median(self.cpu_seconds):6.3f} s  "
            f"max RSS {self.max_rss_mb:5.0f} MB  {verdict}"
        )


def _children_cpu() -> float:
    """User + system seconds of the waited-for child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: Runs a command and prints its peak memory. A child forked from this bench would start
#: with the bench's own memory counted, so a bare interpreter does the forking.
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _time(label: str, argv: list[str], runs: int, env: dict[str, str]) -> Timing:
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    for _ in range(runs):
        cpu, started = _children_cpu(), time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(_children_cpu() - cpu)
        if done.returncode not in (0, 1, 2):  # status exits 1 degraded, 2 stale: still timed
            raise SystemExit(f"{label} failed: {done.stderr.decode()[-500:]}")
    peak = subprocess.run(
        [sys.executable, "-c", _PEAK, *argv], env=env, capture_output=True, check=True
    )
    return Timing(label, seconds, cpu_seconds, int(peak.stdout) / 1024)  # KiB on Linux


def _scratch_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'startup.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    publish_samples(engine)
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="Processes per figure.")
    args = parser.parse_args()
    postlink = str(Path(sys.executable).with_name("postlink"))
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "POSTLINK_DATABASE_URL": _scratch_database(Path(folder))}
        env.pop("POSTLINK_ENV_FILE", None)
        floors = [
            _time('python -c "pass"', [sys.executable, "-c", "pass"], args.runs, env),
            _time(
                'python -c "import sqlalchemy"',
                [sys.executable, "-c", "import sqlalchemy"],
                args.runs,
                env,
            ),
        ]
        commands = [
            _time(f"postlink {command}", [postlink, *command.split()], args.runs, env)
            for command in GOALS
        ]
    print(f"postlink start-up, {args.runs} runs each (floor measured in the same run)")
    for timing in floors:
        print(timing.line(None))
    sqlalchemy = floors[1]
    for timing, goal in zip(commands, GOALS.values(), strict=True):
        ratio = statistics.median(timing.seconds) / statistics.median(sqlalchemy.seconds)
        cpu = statistics.median(timing.cpu_seconds) / statistics.median(sqlalchemy.cpu_seconds)
        print(f"{timing.line(goal)}  ({ratio:.1f}× import sqlalchemy, CPU {cpu:.1f}×)")


if __name__ == "__main__":
    main()
