"""Status folding: forward only, terminal is final, money and unknown change nothing."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from postlink import defaults
from postlink.legs.lifecycle import Step, fold
from postlink.legs.status import LegStatus
from postlink.postal.statuses import load_status_table

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def steps(*statuses: str) -> list[Step]:
    return [Step(T0 + timedelta(hours=i), LegStatus(s)) for i, s in enumerate(statuses)]


def test_normal_delivery() -> None:
    state = fold(steps("created", "picked_up", "accepted", "in_transit", "delivered"))
    assert state.status == "delivered"
    assert state.taken_at == T0 + timedelta(hours=1)
    assert state.closed_at == T0 + timedelta(hours=4)


def test_late_event_does_not_move_a_terminal_leg_backwards() -> None:
    history = steps("created", "picked_up", "delivered")
    history.append(Step(T0 + timedelta(hours=9), LegStatus.IN_TRANSIT))
    assert fold(history).status == "delivered"


def test_out_of_order_arrival_gives_the_same_answer() -> None:
    history = steps("created", "picked_up", "in_transit", "out_for_delivery", "delivered")
    for permutation in itertools.permutations(history):
        assert fold(permutation).status == "delivered"


def test_failed_attempts_then_return_to_the_office() -> None:
    state = fold(
        steps(
            "out_for_delivery",
            "delivery_failed_attempt",
            "out_for_delivery",
            "delivery_failed_attempt",
            "return_pending",
            "returning",
            "returned",
        )
    )
    assert state.status == "returned"
    assert state.failed_deliveries == 2


def test_second_attempt_after_failure_is_tracked() -> None:
    assert fold(steps("delivery_failed_attempt", "out_for_delivery")).status == "out_for_delivery"


def test_money_and_unknown_events_change_nothing() -> None:
    state = fold(steps("accepted", "payment", "unknown"))
    assert state.status == "accepted"
    assert state.last_event_at == T0 + timedelta(hours=2)
    assert fold(steps("payment")).status is None


#: Terminal statuses as the brief lists them (postal brief §3), typed here by hand.
TERMINAL = {"delivered", "partially_delivered", "returned", "cancelled", "pickup_failed"}


@settings(deadline=None)  # a pure fold: a busy shared machine must not fail it
@given(st.lists(st.tuples(st.integers(0, 50), st.sampled_from(list(LegStatus))), max_size=12))
def test_fold_is_independent_of_arrival_order(raw: list[tuple[int, LegStatus]]) -> None:
    history = [Step(T0 + timedelta(minutes=m), s) for m, s in raw]
    assert fold(history) == fold(list(reversed(history)))
    final = fold(history).status
    first_terminal = min(
        (s for s in history if s.status in TERMINAL), key=lambda s: s.occurred_at, default=None
    )
    if first_terminal is not None and final is not None:
        assert final in TERMINAL


def test_the_enum_carries_the_lifecycle_meaning() -> None:
    """Terminal, money and phase live on the members (one vocabulary, issue 13 §1)."""
    assert {s.value for s in LegStatus if s.terminal} == TERMINAL
    assert {s.value for s in LegStatus if s.money} == {"payment"}
    assert {s.value for s in LegStatus if not s.changes_state} == {"payment", "unknown"}
    assert LegStatus.PICKED_UP.rank == 3
    assert LegStatus.RETURNING.rank == 7
    assert LegStatus.DELIVERED.rank is None
    assert {s.value for s in LegStatus if s.taken_by_post} == {"picked_up", "accepted"}


def test_carrier_status_table_maps_every_code_to_a_member() -> None:
    table = load_status_table(defaults.MYVNPOST_STATUS_FILE)
    for status in table.statuses.values():
        assert isinstance(status, LegStatus)
        assert status.changes_state or status.money, status
