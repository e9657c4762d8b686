"""The invitation rule through the sync (TT 17/2017 art. 5 cl. 2 point h), on both databases.

Each history below is typed by hand as the post reports it, on dates counted by hand on the
2026 calendar (01/03 is a Sunday; Tết keeps 16–20/02 off, with the weekends around it): the
events go through the sync's own write path (``apply_events``, the fold), and the leg must
store what the reports and the overdue flag read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.legs.apply import SyncContext, apply_events
from postlink.legs.explain import explain
from postlink.legs.status import LegStatus
from postlink.models import Leg
from postlink.postal.models import Event
from postlink.settings import get_settings
from postlink.sync.overdue import flag_overdue, judge_returned_legs
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext

S = LegStatus
#: (local day, hour, status) of each history, keyed by waybill number.
HISTORIES: dict[str, list[tuple[date, int, LegStatus]]] = {
    # One invitation on Tuesday 03/03, then back to the office: too few.
    "EB200000001VN": [
        (date(2026, 3, 2), 8, S.ACCEPTED),
        (date(2026, 3, 3), 10, S.DELIVERY_FAILED_ATTEMPT),
        (date(2026, 3, 4), 9, S.RETURN_PENDING),
        (date(2026, 3, 4), 15, S.RETURNING),
        (date(2026, 3, 5), 11, S.RETURNED),
    ],
    # Tuesday 03/03 and Thursday 05/03, two working days apart, then back: compliant.
    "EB200000002VN": [
        (date(2026, 3, 2), 8, S.ACCEPTED),
        (date(2026, 3, 3), 10, S.DELIVERY_FAILED_ATTEMPT),
        (date(2026, 3, 5), 10, S.OUT_FOR_DELIVERY),
        (date(2026, 3, 5), 11, S.DELIVERY_FAILED_ATTEMPT),
        (date(2026, 3, 6), 9, S.RETURN_PENDING),
        (date(2026, 3, 9), 16, S.RETURNED),
    ],
    # Friday 13/02 then Monday 23/02: only Monday counts across Tết, one working day.
    "EB200000003VN": [
        (date(2026, 2, 12), 8, S.ACCEPTED),
        (date(2026, 2, 13), 10, S.DELIVERY_FAILED_ATTEMPT),
        (date(2026, 2, 23), 10, S.DELIVERY_FAILED_ATTEMPT),
        (date(2026, 2, 24), 9, S.RETURNED),
    ],
    # J Thursday 12/02, deadline Monday 23/02 (J + 2, Tết skipped); invited on 23/02, so it
    # may wait for the second invitation through Wednesday 25/02.
    "EB200000004VN": [
        (date(2026, 2, 12), 8, S.ACCEPTED),
        (date(2026, 2, 23), 10, S.DELIVERY_FAILED_ATTEMPT),
    ],
}


def _event(item: str, day: date, hour: int, status: LegStatus) -> Event:
    local = datetime.combine(day, time(hour), tzinfo=get_settings().tz)
    return Event(item, status.value, status.value, status, local.astimezone(UTC), "")


def _apply(engine: Engine, ctx: SyncContext) -> dict[str, Leg]:
    with session_scope(engine) as session:
        for n, item in enumerate(HISTORIES, start=1):
            session.add(
                Leg(
                    kind="return",
                    adapter=ctx.adapter.name,
                    reference=f"000.00.12.H14-260201-{n:04d}-R1",
                    item_code=item,
                    status="created",
                )
            )
    events = [_event(item, *step) for item, steps in HISTORIES.items() for step in steps]
    with session_scope(engine) as session:
        apply_events(session, ctx, events, source="test")
    with Session(engine, expire_on_commit=False) as session:
        return {leg.item_code or "": leg for leg in session.exec(select(Leg)).all()}


def test_the_fold_stores_invitations_wait_and_verdict(
    engine: Engine, make_context: MakeContext, sandbox_server: SandboxHandle
) -> None:
    legs = _apply(engine, make_context(sandbox_server))
    stored = {
        item: (
            leg.invitations,
            leg.last_invitation_on,
            leg.invitation_wait_until,
            leg.invitation_verdict,
        )
        for item, leg in legs.items()
    }
    assert stored == {
        "EB200000001VN": (1, date(2026, 3, 3), None, "returned_without_due_invitations"),
        "EB200000002VN": (2, date(2026, 3, 5), None, "compliant"),
        "EB200000003VN": (2, date(2026, 2, 23), None, "returned_without_due_invitations"),
        "EB200000004VN": (1, date(2026, 2, 23), date(2026, 2, 25), None),
    }
    assert legs["EB200000004VN"].deadline == date(2026, 2, 23)


def test_a_leg_waiting_between_invitations_is_late_only_after_the_wait(
    engine: Engine, make_context: MakeContext, sandbox_server: SandboxHandle
) -> None:
    _apply(engine, make_context(sandbox_server))
    with session_scope(engine) as session:
        # 25/02: past the deadline (23/02), within the wait: not overdue.
        assert flag_overdue(session, date(2026, 2, 25))["overdue_invitation"] == 0
    with Session(engine) as session:
        waiting = session.exec(select(Leg).where(Leg.item_code == "EB200000004VN")).one()
        assert waiting.overdue is False
    with session_scope(engine) as session:
        assert flag_overdue(session, date(2026, 2, 26))["overdue_invitation"] == 1
    with Session(engine) as session:
        waiting = session.exec(select(Leg).where(Leg.item_code == "EB200000004VN")).one()
        assert waiting.overdue is True


def test_legs_returned_before_the_upgrade_are_judged_by_the_deadlines_job(
    engine: Engine, make_context: MakeContext, sandbox_server: SandboxHandle
) -> None:
    ctx = make_context(sandbox_server)
    _apply(engine, ctx)
    with session_scope(engine) as session:  # as migration 0010 leaves older legs
        session.execute(update(Leg).values(invitation_verdict=None))
    with session_scope(engine) as session:
        assert judge_returned_legs(session, ctx) == 3
    with Session(engine) as session:
        verdicts = {leg.item_code: leg.invitation_verdict for leg in session.exec(select(Leg))}
    assert verdicts == {
        "EB200000001VN": "returned_without_due_invitations",
        "EB200000002VN": "compliant",
        "EB200000003VN": "returned_without_due_invitations",
        "EB200000004VN": None,
    }
    with session_scope(engine) as session:
        assert judge_returned_legs(session, ctx) == 0


def test_leg_explain_gives_the_verdict_and_its_reasons(
    engine: Engine, make_context: MakeContext, sandbox_server: SandboxHandle
) -> None:
    """The same verdict reaches ``postlink leg explain`` with the reasons counted by hand:
    EB200000003VN was invited on Friday 13/02 and Monday 23/02, one working day apart
    across Tết; EB200000002VN on Tuesday 03/03 and Thursday 05/03, two apart."""
    ctx = make_context(sandbox_server)
    legs = _apply(engine, ctx)
    with Session(engine) as session:
        late = explain(session, legs["EB200000003VN"], ctx.policy, get_settings().tz)
        fine = explain(session, legs["EB200000002VN"], ctx.policy, get_settings().tz)
    assert late.as_json()["invitations"]["verdict"] == "returned_without_due_invitations"
    assert [r for r in late.invitation_reasons if "13/02/2026" in r and "23/02/2026" in r]
    assert fine.as_json()["invitations"]["verdict"] == "compliant"
    assert any("03/03/2026" in r and "05/03/2026" in r for r in fine.invitation_reasons)
