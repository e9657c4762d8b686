"""``postlink postal check`` against the sandbox, as province IT would run it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import Exchange
from postlink.postal.myvnpost import mapping
from postlink.settings import get_settings
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle
from tests.sync.test_replay import MINUTES_ONLY


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


def test_check_names_the_reasons_it_would_quarantine(
    engine: Engine,
    cli: Callable[..., CliResult],
    sandbox_factory: Callable[..., SandboxHandle],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the earlier release's minutes-only time pattern, every record of the first page
    is unreadable: the check says why, not only how many (issue 16). The world ends today:
    the command reads the feed by the real date."""
    sandbox = sandbox_factory(start=date.today() - timedelta(days=15))
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox.url)
    monkeypatch.setenv("POSTLINK_POSTAL_FEED_PAGE_SIZE", "10")
    monkeypatch.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
    get_settings.cache_clear()
    result = cli("postal", "check", "--json")
    assert result.code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["quarantined_on_first_page"] == 10
    reasons = answer["quarantine_reasons"]
    assert sum(r["count"] for r in reasons) == 10
    assert all("not a time: dd/mm/YYYY HH:MM" in r["reason"] for r in reasons)
    text = cli("postal", "check")
    assert "Sẽ bị cách ly" in text.stdout
    assert "không đọc được thời gian" in text.stdout


def test_log_shows_the_path_of_each_call(
    engine: Engine,
    cli: Callable[..., CliResult],
    sandbox_server: SandboxHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTLINK_POSTAL_BASE_URL", sandbox_server.url)
    get_settings.cache_clear()
    assert cli("postal", "check").code == 0
    with Session(engine) as session:
        paths = {urlsplit(row.url).path for row in session.exec(select(Exchange))}
    assert len(paths) >= 2  # the login and the feed
    shown = cli("postal", "log")
    assert shown.code == 0
    assert "đường dẫn" in shown.stdout  # the heading of the path column
    for path in paths:
        assert path in shown.stdout
