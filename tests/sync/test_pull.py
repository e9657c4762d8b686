"""A full sync over real HTTP equals the sandbox's ground truth, and a second one is a no-op."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import defaults
from postlink.models import Event, Leg, MatchClass, SyncCursor
from postlink.postal.statuses import load_status_table
from postlink.sync.pull import pull
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def stored(engine: Engine) -> tuple[dict[str, Leg], set[tuple[str, str, datetime]]]:
    with Session(engine) as session:
        legs = {leg.order_id: leg for leg in session.exec(select(Leg)).all()}
        events = {(e.item_code, e.raw_code, e.occurred_at) for e in session.exec(select(Event))}
        event_count = len(session.exec(select(Event)).all())
    assert event_count == len(events), "an event was stored twice"
    return legs, events


def assert_equals_truth(engine: Engine, sandbox: SandboxHandle) -> dict[str, Leg]:
    truth: dict[str, Any] = sandbox.control.truth()
    table = load_status_table(defaults.MYVNPOST_STATUS_FILE)
    legs, events = stored(engine)
    assert set(legs) == {o["order_id"] for o in truth["orders"]}, "orders lost or invented"
    for record in truth["orders"]:
        leg = legs[record["order_id"]]
        assert leg.item_code == record["item_code"], record["order_id"]
        assert leg.raw_status == str(record["status"]), record["order_id"]
        assert leg.status == table.status(str(record["status"])), record["order_id"]
    truth_events = {
        (o["item_code"], str(e["code"]), datetime.fromisoformat(e["at"]))
        for o in truth["orders"]
        for e in o["events"]
    }
    assert events == truth_events, "events lost or invented"
    return legs


def test_full_sync_equals_truth_and_repeats_as_a_no_op(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    first: Counter[str] = Counter()
    pull(ctx, first)
    legs = assert_equals_truth(engine, sandbox_server)
    assert first["legs_new"] == len(legs)

    with Session(engine) as session:
        before = {leg.id: leg.model_dump() for leg in session.exec(select(Leg)).all()}
    second: Counter[str] = Counter()
    pull(ctx, second)
    assert second["legs_new"] == 0
    assert second["events_new"] == 0
    with Session(engine) as session:
        after = {leg.id: leg.model_dump() for leg in session.exec(select(Leg)).all()}
    for leg_id, fields in before.items():
        fields.pop("updated_at"), after[leg_id].pop("updated_at")
        assert after[leg_id] == fields


def test_time_moves_on_and_the_sync_follows(
    engine: Engine, sandbox_factory: Any, make_context: MakeContext
) -> None:
    sandbox = sandbox_factory(now=datetime(2026, 1, 14, 9, 0, tzinfo=VIETNAM))
    ctx = make_context(sandbox)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox)
    sandbox.control.advance(days=3)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox)
    sandbox.control.advance(days=3)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox)
    with Session(engine) as session:
        assert session.exec(select(SyncCursor)).one().position


def test_records_land_in_the_right_classes(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    pull(make_context(sandbox_server), Counter())
    legs = list(stored(engine)[0].values())
    by_class = Counter(leg.match_class for leg in legs)
    assert by_class[MatchClass.ELIGIBLE] > 0
    assert by_class[MatchClass.EXCLUDED] > 0
    assert by_class[MatchClass.UNKNOWN_PROCEDURE] > 0
    for leg in legs:
        if leg.procedure_code in ("1.000894", "2.000884"):
            assert leg.match_class == MatchClass.EXCLUDED, leg.reference
            assert leg.match_reason
            assert leg.match_legal_basis
            assert leg.match_version_id is not None
        if leg.procedure_code is None:
            assert leg.match_class == MatchClass.UNKNOWN_PROCEDURE
    assert any(not leg.item_check_ok for leg in legs)
    taken = [leg for leg in legs if leg.j_date is not None]
    assert taken
    assert all(leg.deadline and leg.deadline > leg.j_date for leg in taken)
