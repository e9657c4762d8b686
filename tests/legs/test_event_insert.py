"""Events stored by the sync's insert hold exactly what the typed columns write.

``_store_events`` hands the driver both times and the status already converted, skipping
SQLAlchemy's per-value bind processing (issue 15 §3, backfill15). Here the same events go
in through the typed ``event`` table and through ``_store_events`` (under other item
codes), and the stored values are compared as the database holds them, on both backends.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine, insert, select, text
from sqlmodel import Session

from postlink.legs.apply import EVENTS, LEGS, _store_events
from postlink.legs.status import LegStatus

VIETNAM = timezone(timedelta(hours=7))

#: Times as the post's mapping and ``utcnow`` make them: UTC and Vietnam time, whole
#: seconds and microseconds, around midnight and a year boundary.
TIMES = [
    datetime(2026, 3, 4, 9, 30, tzinfo=UTC),
    datetime(2026, 3, 4, 9, 30, 0, 123456, tzinfo=UTC),
    datetime(2026, 1, 1, 3, 15, 7, tzinfo=VIETNAM),
    datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 7, 1, 0, 0, 0, 1, tzinfo=VIETNAM),
]
STATUSES = [LegStatus.IN_TRANSIT, LegStatus.DELIVERED, LegStatus.UNKNOWN, "delivered", "unknown"]


def _rows(leg_id: int, prefix: str) -> list[dict[str, object]]:
    return [
        {
            "leg_id": leg_id,
            "item_code": f"{prefix}{n}",
            "raw_code": "5",
            "raw_label": "Phát thành công",
            "status": status,
            "occurred_at": when,
            "location": "Cao Bằng",
            "source": "poll",
            "received_at": TIMES[-1 - n],
        }
        for n, (when, status) in enumerate(zip(TIMES, STATUSES, strict=True))
    ]


def test_stored_events_are_byte_identical_to_the_typed_insert(engine: Engine) -> None:
    now = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    with Session(engine) as session:
        connection = session.connection()
        leg = {"kind": "pickup", "adapter": "myvnpost", "reference": "R-P1"}
        connection.execute(insert(LEGS).values(**leg, created_at=now, updated_at=now))
        leg_id = connection.execute(select(LEGS.c.id)).scalar_one()
        connection.execute(insert(EVENTS), _rows(leg_id, "TYPED"))
        _, new = _store_events(session, [], _rows(leg_id, "FAST"))
        raw = connection.execute(
            text(
                "SELECT item_code, CAST(occurred_at AS TEXT), CAST(received_at AS TEXT), "
                "status, raw_label, location FROM event ORDER BY item_code"
            )
        ).all()
        session.commit()
    assert new == len(TIMES)
    fast = {row[0].removeprefix("FAST"): row[1:] for row in raw if row[0].startswith("FAST")}
    typed = {row[0].removeprefix("TYPED"): row[1:] for row in raw if row[0].startswith("TYPED")}
    assert len(fast) == len(TIMES)
    assert fast == typed
