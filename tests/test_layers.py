"""The import rules of issue 13 §1, read from the source's syntax trees.

Every import counts, at module level or inside a function (a lazy import is still a
dependency). The rules:

* ``reports`` and ``sync`` never import each other: the daemon's report job is composed
  above both, in ``postlink/worker.py``;
* ``legs`` (the rules of a leg) imports nothing from ``sync``, ``reports``, ``web``, ``cli``
  nor the postal adapters' HTTP side: it reaches the post through the adapter interface;
* ``reports`` imports nothing from ``sync``, ``web``, ``cli`` and writes nothing (it reads);
* ``postal`` imports nothing from ``sync``, ``reports``, ``web``, ``cli``;
* below ``web``/``cli`` no raised message names a command-line flag: errors are typed
  (``PostlinkError(code=..., **params)``) and the presenters word them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "postlink"

#: The postal modules that speak HTTP or build the adapters that do.
POSTAL_HTTP = (
    "postlink.postal.http",
    "postlink.postal.network",
    "postlink.postal.retry",
    "postlink.postal.rate",
    "postlink.postal.tokens",
    "postlink.postal.myvnpost",
    "postlink.postal.ngsp",
    "postlink.postal.sandbox",
)
PRESENTERS = ("postlink.web", "postlink.cli")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "postlink.reports": ("postlink.sync", *PRESENTERS),
    "postlink.sync": ("postlink.reports",),
    "postlink.legs": ("postlink.sync", "postlink.reports", *PRESENTERS, *POSTAL_HTTP),
    "postlink.postal": ("postlink.sync", "postlink.reports", *PRESENTERS),
}
#: What writing to the database looks like from ``reports`` (``Counts.add`` is arithmetic).
WRITE_IMPORTS = ("postlink.audit", "postlink.upsert", "postlink.db.session_scope")
WRITE_NAMES = frozenset({"insert", "update", "delete", "session_scope"})
WRITE_METHODS = frozenset({"commit", "flush", "add_all", "merge", "bulk_save_objects"})
FLAG = re.compile(r"--[a-z]")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(package: str) -> Iterator[tuple[str, ast.Module]]:
    folder = PACKAGE.parent.joinpath(*package.split("."))
    for path in sorted(folder.rglob("*.py")):
        yield _module(path), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(tree: ast.Module, module: str) -> Iterator[tuple[int, str]]:
    """Every imported name, absolute, with its line; ``from x import y`` gives ``x.y`` too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: -node.level] if node.level else []
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{module}:{line} imports {name}"
        for module, tree in _sources(package)
        for line, name in _imports(tree, module)
        if any(_within(name, prefix) for prefix in forbidden)
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_the_allowed_way(package: str) -> None:
    assert violations(package, FORBIDDEN[package]) == []


def writes(package: str) -> list[str]:
    found = []
    for module, tree in _sources(package):
        for line, name in _imports(tree, module):
            if name in WRITE_IMPORTS or (
                name.startswith("sqlalchemy.") and name.rsplit(".", 1)[-1] in WRITE_NAMES
            ):
                found.append(f"{module}:{line} imports {name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and (
                    node.func.attr in WRITE_METHODS
                    or (node.func.attr == "add" and _names_a_session(node.func.value))
                )
            ):
                found.append(f"{module}:{node.lineno} calls .{node.func.attr}()")
    return found


def _names_a_session(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and "session" in node.id


def test_reports_only_read() -> None:
    assert writes("postlink.reports") == []


def _raised_texts(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every string constant inside a ``raise`` statement, with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield node.lineno, part.value


def flag_messages(package: str) -> list[str]:
    """String constants in ``raise`` statements below the presenters that name a ``--flag``."""
    return [
        f"{module}:{line} {text!r}"
        for module, tree in _sources(package)
        if not any(_within(module, presenter) for presenter in PRESENTERS)
        for line, text in _raised_texts(tree)
        if FLAG.search(text)
    ]


def test_no_error_below_the_presenters_names_a_flag() -> None:
    assert flag_messages("postlink") == []


def test_the_checks_see_a_violation() -> None:
    """The rules read real trees: a planted lazy import and a planted flag are found."""
    planted = ast.parse(
        "def job():\n"
        "    from postlink.reports.daily import render_daily\n"
        "    raise ValueError('use --force')\n"
    )
    names = [name for _, name in _imports(planted, "postlink.sync.jobs")]
    assert any(_within(name, "postlink.reports") for name in names)
    assert any(FLAG.search(text) for _, text in _raised_texts(planted))
