"""Unreadable records are kept once for review, however often the post sends them again."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.legs.apply import apply_orders
from postlink.models import Quarantined
from postlink.postal.models import Quarantined as PostalQuarantined
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext


def test_a_replayed_bad_record_is_kept_once(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    bad = PostalQuarantined("feed NHAN", "status is missing", '{"orderHdrID": 7}')
    counts: Counter[str] = Counter()
    for _ in range(3):
        with session_scope(engine) as session:
            counts.update(apply_orders(session, ctx, [], {}, [bad], source="poll"))
    with Session(engine) as session:
        rows = session.exec(select(Quarantined)).all()
    assert len(rows) == 1
    assert rows[0].reason == "status is missing"
    assert counts["quarantined"] == 1
