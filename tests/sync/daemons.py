"""The real programs as subprocesses: ``postlink sandbox`` and ``postlink worker``.

The chaos and two-worker tests need what an in-process test cannot give: a process that
dies by SIGKILL with no chance to clean up, and two schedulers that share nothing but the
database and the post. Every process started here is killed when the test ends, pass or
fail, before the ``engine`` fixture empties the database.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink.models import JobRun, OutboxCommand, OutboxState
from postlink.postal.sandbox.control import SandboxControl
from postlink.sync.registrations import COLUMNS
from tests.conftest import Database

T = TypeVar("T")

#: Client settings that keep a faulty run quick: a stalled answer is given up after the
#: read timeout, and a call is abandoned (the job fails and runs again) after the budget.
FAST_CLIENT = {
    "POSTLINK_POSTAL_CONNECT_TIMEOUT": "2",
    "POSTLINK_POSTAL_READ_TIMEOUT": "0.5",
    "POSTLINK_POSTAL_RETRY_BUDGET": "6",
    "POSTLINK_LOG_LEVEL": "INFO",
}
#: Seconds ``postlink sandbox`` may take to start: ample, since only a hang should fail.
SANDBOX_START = 120
#: Seconds between two looks at the database while waiting for something to happen.
POLL_SECONDS = 0.1
#: Fault durations to set with the rates: stalls outlast the read timeout above.
FAST_FAULTS = {"latency_seconds": 0.02, "retry_after_seconds": 0.1, "timeout_seconds": 1.0}


#: With a ``progress`` to watch, how many times its stall limit a wait may last in all.
PROGRESSING_WAITS = 10


def wait_for(
    condition: Callable[[], T],
    timeout: float,
    what: str,
    worker: Worker | None = None,
    progress: Callable[[], object] | None = None,
) -> T:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds
    naming ``what`` (with the end of ``worker``'s log, which says why).

    With ``progress`` (a value that changes while the work goes on, such as the count of
    runs a worker finished), ``timeout`` counts from its last change instead, up to
    ``PROGRESSING_WAITS`` times ``timeout`` in all: a machine loaded by other work makes a
    catch-up slower, not stuck, and only a stalled one should fail (issue 15 §5)."""
    started = time.monotonic()
    deadline = started + timeout
    seen = progress() if progress else None
    while True:
        value = condition()
        if value:
            return value
        now = time.monotonic()
        if progress is not None and (moved := progress()) != seen:
            seen, deadline = moved, min(now + timeout, started + PROGRESSING_WAITS * timeout)
        exited = worker is not None and worker.process.poll() is not None
        if exited or now > deadline:
            stalled = "without progress for" if progress else "after"
            why = "the worker exited" if exited else f"timed out {stalled} {timeout:g} s"
            log = f"\n{worker.instance}'s log:\n{worker.log_tail()}" if worker else ""
            raise AssertionError(f"{why} waiting for {what}{log}")
        time.sleep(POLL_SECONDS)


def finished_runs(engine: Engine, instance: str) -> int:
    """How many job runs ``instance`` has finished: it moves while a worker does its work."""
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(JobRun)
            .where(JobRun.instance == instance, col(JobRun.finished_at).is_not(None))
        ).one()


def write_registrations(folder: Path, rows: Iterable[Sequence[str]]) -> Path:
    """A registrations CSV as the one-stop system exports it, in the importer's columns."""
    path = folder / "registrations.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def caught_up(engine: Engine, instance: str, since: datetime) -> bool:
    """No command waits, and two pulls succeeded after the last one was sent: the second
    read a whole pass of the feed after the world last changed."""
    with Session(engine) as session:
        pending = session.exec(
            select(func.count())
            .select_from(OutboxCommand)
            .where(OutboxCommand.state == OutboxState.PENDING)
        ).one()
        last_sent = session.exec(select(func.max(OutboxCommand.updated_at))).one()
        clean = session.exec(
            select(func.count())
            .select_from(JobRun)
            .where(
                JobRun.instance == instance,
                JobRun.job == "pull",
                JobRun.outcome == "ok",
                col(JobRun.started_at) > max(since, last_sent or since),
            )
        ).one()
    return pending == 0 and clean >= 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    url: str
    control: SandboxControl


@dataclass
class Worker:
    """A ``postlink worker`` process, its instance name and its log file."""

    process: subprocess.Popen[bytes]
    instance: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no signal handler, no ``finally``, no committed page of its own."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as systemd stops it: the worker ends its current page and exits 0."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        assert code == 0, f"{self.instance} exited {code} on SIGTERM:\n{self.log_tail()}"

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Daemons:
    """Starts sandboxes and workers for one test and stops them all afterwards."""

    folder: Path
    database_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def sandbox(self, *, orders: int, days: int, seed: int = 1) -> SandboxProcess:
        """A world of ``orders`` over ``days`` ending today (the clock frozen there, as the
        worker reads the feed by the real date); faults off until the test sets them."""
        command = [sys.executable, "-m", "postlink", "sandbox", "--port", "0"]
        command += ["--orders", str(orders), "--days", str(days), "--seed", str(seed), "--frozen"]
        log = self.folder / f"sandbox-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, env=_clean_environment()
            )
        self.processes.append(process)
        # It binds a free port and then names its URL: wait for that line, however long a
        # loaded machine takes to build the world, rather than probe a port chosen earlier.
        url = wait_for(partial(_bound_url, process, log), SANDBOX_START, "the sandbox's URL")
        return SandboxProcess(process, url, SandboxControl(url))

    def environment(self, sandbox_url: str, **settings: str) -> dict[str, str]:
        """The worker's environment: this test's database and sandbox, quick timeouts."""
        return {
            **_clean_environment(),
            **FAST_CLIENT,
            "POSTLINK_ENV_FILE": str(self.folder / "absent.env"),
            "POSTLINK_DATA_DIR": str(self.folder / "var"),
            "POSTLINK_DATABASE_URL": self.database_url,
            "POSTLINK_POSTAL_BASE_URL": sandbox_url,
            **settings,
        }

    def worker(self, environment: dict[str, str], instance: str) -> Worker:
        log = self.folder / f"worker-{instance}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "postlink", "worker"],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**environment, "POSTLINK_WORKER_INSTANCE": instance},
            )
        self.processes.append(process)
        return Worker(process, instance, log)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def _bound_url(process: subprocess.Popen[bytes], log: Path) -> str | None:
    """The URL ``postlink sandbox`` printed once its port was bound, if it has yet."""
    said = log.read_text(errors="replace")
    bound = re.search(r"POSTLINK_POSTAL_BASE_URL=(http://[\d.]+:\d+)", said)
    if bound is None and process.poll() is not None:
        raise AssertionError(f"the sandbox exited {process.returncode}:\n{said}")
    return bound.group(1) if bound else None


@pytest.fixture
def daemons(engine: Engine, database: Database, tmp_path: Path) -> Iterator[Daemons]:
    """Subprocess helpers on this test's database; everything is stopped at the end (before
    ``engine`` empties the database)."""
    started = Daemons(tmp_path, database.url)
    yield started
    started.stop_all()
