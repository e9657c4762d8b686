"""The README's promises: CI runs exactly its test command."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.conftest import CliResult

ROOT = Path(__file__).parent.parent


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_two_commands_and_ci_runs_the_test_one() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    test_command = commands[1]
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def _console_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the README's console blocks with the lines it shows after it."""
    readme = (ROOT / "README.md").read_text()
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.+?)\n```", readme, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            else:
                examples[-1][1].append(line)
    return examples


def test_readme_console_examples_run_as_shown(
    cli: Callable[..., CliResult], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = _console_examples()
    assert len(examples) >= 3
    for command, shown in examples:
        words = shlex.split(command)
        with monkeypatch.context() as scoped:
            while "=" in words[0]:
                name, value = words.pop(0).split("=", 1)
                scoped.setenv(name, value)
            assert words.pop(0) == "postlink"
            result = cli(*words)
        for line in shown:
            assert line in result.stdout + result.stderr, (command, line)
        if "resolve" in words:
            answer = json.loads(result.stdout)
            assert answer["code"] == "1.000894"
            assert answer["postal_submission"] is False
            assert answer["reason"]
