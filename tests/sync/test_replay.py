"""Issue 16's "done when": unreadable records make ``status`` fail with the reason, and after
the parser is fixed ``quarantine replay --all`` brings every record in without the cursor.

The records are the sandbox's real answers over HTTP. What changes between "before" and
"after" is postlink's own mapping, as an upgrade changes it: before, the mapping of an
earlier release that read MyVNPost's ``lastUpdateTime`` only as ``dd/mm/YYYY HH:MM``; the
post writes seconds too (``05/01/2026 10:15:30``), so every order record was quarantined and
the cursor moved past it. After, the mapping installed now, which reads the seconds. The
expected legs come from the sandbox's ground truth, never from the code under test.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.legs.apply import SyncContext, load_cursor
from postlink.models import AuditEntry, Dossier, Event, Leg, Quarantined, SyncCursor
from postlink.postal.myvnpost import mapping
from postlink.settings import get_settings
from postlink.sync import quarantine
from postlink.sync.backfill import backfill
from postlink.sync.jobs import run_job
from postlink.sync.pull import feed_name, pull
from postlink.worker import JOBS
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext
from tests.sync.truth import assert_equals_truth

Cli = Callable[..., CliResult]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

#: The time pattern of the earlier release: minutes only, as the brief's examples show.
MINUTES_ONLY = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}) ([0-9]{1,2}):([0-9]{2})(?:never([0-9]{2}))?"
)


def _run_every_job(ctx: SyncContext) -> None:
    settings = get_settings()
    for job in JOBS:
        assert run_job(job, ctx, settings)


def _open(engine: Engine) -> list[Quarantined]:
    with Session(engine) as session:
        return list(
            session.exec(select(Quarantined).where(col(Quarantined.resolved_at).is_(None))).all()
        )


def test_status_names_the_reason_and_replay_all_recovers_every_record(
    cli: Cli,
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = make_context(sandbox_server)
    truth = sandbox_server.control.truth()
    with monkeypatch.context() as old_release:
        old_release.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
        _run_every_job(ctx)
    quarantined = _open(engine)
    assert len(quarantined) == len(truth["orders"])  # every order record has seconds
    with Session(engine) as session:
        assert session.exec(select(Leg)).first() is None
    cursor = load_cursor(engine, feed_name(ctx))
    assert cursor is not None  # the pull moved past them: the post will not send them again

    status = cli("status", "--json")
    report = json.loads(status.stdout)
    assert (status.code, report["state"]) == (1, "degraded")
    problems = {p["code"]: p for p in report["problems"]}
    assert problems["quarantine_open"]["count"] == len(truth["orders"])
    assert problems["last_pull_quarantined"]["count"] == len(truth["orders"])
    assert "not a time: dd/mm/YYYY HH:MM" in problems["quarantine_open"]["first_reason"]
    text = cli("status")
    assert text.code == 1
    assert "Tình trạng: cần xử lý" in text.stdout
    assert "quarantine_open" in text.stdout

    # The upgrade is installed: the CLI builds its own adapter, pointed at the same post.
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    get_settings.cache_clear()
    replayed = cli("quarantine", "replay", "--all", "--actor", "nguyen.van.a", "--json")
    assert replayed.code == 0, replayed.stderr + replayed.stdout
    outcome = json.loads(replayed.stdout)
    assert (outcome["recovered"], outcome["still_failing"]) == (len(truth["orders"]), 0)

    assert_equals_truth(engine, truth)
    assert load_cursor(engine, feed_name(ctx)) == cursor  # never touched
    assert _open(engine) == []
    with Session(engine) as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "quarantine.replay"))
        assert sum((row.after or {})["recovered"] for row in audit) == len(truth["orders"])
    after = json.loads(cli("status", "--json").stdout)
    assert not {"quarantine_open", "last_pull_quarantined"} & {p["code"] for p in after["problems"]}


def test_a_record_that_still_fails_stays_open_with_its_new_reason(
    cli: Cli, engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    with Session(engine) as session:
        # As the post wrote it, but with a status no version can read (a list is not a
        # code; a text such as "đang giao" would be kept as an unknown code).
        bad = Quarantined(
            adapter="myvnpost",
            source="feed NHAN",
            reason="status is missing",
            raw=json.dumps({"orderHdrID": 7, "status": ["đang giao"]}),
        )
        session.add(bad)
        session.commit()
        bad_id = bad.id
    result = cli("quarantine", "replay", str(bad_id), "--json")
    assert result.code == 1  # a replay that leaves records open is not a success
    outcome = json.loads(result.stdout)
    reason = "status=['đang giao']: không phải mã trạng thái (not a status code)"
    assert outcome["failing"] == [{"id": bad_id, "reason": reason}]
    [still] = _open(engine)
    assert (still.id, still.reason) == (bad_id, reason)


def test_replay_refuses_an_ambiguous_or_unknown_choice(cli: Cli, engine: Engine) -> None:
    both = cli("quarantine", "replay", "1", "--all")
    assert both.code == 1
    assert "Chọn đúng một: số bản ghi, --reason hoặc --all." in both.stderr
    missing = cli("quarantine", "show", "42")
    assert missing.code == 1
    assert "Không có bản ghi cách ly số 42." in missing.stderr


def test_list_show_and_resolve_with_a_note(cli: Cli, engine: Engine) -> None:
    raw = '{"orderHdrID": "<script>alert(1)</script>", "status": 3}'
    with Session(engine) as session:
        for reason in ("orderHdrID='x' is not a number", "time '' is not dd/mm/YYYY HH:MM"):
            session.add(Quarantined(adapter="myvnpost", source="feed GUI", reason=reason, raw=raw))
        session.commit()
    listed = json.loads(cli("quarantine", "list", "--json").stdout)
    assert [r["reason"] for r in listed["records"]] == [
        "orderHdrID='x' is not a number",
        "time '' is not dd/mm/YYYY HH:MM",
    ]
    assert {r["reason"]: r["count"] for r in listed["reasons"]} == {
        "orderHdrID='x' is not a number": 1,
        "time '' is not dd/mm/YYYY HH:MM": 1,
    }
    first = listed["records"][0]["id"]
    shown = cli("quarantine", "show", str(first))
    assert shown.code == 0
    assert raw in shown.stdout.replace("\n", "")
    assert cli("quarantine", "resolve", str(first), "--note", "  ").code == 1
    resolved = cli("quarantine", "resolve", str(first), "--note", "đơn thử của bưu điện", "--json")
    assert resolved.code == 0, resolved.stderr
    assert json.loads(resolved.stdout)["resolution"] == "đơn thử của bưu điện"
    again = cli("quarantine", "resolve", str(first), "--note", "lần hai")
    assert again.code == 1
    assert [r.id for r in _open(engine)] == [listed["records"][1]["id"]]
    with Session(engine) as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "quarantine.resolve")
        ).one()
    assert entry.reason == "đơn thử của bưu điện"


def test_backfill_rereads_a_past_window_without_moving_the_cursor(
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pull ran with the older mapping and passed every record; a backfill of the
    world's window with the mapping installed now reads them again, twice harmlessly."""
    ctx = make_context(sandbox_server)
    truth = sandbox_server.control.truth()
    with monkeypatch.context() as old_release:
        old_release.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
        pull(ctx, Counter())
    cursor = load_cursor(engine, feed_name(ctx))
    with Session(engine) as session:
        moved_at = session.get(SyncCursor, feed_name(ctx))
        assert moved_at is not None
        stamp = moved_at.updated_at
    first = backfill(ctx, date(2026, 1, 5))
    assert first["legs_new"] == len(truth["orders"])
    assert_equals_truth(engine, truth)
    second = backfill(ctx, date(2026, 1, 5))
    assert (second["legs_new"], second["events_new"]) == (0, 0)
    with Session(engine) as session:
        kept = session.get(SyncCursor, feed_name(ctx))
        assert kept is not None
        assert (kept.position, kept.updated_at) == (cursor, stamp)


def test_backfill_to_a_date_skips_orders_updated_after_it(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """Orders whose every event lies on or before ``--to`` are read; orders whose first
    event lies after it are not (those updated across the date depend on their last update,
    which may be a money event)."""
    ctx = make_context(sandbox_server)
    until = date(2026, 1, 9)

    def days(order: dict[str, Any]) -> list[date]:
        return [datetime.fromisoformat(e["at"]).astimezone(VIETNAM).date() for e in order["events"]]

    orders = sandbox_server.control.truth()["orders"]
    within = {o["order_id"] for o in orders if max(days(o)) <= until}
    after = {o["order_id"] for o in orders if min(days(o)) > until}
    assert within
    assert after
    counts = backfill(ctx, date(2026, 1, 5), until)
    with Session(engine) as session:
        stored = {leg.order_id for leg in session.exec(select(Leg)).all()}
    assert within <= stored
    assert not after & stored
    assert counts["skipped_after_window"] >= len(after)
    assert load_cursor(engine, feed_name(ctx)) is None


def test_a_replayed_history_entry_lands_on_its_leg_and_an_orphan_stays(
    cli: Cli,
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tracking entry kept in quarantine (as the post wrote it: Vietnam date and hour)
    goes onto the leg carrying its item; one whose item no leg carries stays open, and so
    does a record of another adapter, its reason untouched."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    truth = sandbox_server.control.truth()
    order = next(o for o in truth["orders"] if len(o["events"]) >= 2)
    event = order["events"][-1]
    at = datetime.fromisoformat(event["at"]).astimezone(VIETNAM)
    with Session(engine) as session:
        stored = session.exec(
            select(Event).where(
                Event.item_code == order["item_code"], Event.raw_code == str(event["code"])
            )
        ).all()
        assert stored
        for row in stored:
            session.delete(row)
        entry = {
            "createdDate": f"{at:%d/%m/%Y}",
            "createdHour": f"{at:%H:%M}",
            "statusCode": event["code"],
            "statusName": event["label"],
        }
        session.add_all(
            [
                Quarantined(
                    adapter="myvnpost",
                    source=f"history {order['item_code']}",
                    reason="createdHour is missing",
                    raw=json.dumps(entry, ensure_ascii=False),
                ),
                Quarantined(
                    adapter="myvnpost",
                    source="history EE999999999VN",
                    reason="createdHour is missing",
                    raw=json.dumps(entry, ensure_ascii=False),
                ),
                Quarantined(
                    adapter="ngsp", source="tracking", reason="ItemCode is missing", raw="{}"
                ),
            ]
        )
        session.commit()
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    get_settings.cache_clear()
    result = cli("quarantine", "replay", "--all", "--json")
    assert result.code == 1
    outcome = json.loads(result.stdout)
    assert (outcome["recovered"], outcome["still_failing"]) == (1, 2)
    assert_equals_truth(engine, truth)
    reasons = sorted(row.reason for row in _open(engine))
    assert reasons == [
        "ItemCode is missing",
        "chưa có bưu gửi mang số hiệu EE999999999VN / no leg carries item EE999999999VN yet",
    ]


class _WatchedLock:
    """The console's webhook lock, noting how many records were open at each taking."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        self.open_when_taken: list[int] = []

    def __enter__(self) -> None:
        assert self.lock.acquire(blocking=False), "taken twice: never released"
        self.open_when_taken.append(len(_open(self.engine)))

    def __exit__(self, *_: object) -> None:
        self.lock.release()


def test_replay_all_gives_the_webhook_lock_back_between_batches(
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review finding: the console held the webhook lock for a whole "replay all", so the
    post's pushes waited for every batch. Now the lock is taken for one batch at a time."""
    ctx = make_context(sandbox_server)
    with monkeypatch.context() as old_release:
        old_release.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
        pull(ctx, Counter())
    total = len(_open(engine))
    assert total > 10
    monkeypatch.setattr(quarantine, "REPLAY_BATCH", 4)
    watched = _WatchedLock(engine)
    outcome = quarantine.replay(ctx, actor="nguyen.van.a", everything=True, lock=watched)
    assert (len(outcome.recovered), outcome.still_failing) == (total, {})
    batches = -(-total // 4)
    assert watched.open_when_taken == [total - 4 * n for n in range(batches)]
    assert not watched.lock.locked()


def test_a_masked_quarantined_record_still_replays_without_personal_data(
    cli: Cli,
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13 §5: after POSTLINK_RAW_BODY_RETENTION_DAYS the stored records lose their
    parties' names, phones and addresses; replay then brings every leg in as the post holds
    it, and a dossier it creates has no contact rather than a mask for one."""
    ctx = make_context(sandbox_server)
    truth = sandbox_server.control.truth()
    with monkeypatch.context() as old_release:
        old_release.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
        _run_every_job(ctx)
    assert len(_open(engine)) == len(truth["orders"])

    monkeypatch.setenv("POSTLINK_RAW_BODY_RETENTION_DAYS", "0")
    get_settings.cache_clear()
    masked = cli("postal", "mask-bodies", "--json")
    assert masked.code == 0, masked.stderr
    assert json.loads(masked.stdout)["quarantined_masked"] == len(truth["orders"])
    personal = ("Name", "Phone", "Address")
    for row in _open(engine):
        record = json.loads(row.raw)
        values = [
            record.get(f"{side}{field}") for side in ("sender", "receiver") for field in personal
        ]
        assert set(values) <= {"***", "", None}, row.raw
        assert "***" in values

    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    get_settings.cache_clear()
    replayed = cli("quarantine", "replay", "--all", "--actor", "nguyen.van.a", "--json")
    assert replayed.code == 0, replayed.stderr + replayed.stdout
    assert json.loads(replayed.stdout)["recovered"] == len(truth["orders"])
    assert_equals_truth(engine, truth)
    with Session(engine) as session:
        dossiers = session.exec(select(Dossier)).all()
    assert dossiers
    for dossier in dossiers:
        contact = (dossier.citizen_name, dossier.citizen_phone, dossier.citizen_address)
        assert "***" not in contact
