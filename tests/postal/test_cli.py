"""``postlink postal check`` against the sandbox, as province IT would run it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from postlink.settings import get_settings
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle


def test_check_logs_in_and_reads_a_page(
    engine: Engine,
    cli: Callable[..., CliResult],
    sandbox_server: SandboxHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    monkeypatch.setenv("POSTLINK_POSTAL_FEED_PAGE_SIZE", "10")
    get_settings.cache_clear()
    result = cli("postal", "check", "--json")
    assert result.code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["login"] == "ok"
    assert answer["adapter"] == "myvnpost"


def test_check_with_bad_credentials_is_one_line(
    engine: Engine,
    cli: Callable[..., CliResult],
    sandbox_server: SandboxHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    monkeypatch.setenv("POSTLINK_POSTAL_PASSWORD", "wrong-password")
    get_settings.cache_clear()
    result = cli("postal", "check")
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "MyVNPost refused the login" in result.stderr
    assert "wrong-password" not in result.stderr
