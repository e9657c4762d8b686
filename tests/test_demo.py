"""The README's main command: `postlink demo` shows records flowing in, matched and flagged."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import Leg, OutboxCommand
from tests.conftest import CliResult


def test_demo_runs_the_worker_on_the_sandbox(cli: Callable[..., CliResult], engine: Engine) -> None:
    result = cli("demo", "--orders", "300", "--duration", "6")
    assert result.code == 0, result.stderr
    assert "Đã công bố danh mục mẫu 125/QĐ-UBND" in result.stdout
    assert "bị từ chối" in result.stdout
    assert "Giao diện web: http://127.0.0.1:" in result.stdout
    assert "tài khoản demo, mật khẩu postlink-demo" in result.stdout
    with Session(engine) as session:
        legs = session.exec(select(Leg)).all()
        commands = session.exec(select(OutboxCommand)).all()
    assert len(legs) >= 300
    assert {leg.match_class for leg in legs} >= {"eligible", "excluded", "unknown_procedure"}
    assert sorted(c.state for c in commands) == ["refused", "sent", "sent", "sent"]
