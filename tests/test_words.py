"""One message catalogue, Vietnamese first (issue 14 §1).

The catalogue is checked against the code base both ways: every code the code raises or
says has a Vietnamese and an English sentence with the same placeholders, and every entry is
used. The ``.po`` files are read with Babel's own reader too, so postlink's small run-time
reader cannot drift from the gettext format translators' tools write.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po

from postlink import words
from postlink.errors import ConfigError, PostlinkError
from postlink.reports.render import TEMPLATES_DIR
from postlink.settings import Language, get_settings, load_settings
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


def _codes_in_source() -> set[str]:
    """Every code ``postlink/`` words or raises: the string arguments of ``say``/``say_in``/
    ``say_on`` and ``ValueError`` (a settings validator's reason), ``code=`` keywords, the
    values assigned to a name ``code``, the catalogue's codes written in a table (a tuple or
    a dict's values), and the entries of a family worded by an f-string or a sum
    (``say(f"cli.col.{name}")``: the CLI's tests run every such heading).

    The reports' words are ``report.<key>``: the keys given to ``text`` in Python and ``t`` in
    templates, the families given to ``label``, and every key written as a literal (a table's
    column keys) count; the report tests render each table."""
    found: set[str] = set()
    families: set[str] = set()
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
        # SQL's ``text("…")`` (SQLAlchemy) is not the reports' ``text``.
        sql_text = any(
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("sqlalchemy")
            and any(alias.name == "text" for alias in node.names)
            for node in ast.walk(tree)
        )
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("say", "say_in", "say_on"):
                    found |= {v for arg in node.args[:2] for v in strings(arg)}
                if name == "ValueError":  # a settings validator's reason, or a plain message
                    found |= {v for arg in node.args[:1] for v in strings(arg) if _CODE.match(v)}
                found |= {v for k in node.keywords if k.arg == "code" for v in strings(k.value)}
                # a report's word (not ``sa.text`` nor SQLAlchemy's ``text`` imported bare)
                if name == "text" and isinstance(node.func, ast.Name) and not sql_text:
                    found |= {
                        _REPORT + v for a in node.args[:1] for v in strings(a) if _KEY.match(v)
                    }
                if name == "label" and node.args:  # label("status", value): a family
                    families |= {f"{_REPORT}{v}." for v in strings(node.args[0])}
                if name == "field_label" and node.args:  # field_label("cli.status.field", k)
                    families |= {f"{v}." for v in strings(node.args[0])}
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]  # say(f"cli.col.{name}"): a family of codes
                if isinstance(first, ast.Constant) and str(first.value).endswith((".", "_")):
                    families |= {str(first.value), _REPORT + str(first.value)}
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                prefix = strings(node.left)  # text("handover.direction." + direction)
                families |= {p for v in prefix if v.endswith(".") for p in (v, _REPORT + v)}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.Tuple):  # a table of codes: (pattern, "cli.framework.…")
                tabled |= {v for item in node.elts for v in strings(item)}
            elif isinstance(node, ast.Dict):  # a table of codes: {ChangeKind.ADDED: "cli.…"}
                tabled |= {v for item in node.values for v in strings(item)}
            elif isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "code" for target in node.targets
            ):
                found |= strings(node.value)
    for template in TEMPLATES_DIR.rglob("*.html"):
        page = template.read_text(encoding="utf-8")
        found |= {_REPORT + key for key in re.findall(r"\bt\(\s*['\"]([^'\"]+)['\"]\s*\)", page)}
        literals |= set(re.findall(r"['\"]([a-z_.]+)['\"]", page))
    families |= {f"{v}." for v in tabled if _CODE.match(v)}  # a table of families
    found |= {code for code in words.catalogue("vi") if code.startswith(tuple(families))}
    found |= tabled & set(words.catalogue("vi"))
    found |= {_REPORT + key for key in literals} & set(words.catalogue("vi"))
    assert families, "no family found: the scan is broken"
    return found - {"cli", *words.LANGUAGES}


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


def test_code_base_and_catalogue_match() -> None:
    used = _codes_in_source()
    catalogue = set(words.catalogue("vi"))
    assert used - catalogue == set(), "codes used but missing from the catalogue"
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
