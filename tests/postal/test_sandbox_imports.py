"""The sandbox plays the post: it must share no code with postlink's client (issue 11), or a
mistake in the client's reading of the brief would be repeated on the other side of every
contract test and pass unseen. Its imports are read from the source, not trusted."""

from __future__ import annotations

import ast
from pathlib import Path

import postlink.postal.sandbox

SANDBOX = Path(postlink.postal.sandbox.__file__).parent
PACKAGE = "postlink.postal.sandbox"


def _module_of(path: Path) -> str:
    parts = path.relative_to(SANDBOX).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _imports(source: str, module: str, package: bool) -> list[tuple[int, str]]:
    """Every module the source of ``module`` imports, relative imports resolved, by line."""
    here = module.split(".") if package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(here[: len(here) - node.level + 1]) if node.level else ""
            name = ".".join(part for part in (base, node.module or "") if part)
            found.append((node.lineno, name))
            found.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            found.extend(
                (node.lineno, arg.value)
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return found


def _reaches_postlink_outside_the_sandbox(module: str) -> bool:
    inside = module == PACKAGE or module.startswith(f"{PACKAGE}.")
    return (module == "postlink" or module.startswith("postlink.")) and not inside


def test_the_sandbox_imports_nothing_of_postlink_outside_itself() -> None:
    sources = sorted(SANDBOX.rglob("*.py"))
    assert len(sources) > 10, "the sandbox's sources were not found"
    offending = [
        f"{path.relative_to(SANDBOX.parent)}:{line}: {module}"
        for path in sources
        for line, module in _imports(
            path.read_text(encoding="utf-8"), _module_of(path), path.name == "__init__.py"
        )
        if _reaches_postlink_outside_the_sandbox(module)
    ]
    assert offending == [], "the sandbox imports the client:\n" + "\n".join(offending)


def test_the_check_sees_every_form_of_import() -> None:
    """The walk must catch absolute, relative and dynamic imports of the client, and let
    the sandbox's own modules through."""
    source = (
        "import postlink.postal.myvnpost.mapping\n"
        "from postlink.identifiers import s10_check_digit\n"
        "from ...signatures import sign_rsa\n"
        "from .. import terms\n"
        "from postlink.postal.sandbox.world import World\n"
        "importlib.import_module('postlink.postal.models')\n"
    )
    found = _imports(source, f"{PACKAGE}.myvnpost.probe", package=False)
    flagged = [module for _, module in found if _reaches_postlink_outside_the_sandbox(module)]
    assert flagged == [
        "postlink.postal.myvnpost.mapping",
        "postlink.identifiers",
        "postlink.identifiers.s10_check_digit",
        "postlink.postal.signatures",
        "postlink.postal.signatures.sign_rsa",
        "postlink.postal.models",
    ]
