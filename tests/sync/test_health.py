"""``postlink status`` tells the truth: stale, degraded (with reason and action), abandoned
runs, unknown carrier codes, and the re-fold once an admin maps them (issue 16)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, make_url
from sqlmodel import Session, col, select

from postlink import defaults
from postlink.db import get_engine, session_scope
from postlink.legs.apply import SyncContext, orders_needing_history
from postlink.models import AuditEntry, Event, JobRun, Lease, Leg, LegKind
from postlink.postal.myvnpost import mapping
from postlink.postal.statuses import read_status_table
from postlink.settings import get_settings
from postlink.sync import runs
from postlink.sync.jobs import run_job
from postlink.sync.pull import pull
from postlink.sync.refold import refold
from postlink.sync.status import unknown_codes
from postlink.timeutil import utcnow
from postlink.worker import JOBS
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext
from tests.sync.truth import assert_equals_truth

Cli = Callable[..., CliResult]


def _all_jobs_succeeded(engine: Engine, minutes_ago: float = 0.1) -> None:
    at = utcnow() - timedelta(minutes=minutes_ago)
    with session_scope(engine) as session:
        for job in JOBS:
            session.add(
                JobRun(job=job.name, instance="w1", started_at=at, finished_at=at, outcome="ok")
            )


def test_a_quiet_daemon_is_healthy_and_exits_0(cli: Cli, engine: Engine) -> None:
    _all_jobs_succeeded(engine)
    result = cli("status", "--json")
    report = json.loads(result.stdout)
    assert (result.code, report["state"], report["problems"]) == (0, "healthy", [])
    assert "Tình trạng: bình thường" in cli("status").stdout


def test_a_job_failing_run_after_run_is_degraded_with_its_error(cli: Cli, engine: Engine) -> None:
    _all_jobs_succeeded(engine, minutes_ago=0.2)
    with session_scope(engine) as session:
        for _ in range(3):
            session.add(
                JobRun(
                    job="push",
                    instance="w1",
                    finished_at=utcnow(),
                    outcome="error",
                    error="PostalUnavailable: 127.0.0.1:9 refused the connection",
                )
            )
    result = cli("status", "--json")
    report = json.loads(result.stdout)
    assert (result.code, report["state"]) == (1, "degraded")
    [problem] = report["problems"]
    assert problem["code"] == "job_failing:push"
    assert problem["count"] == 3
    assert problem["first_reason"] == "PostalUnavailable: 127.0.0.1:9 refused the connection"
    assert problem["action"].startswith("Công việc Gửi lệnh tạo đơn cho bưu điện lỗi 3 lần liền")


def _read_only(url: str) -> str:
    """The same database opened so that any write fails, as a monitoring user would."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    options = f"{parsed.query.get('options', '')} -cdefault_transaction_read_only=on"
    return parsed.update_query_dict({"options": options.strip()}).render_as_string(
        hide_password=False
    )


def test_status_reads_a_killed_workers_run_as_abandoned_without_writing(
    cli: Cli,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
) -> None:
    """What SIGKILL leaves: a run still "running" and the worker's lease, which lapses.
    ``status`` (a monitoring check, here on a read-only connection) shows it abandoned; the
    worker's housekeeping writes the mark, with the time it found the run dead."""
    started = utcnow() - timedelta(minutes=10)
    with session_scope(engine) as session:
        session.add(JobRun(job="pull", instance="host:41", started_at=started))
        session.add(
            Lease(name="pull", holder="host:41", expires_at=utcnow() - timedelta(minutes=8))
        )
        session.add(JobRun(job="push", instance="host:42", started_at=started))  # alive
        session.add(
            Lease(name="push", holder="host:42", expires_at=utcnow() + timedelta(minutes=1))
        )
    writable = os.environ["POSTLINK_DATABASE_URL"]
    monkeypatch.setenv("POSTLINK_DATABASE_URL", _read_only(writable))
    get_settings.cache_clear()
    get_engine.cache_clear()
    result = cli("status", "--json", "--runs", "5")
    assert result.code in (0, 1, 2), result.stderr
    report = json.loads(result.stdout)
    jobs = {j["job"]: j for j in report["jobs"]}
    assert jobs["pull"]["last_outcome"] == "abandoned"
    assert jobs["push"]["last_outcome"] == "running"
    history = {(r["job"], r["instance"]): r["outcome"] for r in report["history"]}
    assert history == {("pull", "host:41"): "abandoned", ("push", "host:42"): "running"}
    shown = cli("status", "--runs", "5").stdout
    assert "Lịch sử chạy" in shown
    assert "bị bỏ dở" in shown  # the abandoned run, as staff read it (value.outcome.abandoned)
    get_engine().dispose()
    monkeypatch.setenv("POSTLINK_DATABASE_URL", writable)
    get_settings.cache_clear()
    get_engine.cache_clear()
    with Session(engine) as session:
        dead = session.exec(select(JobRun).where(JobRun.job == "pull")).one()
    assert (dead.outcome, dead.finished_at) == ("running", None), "status wrote"

    before = utcnow()
    housekeeping = next(job for job in JOBS if job.name == "housekeeping")
    assert run_job(housekeeping, make_context(sandbox_server), get_settings())
    with Session(engine) as session:
        dead = session.exec(select(JobRun).where(JobRun.job == "pull")).one()
        alive = session.exec(select(JobRun).where(JobRun.job == "push")).one()
    assert dead.outcome == "abandoned"
    assert dead.finished_at is not None
    assert dead.finished_at >= before
    assert dead.error == runs.ABANDONED_NOTE
    assert alive.outcome == "running"


def test_taking_a_lapsed_lease_over_abandons_the_dead_run(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    with session_scope(engine) as session:
        session.add(JobRun(job="pull", instance="host:41", started_at=utcnow()))
        session.add(Lease(name="pull", holder="host:41", expires_at=utcnow()))
    assert run_job(JOBS[0], ctx, get_settings())
    with Session(engine) as session:
        outcomes = [
            (run.instance, run.outcome)
            for run in session.exec(select(JobRun).order_by(col(JobRun.id)))
        ]
    assert outcomes[0] == ("host:41", "abandoned")
    assert outcomes[1][1] == "ok"


@contextmanager
def _dossier_reads(engine: Engine) -> Iterator[list[str]]:
    """The statements that read the dossier table while the block runs."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if re.search(r"\bFROM dossier\b", statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _mapped_table(tmp_path: Path, code: str, under: str) -> Path:
    """The installed status table with ``code`` added, as an admin edits the file."""
    text = defaults.MYVNPOST_STATUS_FILE.read_text(encoding="utf-8")
    anchor = f'name = "{under}"\ncodes = {{ '
    assert anchor in text
    path = tmp_path / "myvnpost-status.toml"
    path.write_text(text.replace(anchor, f'{anchor}"{code}" = "Mã mới", '), encoding="utf-8")
    return path


def test_unknown_codes_are_shown_then_refolded_once_mapped(
    cli: Cli,
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    tmp_path: Path,
) -> None:
    """The sandbox's world sends code 99, which the table lacks, on some legs in transit."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    truth = sandbox_server.control.truth()
    carrying = {
        o["order_id"] for o in truth["orders"] if any(str(e["code"]) == "99" for e in o["events"])
    }
    assert carrying
    report = json.loads(cli("status", "--json").stdout)
    [seen] = report["unknown_status_codes"]
    assert (seen["code"], seen["legs"]) == ("99", len(carrying))
    labels = {e["label"] for o in truth["orders"] for e in o["events"] if str(e["code"]) == "99"}
    assert seen["label"] in labels
    assert seen["summary"] == (
        f"mã trạng thái chưa biết: 99 — {len(carrying)} bưu gửi"
        + (f" (nhãn của bưu điện: «{seen['label']}»)" if seen["label"] else "")
    )
    problem = next(p for p in report["problems"] if p["code"] == "unknown_status_codes")
    assert problem["first_reason"] == seen["summary"]

    table = read_status_table(_mapped_table(tmp_path, "99", "in_transit"))
    ctx.adapter.table = table
    mapped = SyncContext(ctx.engine, ctx.adapter, ctx.resolver, ctx.policy, ctx.tz)
    with session_scope(engine) as session, _dossier_reads(engine) as reads:
        summary = refold(session, mapped, actor="admin", reason="VNPost công bố mã 99")
    assert summary["codes"] == ["99"]
    assert summary["legs"] == len(carrying) > 1
    assert len(reads) == 1, "the legs' dossiers are read in one query, not one by one"
    assert_equals_truth(engine, truth, table)
    with Session(engine) as session:
        assert unknown_codes(session) == []
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "refold")).one()
    assert entry.reason == "VNPost công bố mã 99"


def test_an_undated_record_with_an_unknown_code_is_fetched_once(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """A list record without ``lastUpdateTime`` (brief §1 allows it) showing code 77: its
    history is fetched while the leg lacks the 77 event, and no more once it has it."""
    ctx = make_context(sandbox_server)
    record = {
        "orderHdrID": 9001,
        "originalID": "TEST9001",
        "itemCode": "EB123456785VN",
        "saleOrderCode": "000.00.12.H14-260105-0001-P1",
        "status": 77,
        "statusName": "Trạng thái mới",
        "contentNote": "TTHC 1.001193: Đăng ký khai sinh",
    }
    order = mapping.parse_order(record, ctx.adapter.table)
    assert order.updated_at is None
    with session_scope(engine) as session:
        leg = Leg(kind=LegKind.PICKUP, adapter="myvnpost", reference=order.reference)
        leg.raw_status, leg.item_code = "10", "EB123456785VN"
        session.add(leg)
    with Session(engine) as session:
        assert orders_needing_history(session, "myvnpost", [order]) == [order]
    with session_scope(engine) as session:
        stored = session.exec(select(Leg)).one()
        assert stored.id is not None
        session.add(
            Event(
                leg_id=stored.id,
                item_code="EB123456785VN",
                raw_code="77",
                raw_label="Trạng thái mới",
                status="unknown",
                occurred_at=utcnow(),
            )
        )
    with Session(engine) as session:
        assert orders_needing_history(session, "myvnpost", [order]) == []
