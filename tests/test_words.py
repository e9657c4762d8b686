"""One message catalogue, Vietnamese first (issue 14 §1).

The catalogue is checked against the code base both ways: every code the code raises or
says has a Vietnamese and an English sentence with the same placeholders, and every entry is
used. The ``.po`` files are read with Babel's own reader too, so postlink's small run-time
reader cannot drift from the gettext format translators' tools write.
"""

from __future__ import annotations

import ast
import logging
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po as babel_read_po
from sqlalchemy import Engine

from postlink import words
from postlink.errors import ConfigError, PostlinkError
from postlink.reports.render import TEMPLATES_DIR
from postlink.settings import Language, get_settings, load_settings
from postlink.sync.runs import recorded
from tests import word_families
from tests.conftest import CliResult

PACKAGE = Path(words.__file__).parent
_REPORT = "report."
#: A report text's key: ``col.no``, ``period_quarter``.
_KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")
#: Entries the same in every language: the product's name, the empty cell's dash, and the
#: abbreviation (STT, số thứ tự) Vietnamese forms print over their numbering column.
_NEUTRAL = {"report.app_name", "report.label.none", "report.col.no"}
#: Flags of the command line (``--force``); only its own ``cli.`` sentences may name them.
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
#: Letters only Vietnamese writes: a Vietnamese sentence has at least one.
_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_VIETNAMESE = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


#: A family's prefix as the code writes it: ``cli.col.``, ``report.handover.agreed_``.
_PREFIX = re.compile(r"^[a-z_]+(\.[a-z_]+)*[._]$")


@dataclass
class _Scan:
    """What ``postlink/`` and the templates word: literal codes, and the families of codes
    built from a value with the members read from a literal table where the code iterates
    one (``word_families.literal_members``); ``unread`` names the family sites whose
    values could not be read so."""

    found: set[str] = field(default_factory=set)
    families: dict[str, set[str]] = field(default_factory=dict)
    unread: dict[str, list[str]] = field(default_factory=dict)

    def family(self, prefix: str, members: set[str] | None, where: str) -> None:
        self.families.setdefault(prefix, set()).update(members or ())
        if members is None:
            self.unread.setdefault(prefix, []).append(where)


def _report_key(prefix: str) -> bool:
    """Whether a prefix built outside ``text`` is of a report's keys (``title_key=
    f"title.handover.{kind}"``, read by the template's ``t``): no code starts with it, and
    report texts do."""
    vi = words.catalogue("vi")
    return not any(c.startswith(prefix) for c in vi) and any(
        c.startswith(_REPORT + prefix) for c in vi
    )


def _scan() -> _Scan:
    """Every code ``postlink/`` words or raises: the string arguments of ``say``/``say_in``/
    ``say_on``/``log_line``/``Phrase`` and ``ValueError`` (a settings validator's reason),
    ``code=`` keywords, the values assigned to a name ``code``, the catalogue's codes
    written in a table (a tuple or a dict's values); and every family of codes built from a
    value: an f-string or a sum with a code-like prefix, ``label``/``field_label`` and the
    console's ``word`` of a kind.

    The reports' words are ``report.<key>``: the keys given to ``text`` in Python and ``t`` in
    templates, the families given to ``label``, and every key written as a literal (a table's
    column keys) count; the report tests render each table."""
    scan = _Scan()
    tabled: set[str] = set()
    literals: set[str] = set()

    def strings(node: ast.AST) -> set[str]:
        """A literal, or either literal of ``"a" if … else "b"``."""
        if isinstance(node, ast.IfExp):
            return strings(node.body) | strings(node.orelse)
        return (
            {node.value}
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            else set()
        )

    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(PACKAGE))
        # SQL's ``text("…")`` (SQLAlchemy) is not the reports' ``text``.
        sql_text = any(
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("sqlalchemy")
            and any(alias.name == "text" for alias in node.names)
            for node in ast.walk(tree)
        )
        report_sites: set[int] = set()  # the f-strings and sums given to the reports' text
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", "")
                if name == "text" and not sql_text:
                    report_sites.add(id(node.args[0]))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0] if node.args else None
                if name in ("say", "say_in", "say_on", "log_line", "Phrase"):
                    scan.found |= {v for arg in node.args[:2] for v in strings(arg)}
                if name == "ValueError":  # a settings validator's reason, or a plain message
                    scan.found |= {v for v in strings(first) if _CODE.match(v)} if first else set()
                scan.found |= {
                    v for k in node.keywords if k.arg == "code" for v in strings(k.value)
                }
                # a report's word (not ``sa.text`` nor SQLAlchemy's ``text`` imported bare)
                if name == "text" and isinstance(node.func, ast.Name) and not sql_text and first:
                    scan.found |= {_REPORT + v for v in strings(first) if _KEY.match(v)}
                if name == "label" and isinstance(node.func, ast.Name) and first:
                    for kind in strings(first):  # label("status", value): report.status.*
                        scan.family(f"{_REPORT}{kind}.", set(), f"{where}:{node.lineno}")
                if name in ("word", "_worded") and first:  # the console's word of a kind
                    for kind in strings(first):
                        scan.family(f"word:{kind}", set(), f"{where}:{node.lineno}")
                if name == "field_label" and first:  # field_label("cli.status.field", k)
                    families = strings(first)
                    if isinstance(first, ast.Subscript):  # field_label(_LABELS[title], …)
                        families = {
                            v
                            for assign in ast.walk(tree)
                            if isinstance(assign, ast.Assign)
                            and any(
                                getattr(t, "id", "") == getattr(first.value, "id", None)
                                for t in assign.targets
                            )
                            and isinstance(assign.value, ast.Dict)
                            for item in assign.value.values
                            for v in strings(item)
                        }
                    for family in families:
                        scan.family(f"{family}.", set(), f"{where}:{node.lineno}")
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]  # say(f"cli.col.{name}"): a family of codes
                prefix = str(head.value) if isinstance(head, ast.Constant) else ""
                if _PREFIX.match(prefix):
                    if id(node) in report_sites or _report_key(prefix):
                        prefix = _REPORT + prefix
                    members = word_families.literal_members(tree, node)
                    scan.family(prefix, members, f"{where}:{node.lineno}")
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                for prefix in strings(node.left):  # text("handover.direction." + direction)
                    if _PREFIX.match(prefix):
                        prefix = _REPORT + prefix if id(node) in report_sites else prefix
                        scan.family(prefix, None, f"{where}:{node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.Tuple):  # a table of codes: (pattern, "cli.framework.…")
                tabled |= {v for item in node.elts for v in strings(item)}
            elif isinstance(node, ast.Dict):  # a table of codes: {ChangeKind.ADDED: "cli.…"}
                tabled |= {v for item in node.values for v in strings(item)}
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "code" for target in node.targets
            ):
                scan.found |= strings(node.value)
    for template in TEMPLATES_DIR.rglob("*.html"):
        page = template.read_text(encoding="utf-8")
        scan.found |= {
            _REPORT + key for key in re.findall(r"\bt\(\s*['\"]([^'\"]+)['\"]\s*\)", page)
        }
        for kind in re.findall(r"\bword\(\s*['\"]([a-z_]+)['\"]", page):
            scan.family(f"word:{kind}", set(), str(template.relative_to(TEMPLATES_DIR)))
        literals |= set(re.findall(r"['\"]([a-z_.]+)['\"]", page))
    scan.found |= tabled & set(words.catalogue("vi"))
    scan.found |= {_REPORT + key for key in literals} & set(words.catalogue("vi"))
    assert scan.families, "no family found: the scan is broken"
    scan.found -= {"cli", *words.LANGUAGES}
    return scan


def _family_codes(scan: _Scan) -> tuple[set[str], list[str]]:
    """Every concrete code of every family (its listed members and those read from the code's
    own tables), and what is wrong with the families: one found in the code but not listed
    in ``word_families`` (nor known not to be codes), a listed one the code no longer
    builds, and a family read from a table whose table could not be read."""
    listed = word_families.families()
    problems = [
        f"family {prefix!r} ({', '.join(sorted(scan.unread.get(prefix, []))) or 'found'}) "
        "has no members listed in tests/word_families.py"
        for prefix in scan.families
        if prefix not in listed and prefix not in word_families.NOT_CODES
    ]
    problems += [
        f"family {p!r} is listed but no code builds it" for p in set(listed) - set(scan.families)
    ]
    codes: set[str] = set()
    vi = words.catalogue("vi")
    for prefix, given in listed.items():
        if prefix not in scan.families:
            continue
        members = set(scan.families[prefix])
        if given == word_families.LITERAL:
            problems += [
                f"{prefix!r} at {site}: its values are not a literal table"
                for site in scan.unread.get(prefix, [])
            ]
        else:
            members |= set(given)
        if prefix.startswith("word:"):  # the console's value.<kind>.<v>, else the reports'
            kind = prefix.removeprefix("word:")
            for member in members:
                own, report = f"value.{kind}.{member}", f"{_REPORT}{kind}.{member}"
                codes.add(own if own in vi or report not in vi else report)
        elif prefix != "value.":
            codes |= {prefix + member for member in members}
    return codes, problems


@pytest.mark.parametrize("language", words.LANGUAGES)
def test_reader_agrees_with_babel(language: str) -> None:
    path = words.LOCALE_DIR / language / "LC_MESSAGES" / "postlink.po"
    with path.open("rb") as handle:
        reference = babel_read_po(handle)
    expected = {str(m.id): str(m.string) for m in reference if m.id and m.string}
    assert words.read_po(path) == expected
    assert len(expected) == len([m for m in reference if m.id])  # nothing left untranslated


def test_every_code_has_both_languages_with_the_same_placeholders() -> None:
    vi, en = words.catalogue("vi"), words.catalogue("en")
    assert set(vi) == set(en), f"only in one language: {set(vi) ^ set(en)}"
    for code, text in vi.items():
        assert text.strip(), code
        assert en[code].strip(), code
        if code in _NEUTRAL:
            continue
        assert _VIETNAMESE.search(text), f"{code} is not Vietnamese: {text!r}"
        assert en[code] != text, f"{code} has no English text of its own"
        assert _fields(text) == _fields(en[code]), code


def test_only_the_command_line_names_flags() -> None:
    for language in words.LANGUAGES:
        for code, text in words.catalogue(language).items():
            if not code.startswith("cli."):
                assert not _FLAG.search(text), f"{language} {code} names a flag: {text!r}"


def test_command_line_wordings_take_the_shared_parameters() -> None:
    vi = words.catalogue("vi")
    for code in vi:
        if code.startswith("cli.") and code.removeprefix("cli.") in vi:
            shared = code.removeprefix("cli.")
            assert _fields(vi[code]) <= _fields(vi[shared]), code


def test_every_family_of_codes_is_enumerated() -> None:
    """A family of codes built from a value (``say(f"cli.outbox.state.{state}")``) is
    listed with its real members in ``tests/word_families.py``; none is exempt."""
    _, problems = _family_codes(_scan())
    assert problems == []


def test_code_base_and_catalogue_match() -> None:
    scan = _scan()
    members, _ = _family_codes(scan)
    used = scan.found | members
    for language in words.LANGUAGES:
        missing = used - set(words.catalogue(language))
        assert missing == set(), f"codes used but missing from the {language} catalogue"
    catalogue = set(words.catalogue("vi"))
    unused = {
        code
        for code in catalogue
        if code not in used and not (code.startswith("cli.") and code[4:] in used)
    }
    assert unused == set(), "entries no code uses"


def test_a_typed_error_is_worded_when_shown() -> None:
    error = PostlinkError(code="period.reversed", start="05/03/2026", end="01/03/2026")
    assert str(error) == (
        "Khoảng thời gian không hợp lệ: ngày kết thúc 01/03/2026 trước ngày bắt đầu 05/03/2026."
    )
    assert error.params == {"start": "05/03/2026", "end": "01/03/2026"}
    assert str(PostlinkError("a written message")) == "a written message"


def test_language_is_a_setting_checked_at_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    absent = tmp_path / "absent.env"
    assert load_settings({}, absent).language is Language.VI
    assert load_settings({"POSTLINK_LANGUAGE": "en"}, absent).language is Language.EN
    with pytest.raises(ConfigError, match="POSTLINK_LANGUAGE='fr'"):
        load_settings({"POSTLINK_LANGUAGE": "fr"}, absent)
    # The .env file chooses the language too, once the settings are loaded.
    env_file = tmp_path / "chosen.env"
    env_file.write_text("POSTLINK_LANGUAGE=en\n")
    monkeypatch.setenv("POSTLINK_ENV_FILE", str(env_file))
    assert words.say("handover.no_items") == "Biên bản giao nhận cần ít nhất một bưu gửi."
    get_settings()
    assert words.say("handover.no_items") == "A handover needs at least one item."


def test_cli_speaks_vietnamese_and_english_on_request(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("report", "period", "-o", "p.html", "--quarter", "2026Q1", "--year", "2026")
    vietnamese = cli(*args)
    assert vietnamese.code == 1
    assert vietnamese.stderr.strip() == (
        "lỗi: Chỉ dùng một trong --from/--to, --quarter, --half, --year."
    )
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    english = cli(*args)
    assert english.stderr.strip() == (
        "error: Give only one of --from/--to, --quarter, --half, --year."
    )


def test_a_health_problem_says_what_to_do_on_each_surface() -> None:
    from postlink.sync.status import Problem, State

    problem = Problem("job_failing:pull", State.DEGRADED, 3, "timeout", {"job": "pull", "runs": 3})
    assert problem.title == "Công việc lỗi liên tiếp"
    assert problem.action == (
        "Công việc Lấy trạng thái từ bưu điện lỗi 3 lần liền: "
        "xem lỗi và kiểm tra kết nối bưu chính."
    )
    assert problem.action_cli == (
        "Công việc Lấy trạng thái từ bưu điện lỗi 3 lần liền: "
        "xem lỗi và chạy `postlink postal check`."
    )


#: The loggers whose lines postlink writes; the sandbox's access lines are the HTTP server's.
_LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}


def test_every_log_line_is_worded_from_the_catalogue() -> None:
    """The province's IT staff read the journal: each ``log.<level>(…)`` of postlink (the
    sandbox's pass-through of its HTTP server's access line aside) words its sentence with
    ``log_line``, never an English literal."""
    written = []
    for path in PACKAGE.rglob("*.py"):
        if "sandbox" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _LOG_CALLS
                and getattr(node.func.value, "id", "") == "log"
            ):
                first = node.args[0] if node.args else None
                if not (
                    isinstance(first, ast.Call) and getattr(first.func, "id", "") == "log_line"
                ):
                    written.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert written == [], "log lines not worded by log_line"


def test_a_job_line_keeps_its_keys_in_either_language(
    engine: Engine, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sentence follows POSTLINK_LANGUAGE; ``job=… outcome=…`` stay greppable, and an
    error's text is one quoted value."""
    caplog.set_level(logging.INFO, logger="postlink.jobs")
    with recorded(engine, "pull", "host-1") as counts:
        counts["pages"] += 2
    with pytest.raises(RuntimeError), recorded(engine, "push", "host-1"):
        raise RuntimeError("the post said no")
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    with recorded(engine, "pull", "host-1"):
        pass
    with pytest.raises(PostlinkError), recorded(engine, "pull", "host-1"):
        raise PostlinkError(code="schema.outdated", stored="0009", needed="0011")
    vi_ok, vi_error, en_ok, en_refused = [record.getMessage() for record in caplog.records]
    assert vi_ok.startswith("Kết thúc một lượt chạy công việc job=pull instance=host-1 outcome=ok")
    assert vi_ok.endswith(" pages=2")
    assert "job=push instance=host-1 outcome=error seconds=" in vi_error
    assert vi_error.endswith(" error='RuntimeError: the post said no'")
    assert en_ok.startswith("A job run ended job=pull instance=host-1 outcome=ok seconds=")
    # a refusal staff can act on is stored and logged as its sentence, without a class name
    assert "error='The database schema is at 0009, postlink needs 0011" in en_refused
    with engine.connect() as connection:
        stored = connection.execute(
            sa.text("SELECT error FROM job_run ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    assert stored.startswith("The database schema is at 0009, postlink needs 0011")


@pytest.mark.parametrize(
    "member", ["cli.outbox.state.refused", "report.status.returned", "value.job.pull"]
)
def test_a_family_member_missing_from_the_catalogue_is_caught(
    monkeypatch: pytest.MonkeyPatch, member: str
) -> None:
    """No family is exempt as a whole: deleting one member's entry fails the scan."""
    full = {language: dict(words.catalogue(language)) for language in words.LANGUAGES}
    del full["vi"][member]
    monkeypatch.setattr(words, "catalogue", lambda language: full[language])
    scan = _scan()
    members, problems = _family_codes(scan)
    assert problems == []
    missing = (scan.found | members) - set(full["vi"])
    # the console words report.status.* as value.status.*, else the reports' word: both gone
    assert member in missing
    assert missing <= {member, "value." + member.split(".", 1)[1]}
