"""Unreadable records are kept once for review, however often the post sends them again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.legs.apply import apply_orders
from postlink.models import Quarantined
from postlink.postal.models import Quarantined as PostalQuarantined
from postlink.settings import get_settings
from postlink.sync.quarantine import QuarantineError, resolve
from tests.conftest import CliResult
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


def test_quarantine_refusals_are_worded_in_the_configured_language(
    engine: Engine, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(engine) as session:
        session.add(Quarantined(adapter="myvnpost", source="poll", reason="x", raw="{}"))
    unknown = cli("quarantine", "resolve", "999", "--note", "đã xử lý tay")
    assert unknown.code == 1
    assert "Không có bản ghi cách ly số 999." in unknown.stderr
    assert ok_cli(cli("quarantine", "resolve", "1", "--note", "đã xử lý tay"))
    again = cli("quarantine", "resolve", "1", "--note", "lần nữa")
    assert "Bản ghi cách ly đã được xử lý: 1." in again.stderr
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    replayed = cli("quarantine", "replay", "1")
    assert "Quarantined record already resolved: 1." in replayed.stderr
    with session_scope(engine) as session, pytest.raises(QuarantineError) as caught:
        resolve(session, 1, actor="t", note=" ")
    assert str(caught.value) == "Closing a quarantined record needs a note saying why."


def ok_cli(result: CliResult) -> bool:
    assert result.code == 0, result.stderr
    return True
