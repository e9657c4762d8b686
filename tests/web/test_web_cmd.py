"""``postlink user`` and ``postlink token``: provisioning from the command line, audited."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.models import AuditEntry
from postlink.settings import get_settings
from postlink.web import accounts
from postlink.web.secret import session_key
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_user_add_passwd_and_token_create(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "first-password\n")
    added = cli("user", "add", "Lan", "--role", "admin", "--password-stdin")
    assert added.code == 0, added.stderr
    assert "Đã tạo tài khoản lan (admin)" in added.stdout
    _stdin(monkeypatch, "second-password\n")
    assert cli("user", "passwd", "lan", "--password-stdin").code == 0
    with Session(engine) as session:
        assert accounts.authenticate(session, "lan", "second-password") is not None
        assert accounts.authenticate(session, "lan", "first-password") is None
    token = cli("token", "create", "một cửa")
    assert token.code == 0
    secret = token.stdout.strip()
    assert secret.startswith("plk_")
    with Session(engine) as session:
        assert accounts.token_for(session, secret) is not None
        actions = session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))).all()
        actors = set(session.exec(select(AuditEntry.actor)).all())
    assert actions == ["user.create", "user.password", "token.create"]
    assert all(actor.startswith("cli") for actor in actors)


def test_user_errors_are_one_line(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "short\n")
    short = cli("user", "add", "lan", "--password-stdin")
    assert short.code == 1
    assert "Mật khẩu phải có ít nhất 8 ký tự." in short.stderr
    _stdin(monkeypatch, "good-password\n")
    assert cli("user", "add", "lan", "--password-stdin").code == 0
    _stdin(monkeypatch, "good-password\n")
    again = cli("user", "add", "lan", "--password-stdin")
    assert again.code == 1
    assert "Tài khoản lan đã có; muốn đổi mật khẩu, dùng `postlink user passwd`." in again.stderr
    assert (
        "Không có tài khoản nobody." in cli("user", "passwd", "nobody", "--password-stdin").stderr
    )


def test_production_hashing_follows_rfc_9106(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web tests swap in a cheap hasher (conftest); undone here to check the real one."""
    monkeypatch.undo()
    hasher = accounts._HASHER
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert hasher.type.name == "ID"


def test_generated_session_key_is_private_and_stable() -> None:
    settings = get_settings()
    key = session_key(settings)
    path = settings.data_dir / "secret_key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert session_key(settings) == key
    assert len(key) >= 32
