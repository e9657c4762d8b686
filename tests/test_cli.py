"""The CLI as a province IT person meets it: help, db, config, one-line errors, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_help_lists_command_groups(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for group in ("config", "db"):
        assert group in result.stdout


def test_db_upgrade_then_current(cli: Cli, engine: Engine) -> None:
    assert cli("db", "upgrade").code == 0
    result = cli("db", "current", "--json")
    assert result.code == 0
    state = json.loads(result.stdout)
    assert state["up_to_date"] is True
    assert state["current"] == state["head"]


def test_db_upgrade_creates_embedded_sqlite_from_nothing(cli: Cli, tmp_path: Path) -> None:
    result = cli("db", "upgrade")
    assert result.code == 0, result.stderr
    assert (tmp_path / "var" / "postlink.db").exists()
    assert "Đã tạo cơ sở dữ liệu mới, phiên bản" in result.stdout


def test_config_show_json_masks_secrets(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTLINK_POSTAL_PASSWORD", "s3cret-pass")
    result = cli("config", "show", "--json")
    assert result.code == 0
    settings = json.loads(result.stdout)
    assert settings["POSTLINK_POSTAL_PASSWORD"] == "********"
    assert "s3cret-pass" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("POSTLINK_TIMEZONE", "Mars/Olympus"), ("POSTLINK_DATABASE_URL", "::nonsense::")],
)
def test_bad_setting_is_one_line_and_non_zero(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = cli("config", "show")
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_unexpected_error_is_one_line_and_debug_shows_traceback(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("POSTLINK_DATA_DIR", str(blocker))
    plain = cli("db", "upgrade")
    assert plain.code == 1
    assert len(plain.stderr.strip().splitlines()) == 1
    assert "--debug" in plain.stderr
    debug = cli("--debug", "db", "upgrade")
    assert debug.code == 1
    assert "Traceback" in debug.stderr


def test_console_script_is_installed_and_runs() -> None:
    """The installed ``postlink`` entry point works outside the test process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    env["POSTLINK_TIMEZONE"] = "Mars/Olympus"
    script = Path(sys.executable).parent / "postlink"
    result = subprocess.run(
        [str(script), "config", "show"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "POSTLINK_TIMEZONE='Mars/Olympus'" in result.stderr
