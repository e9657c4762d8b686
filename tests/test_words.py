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
from postlink.settings import Language, get_settings, load_settings
from tests.conftest import CliResult

PACKAGE = Path(words.__file__).parent
#: Flags of the command line (``--force``); only its own ``cli.`` sentences may name them.
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
#: Letters only Vietnamese writes: a Vietnamese sentence has at least one.
_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_VIETNAMESE = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _literals(node: ast.AST | None) -> list[str] | None:
    """The strings of a literal tuple, list or set of strings; None for anything else."""
    if not isinstance(node, ast.Tuple | ast.List | ast.Set):
        return None
    values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
    strings = [v for v in values if isinstance(v, str)]
    return strings if len(strings) == len(node.elts) else None


def _passed_on(node: ast.AST) -> bool:
    """A variable or attribute named ``code`` passes on a code written elsewhere (a typed
    error's, a ``code = …`` assignment's), which the scan reads where it is written."""
    return (isinstance(node, ast.Name) and node.id == "code") or (
        isinstance(node, ast.Attribute) and node.attr == "code"
    )


class _Codes:
    """The codes of one module's ``say``/``say_in``/``say_on`` calls, resolved to literals.

    A code is a literal, either literal of ``"a" if … else "b"``, an f-string whose one
    placeholder runs over a literal tuple (``say(f"cli.col.{c}") for c in ("id", "job")``,
    the tuple written in place or assigned to a name in the same function or module), or
    an entry of a module-level dict of literal codes (``say(_TITLES[kind])``). Anything
    else cannot be checked against the catalogue and is reported, not let through.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents = {
            child: parent
            for parent in ast.walk(self.tree)
            for child in ast.iter_child_nodes(parent)
        }
        self.found: set[str] = set()
        self.unresolved: list[str] = []

    def _enclosing(self, node: ast.AST) -> list[ast.AST]:
        chain = []
        while node in self.parents:
            node = self.parents[node]
            chain.append(node)
        return chain

    def _bound(self, name: str, scopes: list[ast.AST]) -> list[str] | None:
        """The literal tuple ``name`` is assigned in the nearest scope that assigns it."""
        for scope in scopes:
            if not isinstance(scope, ast.FunctionDef | ast.Module):
                continue
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                        return _literals(node.value)
        return None

    def _over(self, name: str, node: ast.AST) -> list[str] | None:
        """The values the loop variable ``name`` takes where ``node`` is evaluated."""
        scopes = self._enclosing(node)
        for scope in scopes:
            loops: list[ast.comprehension | ast.For] = []
            if isinstance(scope, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                loops = list(scope.generators)
            elif isinstance(scope, ast.For):
                loops = [scope]
            for loop in loops:
                if isinstance(loop.target, ast.Name) and loop.target.id == name:
                    if isinstance(loop.iter, ast.Name):
                        return self._bound(loop.iter.id, scopes)
                    return _literals(loop.iter)
        return None

    def _dict_values(self, name: str) -> list[str] | None:
        for node in self.tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    values = [v.value for v in node.value.values if isinstance(v, ast.Constant)]
                    return [v for v in values if isinstance(v, str)]
        return None

    def codes(self, node: ast.AST) -> set[str] | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            body, orelse = self.codes(node.body), self.codes(node.orelse)
            return None if body is None or orelse is None else body | orelse
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            values = self._dict_values(node.value.id)
            return None if values is None else set(values)
        if isinstance(node, ast.JoinedStr):
            holes = [v for v in node.values if isinstance(v, ast.FormattedValue)]
            if len(holes) != 1 or not isinstance(holes[0].value, ast.Name):
                return None
            values = self._over(holes[0].value.id, node)
            if values is None:
                return None
            head = "".join(
                str(v.value)
                for v in node.values[: node.values.index(holes[0])]
                if isinstance(v, ast.Constant)
            )
            tail = "".join(
                str(v.value)
                for v in node.values[node.values.index(holes[0]) + 1 :]
                if isinstance(v, ast.Constant)
            )
            return {f"{head}{value}{tail}" for value in values}
        return None

    def scan(self) -> None:
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("say", "say_in", "say_on") and node.args:
                code = node.args[0] if name == "say" else node.args[min(1, len(node.args) - 1)]
                if _passed_on(code):
                    continue
                resolved = self.codes(code)
                if resolved is None:
                    self.unresolved.append(f"{self.path.name}:{node.lineno}")
                else:
                    self.found |= resolved
            if name == "ValueError":  # a settings validator's reason, or a plain message
                self.found |= {
                    v for arg in node.args[:1] for v in self.codes(arg) or () if _CODE.match(v)
                }
            self.found |= {
                v for k in node.keywords if k.arg == "code" for v in self.codes(k.value) or ()
            }
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "code" for target in node.targets
            ):
                self.found |= self.codes(node.value) or set()


def _codes_in_source() -> set[str]:
    """Every code ``postlink/`` words or raises (``_Codes`` says how each is read). A code
    that cannot be read as literals fails the test: no prefix lets a family through."""
    found: set[str] = set()
    unresolved: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _Codes(path)
        module.scan()
        found |= module.found
        unresolved += module.unresolved
    assert unresolved == [], "codes that are not literals the catalogue test can read"
    return found


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
        "Công việc pull lỗi 3 lần liền: xem lỗi và kiểm tra kết nối bưu chính."
    )
    assert problem.action_cli == (
        "Công việc pull lỗi 3 lần liền: xem lỗi và chạy `postlink postal check`."
    )
