"""The daemon's commands as province IT uses them: sync --once, status, outbox, rematch."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.models import AuditEntry, JobRun, Leg
from postlink.settings import get_settings
from postlink.timeutil import utcnow
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle

Cli = Callable[..., CliResult]


@pytest.fixture
def configured(
    engine: Engine,
    sandbox_factory: Callable[..., SandboxHandle],
    published_list: int,
    monkeypatch: pytest.MonkeyPatch,
) -> SandboxHandle:
    """A sandbox whose world ends today (the CLI's adapter reads the feed by the real date),
    and the environment pointing every command at it."""
    sandbox = sandbox_factory(start=date.today() - timedelta(days=15))
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox.url)
    monkeypatch.setenv("POSTLINK_POSTAL_RETRY_BUDGET", "5")
    get_settings.cache_clear()
    return sandbox


def test_sync_once_then_status_is_healthy(
    cli: Cli, engine: Engine, configured: SandboxHandle, tmp_path: Path
) -> None:
    result = cli("sync", "--once", "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["ran"] == {
        "pull": True,
        "push": True,
        "deadlines": True,
        "housekeeping": True,
        "reports": True,
    }
    with Session(engine) as session:
        assert session.exec(select(Leg)).first() is not None
        outcomes = {run.job: run.outcome for run in session.exec(select(JobRun))}
    assert outcomes == {
        "pull": "ok",
        "push": "ok",
        "deadlines": "ok",
        "housekeeping": "ok",
        "reports": "ok",
    }
    assert (tmp_path / "var" / "reports" / "index.html").exists()
    status = cli("status", "--json")
    report = json.loads(status.stdout)
    # The sandbox's world sends code 99, which no status table lists, on a few legs: that
    # is the one thing a person must look at, and only that makes the state "degraded".
    carrying = sum(
        any(str(e["code"]) == "99" for e in order["events"])
        for order in configured.control.truth()["orders"]
    )
    if carrying:
        assert (status.code, report["state"]) == (1, "degraded")
        assert [p["code"] for p in report["problems"]] == ["unknown_status_codes"]
        assert report["unknown_status_codes"][0]["legs"] == carrying
    else:
        assert (status.code, report["state"]) == (0, "healthy")
    assert report["feed_lag_seconds"] is not None


def test_status_is_unhealthy_when_a_job_has_not_succeeded(cli: Cli, engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(
            JobRun(
                job="pull",
                instance="x",
                started_at=utcnow() - timedelta(hours=3),
                finished_at=utcnow() - timedelta(hours=3),
                outcome="ok",
            )
        )
    result = cli("status", "--json")
    assert result.code == 2  # stale: a job has not succeeded within twice its interval
    assert json.loads(result.stdout)["state"] == "stale"
    jobs = {j["job"]: j for j in json.loads(result.stdout)["jobs"]}
    assert jobs["pull"]["healthy"] is False


def test_outbox_add_refuses_an_excluded_procedure(cli: Cli, configured: SandboxHandle) -> None:
    result = cli(
        "outbox",
        "add",
        "--leg",
        "return",
        "--dossier",
        "000.00.12.H14-260119-0042",
        "--procedure",
        "2.000884",
        "--name",
        "Bế Thị Lan",
        "--address",
        "Hòa An",
        "--json",
    )
    assert result.code == 3, result.stderr  # a refusal is a failure (README: exit codes)
    [command] = json.loads(result.stdout)
    assert command["state"] == "refused"
    assert "23/2015" in command["refusal_reason"]
    assert result.stderr.startswith("bị từ chối: 000.00.12.H14-260119-0042-R1: ")


def test_outbox_list_keeps_each_reference_whole_in_80_columns(
    cli: Cli, configured: SandboxHandle
) -> None:
    """Dossier codes of one office share their first 21 characters: cut, they all read
    ``000.00.21.H…`` and no row can be told from another (issue 16)."""
    references = []
    for number in range(1, 4):
        dossier = f"000.00.21.H14-260119-{number:04d}"
        result = cli(
            "outbox",
            "add",
            "--leg",
            "return",
            "--dossier",
            dossier,
            "--procedure",
            "1.001193",
            "--name",
            "Hoàng Văn Tú",
            "--address",
            "Số 5, phường Sông Hiến, Cao Bằng",
        )
        assert result.code == 0, result.stderr
        references.append(f"{dossier}-R1")
    listed = cli("outbox", "list")
    assert listed.code == 0
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80
    for reference in references:
        assert reference in listed.stdout


def test_rematch_is_audited(cli: Cli, engine: Engine, configured: SandboxHandle) -> None:
    assert cli("sync", "--once").code == 0
    result = cli("rematch", "--reason", "back-dated correction", "--actor", "admin", "--json")
    assert result.code == 0, result.stderr
    changes = json.loads(result.stdout)
    with Session(engine) as session:
        legs = len(session.exec(select(Leg)).all())
        row = session.exec(select(AuditEntry).where(AuditEntry.action == "rematch")).one()
    assert changes["legs"] == legs
    assert changes.get("changed", 0) == 0  # nothing was published since: nothing moves
    assert row.actor == "admin"
    assert row.reason == "back-dated correction"
