"""The families of message codes postlink builds from a value, and each family's members.

``say(f"cli.outbox.state.{state}")`` words any state it is given, so a scan for the codes
the code base uses cannot see which states need an entry. Each such family is listed here
with the values it is really built from — the enums, the configuration and the tables the
values come from — so the catalogue test (``tests/test_words.py``) requires every concrete
code in Vietnamese and English. A family found in the code but not listed here fails that
test: a new family is listed when it is written. Where the code iterates a literal table
itself (``for column in ("id", "at")``), the scan reads the members from that table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from postlink.catalog.diff import DETAIL_ATTRIBUTES, ChangeKind
from postlink.catalog.snapshots import EntrySnapshot, eligibility
from postlink.cli.demo_cmd import _LABELS as DEMO_TABLES
from postlink.legs.calendar import DayKind
from postlink.legs.status import LegStatus
from postlink.models import Direction, ItemState, LegKind, MatchClass, OutboxState, Role
from postlink.models.exchange import Quarantined
from postlink.reports.registry import ReportName
from postlink.states import Level, VersionStatus
from postlink.sync.runs import ABANDONED, RUNNING
from postlink.worker import JOBS

#: Read from the table a family's code iterates in the code itself (see ``literal_members``).
LITERAL = "literal"
ROUTE_TABLE_SOURCE = Path(__file__).parents[1] / "postlink" / "legs" / "route_table.py"


def _values(*enums: type[Enum]) -> set[str]:
    return {str(member.value) for enum in enums for member in enum}


def _eligibilities() -> set[str]:
    """Every service form ``snapshots.eligibility`` says, from the four combinations."""
    forms = set()
    for submission in (True, False):
        for back in (True, False):
            entry = EntrySnapshot(
                *("1.000001", "1.000001", "x", "", None, "", ""), submission, back, "", "", ""
            )
            forms.add(eligibility(entry))
    return forms


def _route_reasons() -> set[str]:
    """The reasons ``route_table`` fails a file with: the third argument of its ``fail``."""
    tree = ast.parse(Path(ROUTE_TABLE_SOURCE).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "fail":
            reason = node.args[2] if len(node.args) > 2 else None
            if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                found.add(reason.value)
            elif isinstance(reason, ast.IfExp):
                found |= {
                    branch.value
                    for branch in (reason.body, reason.orelse)
                    if isinstance(branch, ast.Constant)
                }
            elif isinstance(reason, ast.Name):  # ``reason = "a" if … else "b"`` just above
                for other in ast.walk(tree):
                    if isinstance(other, ast.Assign) and any(
                        getattr(t, "id", "") == reason.id for t in other.targets
                    ):
                        value = other.value
                        if isinstance(value, ast.IfExp):
                            found |= {
                                b.value
                                for b in (value.body, value.orelse)
                                if isinstance(b, ast.Constant) and isinstance(b.value, str)
                            }
    return found


PACKAGE_SOURCE = Path(__file__).parents[1] / "postlink"


def _audit_actions() -> set[str]:
    """Every action written to the audit log: each literal ``action=`` (``audit.record`` and
    the catalog's helpers that pass it on), and the one the login route's ``_audit`` takes."""
    found: set[str] = set()
    for path in PACKAGE_SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            given = [k.value for k in node.keywords if k.arg == "action"]
            if name == "_audit" and len(node.args) > 2:
                given.append(node.args[2])
            found |= {v.value for v in given if isinstance(v, ast.Constant)}
    return found


def families() -> dict[str, set[str] | str]:
    """Each family's prefix and its members, or ``LITERAL``. A ``word:<kind>`` family is a
    coded value the console words as ``value.<kind>.<v>``, else as the reports'
    ``report.<kind>.<v>`` (``web.templating.word``): either entry will do."""
    jobs = {job.name for job in JOBS} | {"webhook"}  # the webhook's runs: web/webhook.py
    outcomes = {"ok", "error", RUNNING, ABANDONED}  # sync/runs.py
    # A handover record is "in" or "out", and a supplement is received ("in") only.
    records = _values(Direction) | {f"{Direction.IN.value}_supplement"}
    coded: dict[str, set[str]] = {
        "leg": _values(LegKind),
        "leg_short": _values(LegKind),
        "status": _values(LegStatus),
        "match": _values(MatchClass),
        "outbox": _values(OutboxState),
        "version": _values(VersionStatus),
        "role": _values(Role),
        "change": _values(ChangeKind),
        "state": _values(ItemState),
        "direction": _values(Direction),
        "eligibility": _eligibilities(),
        "attribute": {"eligibility", "name", "reason", *DETAIL_ATTRIBUTES},
        "job": jobs,
        "outcome": outcomes,
        "action": _audit_actions(),  # the audit view's column (web/audit_view.py)
    }
    return {
        **{f"word:{kind}": members for kind, members in coded.items()},
        # words.value_word builds value.<kind>.<value>: its kinds are the word:<kind> families.
        "value.": set(),
        "cli.catalog.status.": _values(VersionStatus),
        "cli.outbox.state.": _values(OutboxState),
        "cli.match.": _values(MatchClass),
        "cli.demo.by.": set(DEMO_TABLES),
        "cli.col.": LITERAL,
        "cli.catalog.field.": LITERAL,
        "cli.db.field.": LITERAL,
        "cli.postal.field.": LITERAL,
        # postlink quarantine show: the record's columns but its raw body, shown below them
        # (and replay's counts, read from the table it iterates).
        "cli.quarantine.field.": set(Quarantined.model_fields) - {"raw"},
        "cli.status.field.": STATUS_FIELDS,
        "report.level.": _values(Level) | {"none"},
        "report.leg.": _values(LegKind),
        "report.leg_short.": _values(LegKind),
        "report.status.": _values(LegStatus),
        "report.handover.direction.": _values(Direction),
        "report.title.": _values(ReportName) - {ReportName.HANDOVER.value},
        "report.title.handover.": records,
        "report.handover.agreed_": records,
        "report.state.": _values(ItemState),
        "report.source.": {"leg", "refused"},  # reports/exclusions.py: a leg, or a refusal
        "routes.day.": _values(DayKind),
        "routes.explain.kind.": _values(LegKind),
        "routes.reason.": _route_reasons(),
        "postal.network.": NETWORK_FAILURES,
        "postal.network.check.": NETWORK_FAILURES,
    }


#: The kinds of network failure postal/network.py ``classify`` returns.
NETWORK_FAILURES = {
    "tls",
    "connect_timeout",
    "read_timeout",
    "dns",
    "refused",
    "unreachable",
    "broken",
}

#: ``postlink status``'s backlog: sync/status.py ``collect`` returns these beside the jobs.
STATUS_FIELDS = {
    "feed_lag_seconds",
    "outbox_pending",
    "outbox_failed",
    "quarantined_open",
    "overdue_open_legs",
}

#: Strings built like a family of codes that are not codes, each with what it is.
NOT_CODES = {
    "postlink.cli.": "a command's module (cli/__init__.py)",
    "rows.": "where a route table's error is (rows.<name>), a parameter of routes.invalid",
    "ix_": "an index name in a migration",
    "new_": "a column alias in postal/retention.py",
    "plk_": "the prefix of an API token (web/accounts.py)",
}


def literal_members(tree: ast.AST, site: ast.JoinedStr) -> set[str] | None:
    """The values an f-string's one placeholder takes when the code iterates a literal
    table for it (``for c in ("id", "at")``, ``for k, v in fields.items()`` over a dict
    literal, a ``|`` of such); None when they cannot be read so."""
    names = [v.value for v in site.values if isinstance(v, ast.FormattedValue)]
    if len(names) != 1 or not isinstance(names[0], ast.Name):
        return None
    name = names[0].id
    for node in ast.walk(tree):
        generators = getattr(node, "generators", None)
        if generators is None or not any(site is n for n in ast.walk(node)):
            continue
        for generator in generators:
            target = generator.target
            first = target.elts[0] if isinstance(target, ast.Tuple) else target
            if isinstance(first, ast.Name) and first.id == name:
                members = _literal(tree, generator.iter, node)
                return None if members is None else members - _left_out(generator.ifs, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and any(site is n for n in ast.walk(node)):
            target = node.target
            first = target.elts[0] if isinstance(target, ast.Tuple) else target
            if isinstance(first, ast.Name) and first.id == name:
                return _literal(tree, node.iter, node)
    return None


def _left_out(conditions: list[ast.expr], name: str) -> set[str]:
    """The values a comprehension's ``if k != "x"`` or ``if k not in (…)`` leaves out."""
    out: set[str] = set()
    for condition in conditions:
        if (
            isinstance(condition, ast.Compare)
            and getattr(condition.left, "id", None) == name
            and len(condition.ops) == 1
        ):
            right = condition.comparators[0]
            if isinstance(condition.ops[0], ast.NotEq):
                out |= _strings([right]) or set()
            elif isinstance(condition.ops[0], ast.NotIn) and isinstance(right, ast.Tuple):
                out |= _strings(right.elts) or set()
    return out


def _literal(tree: ast.AST, node: ast.expr, near: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        parts: list[set[str] | None] = [
            _literal(tree, e.value, near) if isinstance(e, ast.Starred) else _strings([e])
            for e in node.elts
        ]
        return None if any(p is None for p in parts) else set().union(*parts)  # type: ignore[arg-type]
    if isinstance(node, ast.Dict):
        return _strings([k for k in node.keys if k is not None])
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "items":
        return _literal(tree, node.func.value, near)  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _literal(tree, node.left, near), _literal(tree, node.right, near)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Name):
        function = _enclosing_function(tree, near)
        for assign in ast.walk(function or tree):
            if isinstance(assign, ast.Assign) and any(
                getattr(t, "id", "") == node.id for t in assign.targets
            ):
                return _literal(tree, assign.value, near)
    return None


def _strings(nodes: Iterable[ast.expr]) -> set[str] | None:
    found = set()
    for node in nodes:
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return None
        found.add(node.value)
    return found


def _enclosing_function(tree: ast.AST, near: ast.AST) -> ast.AST | None:
    inner = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(near is n for n in ast.walk(node)):
            inner = node  # ast.walk goes outside in: the last one found is the innermost
    return inner
