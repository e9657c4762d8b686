"""postlink's one message catalogue: every sentence a person reads, under a stable code.

Issue 14 §1: errors below the presenters are typed (``PostlinkError.code`` and ``params``);
the console, the API and the command line word them here, Vietnamese by default (staff of a
Vietnamese province read Vietnamese, domain brief §7) and English with
``POSTLINK_LANGUAGE=en``. The texts are gettext ``.po`` files under ``postlink/locale/``,
the format translators and their tools know, with the code as ``msgid`` and Python's
``{name}`` placeholders (``python-brace-format``).

The ``.po`` files are read directly at run time by the small reader below rather than
compiled to ``.mo`` with Babel: there is no build step to forget, the wheel ships the
sources it is read from, and reading one file of a few hundred entries costs a few
milliseconds, once per process, and imports nothing, so ``postlink --help`` stays light
(issue 15). The test suite parses the same files with Babel's
own reader and checks both agree, so the reader cannot drift from the format.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: The languages a catalogue exists for; the first is the default.
LANGUAGES = ("vi", "en")
LANGUAGE_VARIABLE = "POSTLINK_LANGUAGE"
LOCALE_DIR = Path(__file__).parent / "locale"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    """The value of one ``"…"`` literal of a ``.po`` file (C escapes)."""
    body = text.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError(f"not a quoted .po string: {text!r}")
    out: list[str] = []
    chars = iter(body[1:-1])
    for char in chars:
        out.append(_ESCAPES.get(next(chars, "\\"), "\\") if char == "\\" else char)
    return "".join(out)


def read_po(path: Path) -> dict[str, str]:
    """``msgid → msgstr`` of a ``.po`` file; the header (empty msgid) and untranslated
    (empty msgstr) entries are left out, so a missing text is missing, not empty."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        msgid, msgstr = current.get("msgid", ""), current.get("msgstr", "")
        if msgid and msgstr:
            entries[msgid] = msgstr
        current.clear()

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith('"'):
                current[key] += _unquote(line)
                continue
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid" and "msgid" in current:
                flush()
            key = keyword
            current[key] = _unquote(rest)
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
    flush()
    return entries


@cache
def catalogue(language: str) -> dict[str, str]:
    """The texts of ``language``, read once per process."""
    return read_po(LOCALE_DIR / language / "LC_MESSAGES" / "postlink.po")


def language() -> str:
    """The configured language: the loaded settings' (which read ``.env`` too and refuse a
    bad value at start-up), or before they are loaded the environment's, so that wording a
    help text never imports pydantic and SQLAlchemy (issue 15); Vietnamese otherwise."""
    settings = sys.modules.get("postlink.settings")
    if settings is not None and settings.get_settings.cache_info().currsize:
        return str(settings.get_settings().language)
    chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return chosen if chosen in LANGUAGES else LANGUAGES[0]


def say(code: str, /, **params: object) -> str:
    """The sentence for ``code`` in the configured language, parameters filled in."""
    return say_in(language(), code, **params)


def say_in(lang: str, code: str, /, **params: object) -> str:
    """The sentence for ``code`` in ``lang``; a code without one is a bug the catalogue
    test catches, so it raises rather than show a raw code to a person."""
    return catalogue(lang)[code].format(**params)


def say_on(surface: str, code: str, /, **params: object) -> str:
    """``code`` as ``surface`` words it: its own ``<surface>.<code>`` sentence where the
    catalogue has one (the command line's may name its flags), else the shared one."""
    own = f"{surface}.{code}"
    if own in catalogue(language()):
        code = own
    return say(code, **params)


def value_word(kind: str, value: str) -> str | None:
    """The word for a stored coded value — a job, an outcome, a role, a match class — under
    ``value.<kind>.<value>``, or None when the catalogue has none (the caller falls back)."""
    code = f"value.{kind}.{value}"
    return say(code) if code in catalogue(language()) else None


@dataclass(frozen=True, slots=True)
class Phrase:
    """A sentence said below the presenters (a publication plan's line): a catalogue code
    and its parameters, worded only when shown, in the language of whoever shows it."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return say(self.code, **self.params)


@dataclass(frozen=True, slots=True)
class CodedValue:
    """A stored coded value given as a sentence's parameter (a version's status): worded
    as ``value.<kind>.<value>`` when the sentence is, shown as stored when it has no word."""

    kind: str
    value: str

    def __str__(self) -> str:
        return value_word(self.kind, self.value) or self.value

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def log_line(code: str, /, **fields: object) -> str:
    """A log line: the sentence for ``code`` in the configured language (the province's IT
    staff read the journal too), then ``key=value`` for each field, in the order given.

    The keys stay English and the values as stored, so that ``journalctl | grep job=pull`` finds
    the same lines in either language; only the sentence is worded. The caller passes no
    personal data (Law 91/2025/QH15): codes, counts and ids only.
    """
    pairs = " ".join(f"{key}={_logged(value)}" for key, value in fields.items())
    return f"{say(code)} {pairs}" if pairs else say(code)


def _logged(value: object) -> str:
    """A field's value as one token: quoted (``repr``) when it is empty or has a space or an
    ``=`` (an error's text), so a line still splits into its ``key=value`` pairs."""
    text = str(value)
    return repr(text) if not text or "=" in text or any(c.isspace() for c in text) else text
