"""Compare what the sync stored with the sandbox's ground truth (``GET /_sandbox/truth``).

The expected status of a leg is not the post's current code but the lifecycle fold of the
post's events (``legs.lifecycle``): an unknown code or a money event changes no status, so
a leg in transit whose last event is an unknown code stays "in transit" with that raw code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink import defaults
from postlink.legs.lifecycle import Step, fold
from postlink.models import Event, Leg
from postlink.postal.statuses import StatusTable, load_status_table

EventKey = tuple[str, str, datetime]


def stored(engine: Engine) -> tuple[dict[str, Leg], set[EventKey]]:
    """Legs by the post's order id and the events' natural keys; fails on a duplicate."""
    with Session(engine) as session:
        rows = session.exec(select(Leg)).all()
        legs = {leg.order_id: leg for leg in rows}
        events = {(e.item_code, e.raw_code, e.occurred_at) for e in session.exec(select(Event))}
        event_count = session.exec(select(func.count()).select_from(Event)).one()
    assert len(legs) == len(rows), "two legs for one postal order"
    assert event_count == len(events), "an event was stored twice"
    return legs, events


def assert_equals_truth(
    engine: Engine, truth: dict[str, Any], table: StatusTable | None = None
) -> dict[str, Leg]:
    """Every order and event present once, nothing invented, every status as the post's
    events make it (read with ``table``, the installed one by default); returns the legs by
    order id."""
    table = table or load_status_table(defaults.MYVNPOST_STATUS_FILE)
    legs, events = stored(engine)
    orders = truth["orders"]
    assert set(legs) == {o["order_id"] for o in orders}, "orders lost or invented"
    for record in orders:
        leg = legs[record["order_id"]]
        steps = [
            Step(datetime.fromisoformat(e["at"]), table.status(str(e["code"])), str(e["code"]))
            for e in record["events"]
        ]
        expected = fold(steps)
        assert expected.status_step is not None, record
        where = f"order {record['order_id']} ({record['reference']})"
        assert leg.item_code == record["item_code"], where
        assert (leg.status, leg.raw_status) == (
            expected.status,
            expected.status_step.raw_code,
        ), where
        assert leg.invitations == sum(s.status.failed_delivery for s in steps), where
    truth_events = {
        (o["item_code"], str(e["code"]), datetime.fromisoformat(e["at"]))
        for o in orders
        for e in o["events"]
    }
    assert not truth_events - events, f"{len(truth_events - events)} events lost"
    assert not events - truth_events, f"{len(events - truth_events)} events invented"
    return legs
