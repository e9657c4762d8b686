"""A full sync over real HTTP equals the sandbox's ground truth, and a second one is a no-op."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.db import session_scope
from postlink.legs import apply
from postlink.legs.apply import SyncContext
from postlink.legs.ingest import ingest
from postlink.legs.status import LegStatus
from postlink.models import Dossier, Leg, LegKind, MatchClass, SyncCursor
from postlink.postal.fields import Fields
from postlink.postal.models import Order, Party
from postlink.postal.myvnpost.mapping import FeedType, parse_order
from postlink.postal.sandbox.world import World
from postlink.settings import get_settings
from postlink.sync.backfill import backfill
from postlink.sync.outbox import Registration, push, register
from postlink.sync.pull import pull
from tests.postal.fixtures import WORLD_START, SandboxHandle
from tests.sync.conftest import MakeContext
from tests.sync.truth import assert_equals_truth, stored

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_full_sync_equals_truth_and_repeats_as_a_no_op(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    first: Counter[str] = Counter()
    pull(ctx, first)
    legs = assert_equals_truth(engine, sandbox_server.control.truth())
    assert first["legs_new"] == len(legs)

    with Session(engine) as session:
        before = {leg.id: leg.model_dump() for leg in session.exec(select(Leg)).all()}
    second: Counter[str] = Counter()
    pull(ctx, second)
    assert second["legs_new"] == 0
    assert second["events_new"] == 0
    assert second["unchanged"] == second["orders"] > 0, "an unchanged order costs a comparison"
    with Session(engine) as session:
        after = {leg.id: leg.model_dump() for leg in session.exec(select(Leg)).all()}
    for leg_id, fields in before.items():
        fields.pop("updated_at"), after[leg_id].pop("updated_at")
        assert after[leg_id] == fields


def test_a_record_is_skipped_only_when_it_changes_nothing(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """Issue 15 §3: reading the whole feed again skips every order whose leg holds what its
    record says, and rewrites those whose leg does not (here a fee and a judgement lost)."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    with Session(engine) as session:
        legs = session.exec(select(Leg).order_by(col(Leg.id))).all()
        before = {leg.id: leg.model_dump(exclude={"updated_at"}) for leg in legs}
        fee = next(leg for leg in legs if leg.total_fee)
        judged = next(leg for leg in legs if leg.id != fee.id)
        fee.total_fee = 1
        judged.match_class = None
        session.add_all([fee, judged])
        session.commit()
    again = backfill(ctx, WORLD_START)
    assert again["orders"] - again["unchanged"] == 2
    assert again["events_new"] == again["legs_new"] == 0
    with Session(engine) as session:
        after = {
            leg.id: leg.model_dump(exclude={"updated_at"}) for leg in session.exec(select(Leg))
        }
    assert after == before


#: n with a giấy hẹn of the rows of TT 17/2017 art. 7 (docs/sync.md, typed from the table).
N_WITH_SLIP = {"local": 2, "intra_province": 4, "inter_province_major": 6, "inter_province": 8}


def test_the_skip_sees_the_routes_inputs_and_the_invitations(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """Issue 13 §2 and §3 through the skip: a record whose leg has no deadline yet is not
    skipped when its registered dossier now carries an appointment slip (the route's n
    changes), nor one whose invitation columns differ from what its events give; a leg
    whose deadline is counted keeps its route whatever its dossier says."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    with Session(engine) as session:
        legs = session.exec(select(Leg).order_by(col(Leg.id))).all()
        before = {leg.id: leg.model_dump(exclude={"updated_at"}) for leg in legs}
        pickups = [leg for leg in legs if leg.kind == LegKind.PICKUP and leg.dossier_id]
        undated = next(leg for leg in pickups if leg.deadline is None and leg.route in N_WITH_SLIP)
        dated = next(
            leg
            for leg in pickups
            if leg.deadline is not None and leg.dossier_id != undated.dossier_id
        )
        invited = next(leg for leg in legs if leg.invitations)
        invited.last_invitation_on = invited.invitation_wait_until = None
        invited.invitation_verdict = None
        session.add(invited)
        for leg in (undated, dated):
            dossier = session.get(Dossier, leg.dossier_id)
            assert dossier is not None
            assert not dossier.appointment_slip
            dossier.appointment_slip = True
            session.add(dossier)
        undated_id = undated.id
        session.commit()
    again = backfill(ctx, WORLD_START)
    assert again["orders"] - again["unchanged"] == 2, "the undated leg and the invited one"
    with Session(engine) as session:
        after = {
            leg.id: leg.model_dump(exclude={"updated_at"}) for leg in session.exec(select(Leg))
        }
    assert after[undated_id]["route_days"] == N_WITH_SLIP[before[undated_id]["route"]]
    assert after[undated_id]["record_digest"] != before[undated_id]["record_digest"]
    for column in ("route_days", "record_digest"):
        after[undated_id][column] = before[undated_id][column]
    assert after == before


def _records(ctx: SyncContext) -> list[Order]:
    """Every order of the feed as the pull reads it, each with the record it came from."""
    return [order for page in ctx.adapter.changes(None) for order in page.orders]


def _changed(ctx: SyncContext, order: Order, **values: Any) -> Order:
    """``order`` read again from its record with ``values`` put under the keys it uses."""
    record = dict(order.raw)
    for name, value in values.items():
        record[Fields(record).key(name) or name] = value
    feed = FeedType.NHAN if order.leg == LegKind.PICKUP else FeedType.GUI
    return parse_order(record, ctx.adapter.table, feed)


def test_a_changed_record_is_never_skipped(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """Issue 15 §3: the digest skips a record only when nothing it is applied from changed.
    Records whose update time did not move (so no history is fetched) but whose status, fee,
    citizen's commune (a route input) or update time changed are applied, each change
    lands, and the other records of the same batch are still skipped."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    orders = {order.reference: order for order in _records(ctx)}
    with Session(engine) as session:
        legs = {leg.reference: leg for leg in session.exec(select(Leg)).all()}
    pickups = [legs[r] for r in orders if legs[r].kind == LegKind.PICKUP]
    early = next(leg for leg in pickups if leg.status in (LegStatus.CREATED, "pickup_scheduled"))
    fee = next(leg for leg in pickups if leg.total_fee and leg.id != early.id)
    away = next(
        leg
        for leg in pickups
        if leg.deadline is None
        and leg.route == "intra_province"
        and not leg.route_commune_unknown
        and leg.id not in (early.id, fee.id)
    )
    moved = next(leg for leg in legs.values() if leg.id not in (early.id, fee.id, away.id))
    office = orders[away.reference].receiver.commune_code
    later = orders[moved.reference].updated_at
    assert later is not None
    changed = {
        early.reference: _changed(ctx, orders[early.reference], status="6"),  # picked up
        fee.reference: _changed(ctx, orders[fee.reference], totalFee=fee.total_fee + 1000),
        away.reference: _changed(ctx, orders[away.reference], senderCommuneCode=office),
        moved.reference: _changed(
            ctx,
            orders[moved.reference],
            lastUpdateTime=f"{(later + timedelta(days=1)).astimezone(VIETNAM):%d/%m/%Y %H:%M}",
        ),
    }
    again = ingest(ctx, [changed.get(r, o) for r, o in orders.items()], [], source="poll")
    assert again["orders"] - again["unchanged"] == 4
    assert again["histories"] == 1, "the record updated later fetches its history"
    with Session(engine) as session:
        after = {leg.reference: leg for leg in session.exec(select(Leg)).all()}
    assert after[early.reference].status == LegStatus.PICKED_UP
    assert after[early.reference].j_date is not None
    assert after[fee.reference].total_fee == fee.total_fee + 1000
    assert after[away.reference].route == "local", "both ends now in the office's commune"
    for reference, leg in after.items():
        if reference not in changed:
            assert leg.model_dump() == legs[reference].model_dump()
    back = ingest(ctx, list(orders.values()), [], source="poll")
    assert back["unchanged"] == len(orders) - 4, "the stored digests are the changed records'"


def test_a_leg_another_transaction_created_first_is_treated_as_stored(
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new leg is inserted complete, ``ON CONFLICT DO NOTHING``: when the push wrote the
    same order's leg after this page looked for it, the page's row is dropped and the leg
    goes the stored legs' way (folded, written), not counted as new, nothing lost."""
    ctx = make_context(sandbox_server)
    pull(ctx, Counter())
    with Session(engine) as session:
        before = {
            leg.id: leg.model_dump(exclude={"updated_at"}) for leg in session.exec(select(Leg))
        }
    looked = apply._legs
    calls: list[int] = []

    def first_look_misses(session: Session, adapter: str, orders: Any) -> dict[str, Leg]:
        calls.append(len(orders))
        return {} if len(calls) == 1 else looked(session, adapter, orders)

    monkeypatch.setattr(apply, "_legs", first_look_misses)
    monkeypatch.setattr(apply, "_unchanged", lambda *_: set())
    again = backfill(ctx, WORLD_START)
    assert again["legs_new"] == 0, "every row of the first page was found written before"
    assert again["events_new"] == 0
    assert len(calls) > again["pages"], "the first page looked its legs up again"
    with Session(engine) as session:
        after = {
            leg.id: leg.model_dump(exclude={"updated_at"}) for leg in session.exec(select(Leg))
        }
    assert after == before


def test_time_moves_on_and_the_sync_follows(
    engine: Engine, sandbox_factory: Any, make_context: MakeContext
) -> None:
    sandbox = sandbox_factory(now=datetime(2026, 1, 14, 9, 0, tzinfo=VIETNAM))
    ctx = make_context(sandbox)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox.control.truth())
    sandbox.control.advance(days=3)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox.control.truth())
    sandbox.control.advance(days=3)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox.control.truth())
    with Session(engine) as session:
        assert session.exec(select(SyncCursor)).one().position


def test_an_event_that_keeps_the_status_is_still_fetched(
    engine: Engine, sandbox_factory: Any, make_context: MakeContext
) -> None:
    """A cancellation fee (code 29) follows a cancellation (9) without changing the status:
    the feed shows the same status with a later update time, and that must be enough."""
    world = World(1, 200, WORLD_START, 15)
    index = next(i for i in range(200) if 29 in [c for _, c in world.skeleton(i).events])
    (cancelled, _), (fee, _) = world.skeleton(index).events[-2:]
    origin = datetime.combine(WORLD_START, time(0), tzinfo=VIETNAM)
    sandbox = sandbox_factory(now=origin + timedelta(minutes=cancelled + 1))
    ctx = make_context(sandbox)
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox.control.truth())
    sandbox.control.advance(minutes=fee - cancelled)
    pull(ctx, Counter())
    legs = assert_equals_truth(engine, sandbox.control.truth())
    assert legs[world.order(index).original_id].status == "cancelled"


def test_an_order_we_created_gets_its_history_from_the_feed(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """The push records the post's answer to CreateOrder (a status, no events); the next
    pull must still fetch the order's tracking events."""
    ctx = make_context(sandbox_server)
    citizen = Party("Bế Thị Lan", "0912000111", "Tổ 3, xã Hòa An, tỉnh Cao Bằng", "04", "01654")
    registration = Registration(
        LegKind.RETURN, "000.00.21.H14-260119-0001", "1.001193", "Đăng ký khai sinh", citizen
    )
    settings = get_settings()
    with session_scope(engine) as session:
        register(session, ctx, settings, registration, actor="test")
    push(ctx, settings, Counter())
    pull(ctx, Counter())
    assert_equals_truth(engine, sandbox_server.control.truth())


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
