"""A new leg built for the sync's bulk insert writes the row a ``Leg`` would (backfill15)."""

from __future__ import annotations

from datetime import UTC, datetime

from postlink.legs.apply import _new_leg, _NewLeg
from postlink.legs.status import LegStatus
from postlink.models import Leg, LegKind


def test_a_new_leg_row_is_the_row_of_the_same_leg_model() -> None:
    now = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
    given = {"kind": LegKind.PICKUP, "adapter": "myvnpost", "reference": "X-P1"}
    model = Leg(**given, created_at=now, updated_at=now).model_dump(exclude={"id"})
    draft = _new_leg(id=None, **given, created_at=now, updated_at=now)
    row = draft.row() if isinstance(draft, _NewLeg) else {}
    assert row == model
    assert row["status"] is LegStatus.UNKNOWN
    assert row["record_digest"] is None


def test_each_new_leg_has_its_own_values() -> None:
    now = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
    one = _new_leg(id=None, kind=LegKind.PICKUP, adapter="a", reference="1", created_at=now)
    two = _new_leg(id=None, kind=LegKind.RETURN, adapter="a", reference="2", created_at=now)
    one.invitations = 2
    assert two.invitations == 0
    assert two.kind == LegKind.RETURN
