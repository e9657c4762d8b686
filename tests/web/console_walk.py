"""Walk the console in a real browser as a person would, and say what is not Vietnamese.

Issue 14 "Done when": tried as a staff member and an admin would, the console shows no
English, no command-line flag, no raw JSON escape and no UTC time, and dates read
dd/mm/yyyy. ``test_words.py`` renders each template's HTML on the server; this walks what
Chromium actually shows — the text on screen, the titles, placeholders, ARIA labels, alt
texts and the options of every list box — following the navigation's links from the
dashboard, so a page is checked the way a person reaches it. Used by
``test_console_vietnamese.py`` and runnable by hand against a running demo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page

from postlink.words import catalogue

#: Words of English sentences, of the console's old English labels and of the services'
#: internal codes. None is a Vietnamese word (Vietnamese "in" = print, "to", "no", "do",
#: "an", "can" are, so they are left out).
_ENGLISH_WORDS = (
    "the|is|are|was|were|be|been|of|for|from|with|this|that|these|those|you|your|"
    "please|must|cannot|can't|should|would|could|will|not|and|or|but|if|when|there|"
    "already|expected|invalid|error|errors|found|required|missing|give|only|swap|item|"
    "items|none|true|false|null|field|value|failed|unknown|page|next|previous|back|"
    "login|logout|log|password|username|search|report|reports|save|cancel|submit|"
    "upload|download|dashboard|status|pending|running|eligible|excluded|draft|"
    "published|withdrawn|active|inactive|revoked|complete|incomplete|delivered|"
    "token|tokens|settings|forbidden|unauthorized|request|"
    "internal|server|method|allowed|entity|unprocessable|session|expired|csrf|"
    "created|updated|deleted|yes|ok|detail|loading|show|hide|open|close"
)
ENGLISH = re.compile(rf"\b({_ENGLISH_WORDS})\b", re.IGNORECASE)
#: A raw internal code (``unknown_procedure``, ``at_delivery_office``).
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
UTC = re.compile(r"\bUTC\b|\bGMT\b|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:[+-]00:00|Z)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?\b")
JSON_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")
#: mm/dd/yyyy: a second number that cannot be a month.
US_DATE = re.compile(r"\b(0[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/\d{4}\b")

#: Words a Vietnamese office uses as they are: formats, units, acronyms, the post's name.
ALLOWED = re.compile(
    r"\b(PDF|HTML|CSV|XLSX|Excel|HTTP|API|JSON|VNPost|MyVNPost|BCCI|TTHC|S10|UPU|NGSP)\b"
)


@cache
def english_sentences() -> tuple[str, ...]:
    """The catalogue's English texts, cut at their placeholders into runs of at least three
    words, where the English differs from the Vietnamese: a console page showing one is
    showing the English catalogue or a service's English words."""
    english, vietnamese = catalogue("en"), catalogue("vi")
    runs: set[str] = set()
    for code, text in english.items():
        if code.startswith("cli.") or vietnamese.get(code) == text:
            continue
        for run in re.split(r"\{[^}]*\}|[«»'\"():;\n]", text):
            run = " ".join(run.split()).strip(" .,-–")
            if len(run.split()) >= 3 and run.isascii() and ENGLISH.search(run):
                runs.add(run)
    return tuple(sorted(runs))


def problems(text: str) -> list[str]:
    """Each thing in ``text`` a Vietnamese reader should not see, with its context."""
    checked = ALLOWED.sub(" ", text)
    found = []
    for name, pattern in (
        ("English", ENGLISH),
        ("internal code", SNAKE),
        ("flag", FLAG),
        ("UTC time", UTC),
        ("ISO date", ISO_DATE),
        ("JSON escape", JSON_ESCAPE),
        ("mm/dd/yyyy", US_DATE),
    ):
        found += [
            f"{name}: «{checked[max(0, m.start() - 40) : m.end() + 40].strip()}»"
            for m in pattern.finditer(checked)
        ]
    found += [f"English message: «{run}»" for run in english_sentences() if run in text]
    return found


#: What a person reads on a page: the rendered text (innerText, so hidden parts are not
#: counted), the title, and the words shown beside or inside fields and images.
_SHOWN_JS = """() => {
  const parts = [document.title, document.body ? document.body.innerText : ''];
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],[alt]')) {
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const v = el.getAttribute(name); if (v) parts.push(v);
    }
  }
  for (const o of document.querySelectorAll('option')) parts.push(o.label || o.text);
  for (const b of document.querySelectorAll('input[type=submit],input[type=button]'))
    parts.push(b.value);
  return parts.join('\\n');
}"""

#: Date fields the browser words in its own locale (mm/dd/yyyy in an English Chromium).
_NATIVE_DATES_JS = """() => Array.from(
  document.querySelectorAll('input[type=date],input[type=datetime-local],input[type=month]'),
  el => el.name || el.id)"""


#: Text shown as the post sent it (a quarantined record's body, marked ``data-verbatim``):
#: its keys are the post's, but its letters must still read as letters.
_VERBATIM_JS = (
    """() => Array.from(document.querySelectorAll('[data-verbatim]'), e => e.innerText)"""
)


def shown_text(page: Page) -> str:
    """The page's words and those of the frames it embeds (a report's preview)."""
    return "\n".join(str(frame.evaluate(_SHOWN_JS)) for frame in page.frames)


def page_problems(page: Page) -> list[str]:
    """The page's problems, including browser-localised date fields and JSON escapes in
    the post's verbatim text."""
    text = shown_text(page)
    verbatim = [str(part) for frame in page.frames for part in frame.evaluate(_VERBATIM_JS)]
    for part in verbatim:
        text = text.replace(part, " ")
    found = problems(text)
    found += [
        f"JSON escape: «{m.group()}»" for part in verbatim for m in JSON_ESCAPE.finditer(part)
    ]
    found += [
        f"date field in the browser's locale: {name}" for name in page.evaluate(_NATIVE_DATES_JS)
    ]
    return found


#: Links a walk does not follow: logging out ends the walk's session.
_SKIP = re.compile(r"^/(logout|static/|openapi|docs|redoc|api/|webhooks/)")
#: A file export (reports and handover records in PDF, Excel, CSV): fetched, not opened.
_FILE = re.compile(r"/(file|record)\.(pdf|xlsx|csv|html)$|[?&]format=")


def shape(path_and_query: str) -> str:
    """A link's shape: numbers and codes in its path become ``{}``, its query keeps only
    the names of the parameters, so a walk opens a few of each kind of page, not all 800
    dossiers."""
    parts = urlsplit(path_and_query)
    path = "/".join("{}" if re.search(r"\d", seg) else seg for seg in parts.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page"})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Walk:
    """What a walk saw: each page's problems, the pages opened, the files fetched."""

    findings: dict[str, list[str]] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)

    def check(self, page: Page, where: str) -> None:
        found = page_problems(page)
        if found:
            self.findings[where] = found


def walk(
    page: Page, base: str, starts: Iterable[str], *, per_shape: int = 2, limit: int = 120
) -> Walk:
    """Open ``starts`` and every same-site link reachable from them (at most ``per_shape``
    pages of each shape, ``limit`` in all), checking each page, and fetch every file
    export linked, checking it answers."""
    seen: dict[str, int] = {}
    queue = list(starts)
    done: set[str] = set()
    result = Walk()
    while queue and len(result.opened) < limit:
        target = queue.pop(0)
        if target in done:
            continue
        done.add(target)
        if _FILE.search(urlsplit(target).path) or "format=" in target:
            answer = page.request.get(base + target)
            result.files[target] = (answer.status, answer.headers.get("content-type", ""))
            continue
        page.goto(base + target)
        result.opened.append(target)
        result.check(page, target)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "javascript:")):
                continue
            if href.startswith(base):
                href = href[len(base) :]
            if not href.startswith("/") or _SKIP.match(href):
                continue
            key = shape(href)
            if href not in done and seen.get(key, 0) < per_shape:
                seen[key] = seen.get(key, 0) + 1
                queue.append(href)
    return result
