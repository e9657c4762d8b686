"""Two workers on one PostgreSQL: job bodies never overlap, nothing is sent twice, and when
the lease holder dies the other worker takes over as soon as the lease lapses.

Both are real ``postlink worker`` processes with their own instance names, sharing only the
database and the sandbox. Every run is recorded (``JobRun``: job, instance, start, end), so
the test asserts on what happened rather than on timing luck.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink.models import JobRun, Lease, SyncCursor
from postlink.settings import get_settings
from postlink.timeutil import utcnow
from tests.conftest import CliResult
from tests.sync.daemons import (
    Daemons,
    Worker,
    caught_up,
    finished_runs,
    wait_for,
    write_registrations,
)
from tests.sync.truth import assert_equals_truth

ORDERS = 2_000
DAYS = 30
LEASE_TTL = 3
INTERVAL = 1
#: Time the survivor's scheduler and a loaded CI machine may add to TTL + interval.
SLACK = timedelta(seconds=2)
REGISTRATIONS = 20

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


def _register(cli: Callable[..., CliResult], folder: Path) -> set[str]:
    """Outbox commands for both workers to compete over; returns their references."""
    rows = (
        [
            *("return", f"000.00.21.H14-261130-{n:04d}", "1.001193", "Đăng ký khai sinh"),
            *("Bế Thị Lan", "0912000111", f"Tổ {n} xã Hòa An", "01654"),
        ]
        for n in range(1, REGISTRATIONS + 1)
    )
    path = write_registrations(folder, rows)
    result = cli("outbox", "import", str(path), "--json")
    assert result.code == 0, result.stderr
    return {command["reference"] for command in json.loads(result.stdout)}


def _holding_mid_backfill(engine: Engine) -> str | None:
    """The pull lease's holder, once it has committed a page of the backfill."""
    with Session(engine) as session:
        lease = session.get(Lease, "pull")
        page = session.exec(select(SyncCursor)).first()
    return lease.holder if lease is not None and page is not None else None


def _takeover(engine: Engine, instance: str, after: datetime) -> datetime | None:
    with Session(engine) as session:
        started: datetime | None = session.exec(
            select(func.min(JobRun.started_at)).where(
                JobRun.instance == instance, JobRun.job == "pull", JobRun.started_at > after
            )
        ).one()
    return started


def _overlaps(engine: Engine, killed: Worker, killed_at: datetime) -> list[str]:
    """Pairs of runs of one job whose [start, end) intersect; a run the kill cut short
    ends at the kill."""
    with Session(engine) as session:
        runs = session.exec(select(JobRun).order_by(col(JobRun.started_at))).all()
    spans: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for run in runs:
        end = run.finished_at
        if end is None:
            assert run.instance == killed.instance, f"unfinished run {run}"
            end = killed_at
        spans.setdefault(run.job, []).append((run.started_at, end, run.instance))
    found = []
    for job, ordered in spans.items():
        for (_, end, who), (start, _, other) in itertools.pairwise(ordered):
            if start < end:
                found.append(f"{job}: {who} until {end} and {other} from {start}")
    return found


def test_two_workers_share_the_jobs_and_take_over_a_dead_holder(
    engine: Engine,
    daemons: Daemons,
    published_list: int,
    cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = daemons.sandbox(orders=ORDERS, days=DAYS)
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox.url)
    get_settings.cache_clear()
    references = _register(cli, tmp_path)
    env = daemons.environment(
        sandbox.url,
        POSTLINK_PULL_INTERVAL=str(INTERVAL),
        POSTLINK_PUSH_INTERVAL=str(INTERVAL),
        POSTLINK_LEASE_TTL=str(LEASE_TTL),
        POSTLINK_POSTAL_FEED_LOOKBACK_DAYS=str(DAYS + 2),
        POSTLINK_POSTAL_FEED_PAGE_SIZE="50",
    )
    workers = {w.instance: w for w in (daemons.worker(env, "alpha"), daemons.worker(env, "beta"))}

    holder = wait_for(partial(_holding_mid_backfill, engine), 60, "a pull lease mid-backfill")
    killed = workers.pop(holder)
    [survivor] = workers.values()
    killed.kill()
    killed_at = utcnow()
    with Session(engine) as session:
        lease = session.get(Lease, "pull")
        assert lease is not None
        assert lease.holder == killed.instance
        lapses = lease.expires_at
    taken = wait_for(
        partial(_takeover, engine, survivor.instance, killed_at),
        LEASE_TTL + INTERVAL + 10,
        "the survivor to take the pull over",
        survivor,
    )
    assert lapses <= taken <= lapses + timedelta(seconds=INTERVAL) + SLACK, (lapses, taken)
    assert taken - killed_at <= timedelta(seconds=LEASE_TTL + INTERVAL) + SLACK

    wait_for(
        partial(caught_up, engine, survivor.instance, taken),
        60,
        "the catch-up",
        survivor,
        progress=partial(finished_runs, engine, survivor.instance),
    )
    survivor.stop()

    assert _overlaps(engine, killed, killed_at) == []
    with Session(engine) as session:
        cut_short = session.exec(
            select(JobRun)
            .where(JobRun.instance == killed.instance, JobRun.job == "pull")
            .order_by(col(JobRun.started_at).desc())
        ).first()
    assert cut_short is not None
    # The killed worker's last pull never ended: the survivor marked it abandoned, with the
    # time, as it took the lapsed lease over (issue 16).
    assert cut_short.outcome == "abandoned"
    assert cut_short.finished_at is not None
    assert lapses <= cut_short.finished_at <= taken, (lapses, cut_short.finished_at, taken)
    with Session(engine) as session:
        ran = set(session.exec(select(JobRun.instance).where(JobRun.job == "pull")).all())
    assert ran == {killed.instance, survivor.instance}
    assert Counter(sandbox.control.stats()["created"]) == Counter(dict.fromkeys(references, 1))
    assert_equals_truth(engine, sandbox.control.truth())
