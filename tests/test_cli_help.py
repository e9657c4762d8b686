"""Every help page of the command line speaks Vietnamese by default (issue 14 §1).

The pages are rendered in a fresh interpreter, as a user's shell starts ``postlink``, with
no language configured: the option help texts are worded when their module is imported, so
an in-process walk would depend on which language an earlier test imported them in. The
walk starts from the lazy command table (``postlink.cli.COMMANDS``) and descends into every
Typer group, so a new command or subcommand is checked without touching this file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postlink.cli import COMMANDS
from tests.conftest import CliResult

WALK = """
import contextlib, io, json, sys
from postlink.cli import COMMANDS, load_command, main

def walk(path, command, found):
    found.append((path, command))
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        walk([*path, name], sub, found)

commands = []
for name in COMMANDS:
    walk([name], load_command(name), commands)
pages = {}
for path, command in [([], None), *commands]:
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        try:
            main([*path, "--help"])
        except SystemExit as exc:
            assert exc.code == 0, (path, exc.code)
    helps = {} if command is None else {
        param.name: param.help or "" for param in command.params if param.name != "help"
    }
    summary = "" if command is None else command.help or ""
    pages[" ".join(path)] = {"page": shown.getvalue(), "help": summary, "params": helps}
print(json.dumps(pages))
"""

#: Letters only Vietnamese writes: a Vietnamese sentence has at least one.
VIETNAMESE = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
#: What the framework writes in English when it is not given the catalogue's words.
ENGLISH_FRAMEWORK = re.compile(
    r"Usage:|\bOptions\b|\bArguments\b|\bCommands\b|Show this message and exit|\[default:"
    r"|\[required\]|\[OPTIONS\]|COMMAND \[ARGS\]|\[env var:|Try '"
)

#: The kinds of value the framework marks in English: Typer's ``<str>``, ``<int range>``,
#: ``<list[int]>`` or date formats, and click's ``TEXT``, ``INTEGER``, ``PATH``.
ENGLISH_TYPE = re.compile(
    r"<(?:str|int|float|bool|path|file|dir|datetime|uuid)(?: range)?>|<list\[|%[YmdHM]"
    r"|\b(?:TEXT|INTEGER|FLOAT|BOOLEAN|PATH|FILENAME|DIRECTORY|DATETIME)\b"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every help page, by command path, rendered in a fresh interpreter."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    environment |= {"COLUMNS": "100", "POSTLINK_ENV_FILE": "/nonexistent.env"}
    done = subprocess.run(
        [sys.executable, "-c", WALK],
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("help"),
        env=environment,
        check=True,
        timeout=300,
    )
    found: dict[str, dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_walk_reaches_every_command_and_subcommand(pages: dict[str, dict[str, Any]]) -> None:
    assert set(COMMANDS) <= set(pages)
    for expected in ("catalog import", "catalog edit", "sync backfill", "user add", "db upgrade"):
        assert expected in pages


def test_no_help_page_has_an_english_framework_line(pages: dict[str, dict[str, Any]]) -> None:
    for path, shown in pages.items():
        page = shown["page"]
        assert "Cách dùng: postlink" in page, path
        assert "Hiện hướng dẫn này rồi thoát." in page, path
        english = [line for line in page.splitlines() if ENGLISH_FRAMEWORK.search(line)]
        assert english == [], f"postlink {path} --help"


def test_no_help_page_marks_a_value_in_english(pages: dict[str, dict[str, Any]]) -> None:
    """Each option's kind of value is worded (``<văn bản>``, ``<ngày>``); a flag shows none."""
    for path, shown in pages.items():
        english = [line for line in shown["page"].splitlines() if ENGLISH_TYPE.search(line)]
        assert english == [], f"postlink {path} --help"
    importing = pages["catalog import"]["page"]
    assert re.search(r"--effective +<ngày>", importing)
    assert re.search(r"--decision +<văn bản>", importing)
    assert re.search(r"--publish +Công bố ngay", importing)
    assert re.search(r"--limit +<số nguyên> \[x>=1\]", pages["postal log"]["page"])


def test_every_command_and_option_help_is_vietnamese(pages: dict[str, dict[str, Any]]) -> None:
    for path, shown in pages.items():
        if not path:
            continue
        assert VIETNAMESE.search(shown["help"]), f"postlink {path}: {shown['help']!r}"
        for name, text in shown["params"].items():
            assert VIETNAMESE.search(text), f"postlink {path} {name}: {text!r}"


@pytest.mark.parametrize(
    ("args", "vietnamese", "english"),
    [
        (("statsu",), "Không có lệnh 'statsu'.", "No such command 'statsu'."),
        (
            ("catalog", "list", "--bogus"),
            "Không có tùy chọn --bogus.",
            "No such option: --bogus.",
        ),
        (("catalog", "import"), "Thiếu tham số 'file'.", "Missing argument 'file'."),
        (
            ("postal", "log", "--limit", "0"),
            "Giá trị không hợp lệ cho '--limit': cần lớn hơn hoặc bằng 1.",
            "Invalid value for '--limit': must be at least 1.",
        ),
        (
            ("report", "nope", "-o", "x.html"),
            "'nope' không phải một trong 'exclusions'",
            "'nope' is not one of 'exclusions'",
        ),
    ],
)
def test_usage_errors_are_worded_in_the_configured_language(
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    vietnamese: str,
    english: str,
) -> None:
    said = cli(*args)
    assert said.code == 2
    assert vietnamese in " ".join(said.stderr.split())
    assert "Cách dùng: postlink" in said.stderr
    assert "Lỗi" in said.stderr
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    said = cli(*args)
    assert said.code == 2
    assert english in " ".join(said.stderr.split())
    assert "Usage: postlink" in said.stderr


def test_help_in_english_on_request(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    environment |= {"COLUMNS": "100", "POSTLINK_LANGUAGE": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "postlink", "catalog", "import", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        check=True,
        timeout=60,
    )
    assert "Usage: postlink catalog import [OPTIONS]" in done.stdout
    assert "Show this message and exit." in done.stdout
    assert "Effective from" in done.stdout
    assert re.search(r"--effective +<date>", done.stdout)
