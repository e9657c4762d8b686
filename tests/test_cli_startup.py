"""The command line starts in a blink: a command imports only what it uses (issue 15).

Each command runs in a fresh interpreter, as a user or a monitoring check starts it, and
reports which heavy libraries ended up in ``sys.modules``. The times themselves are
benchmarked (``bench/startup_bench.py``), not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink.cli import COMMANDS, load_command

#: What no quick command may load: the web app and its server, Alembic, the PDF and XLSX
#: writers, the scheduler, the password hasher, and the HTTP client that comes with the sync
#: stack (``status`` reads its job table from ``sync/schedule.py``, not ``sync/jobs.py``).
HEAVY = (
    "postlink.web.app",
    "fastapi",
    "uvicorn",
    "alembic",
    "weasyprint",
    "openpyxl",
    "apscheduler",
    "argon2",
    "requests",
)

#: What the two commands a monitoring check or a one-stop desk runs all day, ``status
#: --json`` and ``catalog resolve``, must not load either (issue 15 §2): they read a few
#: columns through SQLAlchemy Core (``postlink.tables``), so not the ORM and the models, nor
#: the postal adapters and the sandbox, the templates' engine, the reports, the migrations,
#: the spreadsheet importer or the sync jobs.
HEAVY_FOR_QUICK_READS = (
    *HEAVY,
    "jinja2",
    "postlink.web",
    "postlink.postal",
    "postlink.reports",
    "postlink.migrations",
    "postlink.catalog.importer",
    "postlink.sync.jobs",
    "sqlalchemy.orm",
    "sqlmodel",
    "postlink.models",
)

RUN = """
import json, sys
from postlink.cli import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
names = sys.argv[1].split(",")
loaded = sorted(
    name for name in names if any(m == name or m.startswith(name + ".") for m in sys.modules)
)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def loaded_by(*args: str, cwd: Path, banned: tuple[str, ...] = HEAVY) -> tuple[int, set[str], str]:
    """Run ``postlink ARGS`` in a new interpreter: its exit code, which of the ``banned``
    modules (or modules under them) it loaded, and its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, ",".join(banned), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["loaded"]), done.stdout


def test_help_loads_no_heavy_module_and_no_database_library(tmp_path: Path) -> None:
    code, loaded, shown = loaded_by("--help", cwd=tmp_path)
    assert code == 0
    assert loaded == set()
    for name in COMMANDS:
        assert f" {name} " in shown, f"{name} missing from --help"
    _, loaded, _ = loaded_by("--version", cwd=tmp_path)
    assert loaded == set()


def test_help_loads_not_even_sqlalchemy(tmp_path: Path) -> None:
    _, loaded, _ = loaded_by("--help", cwd=tmp_path, banned=("sqlalchemy", "pydantic", "sqlmodel"))
    assert loaded == set()


def test_config_show_loads_no_heavy_module(engine: Engine, tmp_path: Path) -> None:
    code, loaded, shown = loaded_by("config", "show", "--json", cwd=tmp_path)
    assert code == 0
    json.loads(shown)  # the command really ran and answered
    assert loaded == set()


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--json"),
        ("status", "--json", "--runs", "3"),
        ("catalog", "resolve", "1.000894", "--at", "2026-03-01T10:00", "--json"),
        ("catalog", "resolve", "1.000894", "--agency", "000.00.00.H14"),
    ],
)
def test_status_and_resolve_read_through_core_alone(
    engine: Engine, tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, loaded, shown = loaded_by(*args, cwd=tmp_path, banned=HEAVY_FOR_QUICK_READS)
    assert code in (0, 1, 2), "status exits 1 degraded, 2 stale; resolve 1 when not found"
    if "--json" in args:
        json.loads(shown)  # the command really ran and answered
    else:
        assert "Không có danh mục nào áp dụng lúc" in shown  # the test database holds no list
    assert loaded == set()


def test_every_listed_command_loads_with_the_summary_help_shows() -> None:
    for name, (_, _, summary) in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert (command.help or "").splitlines()[0].strip() == summary, name


def test_a_misspelt_command_is_refused(tmp_path: Path) -> None:
    code, loaded, _ = loaded_by("statsu", cwd=tmp_path)
    assert code == 2
    assert loaded == set()
