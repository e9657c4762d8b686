"""Jinja2 for the console: autoescaped, strict, and speaking the office's Vietnamese.

Everything on a page that comes from the post, from an upload or from a citizen is escaped
(autoescape on, no ``|safe`` in the console's templates), so a name like ``<script>`` shows
as text. Dates are dd/mm/yyyy and times are shown in ``POSTLINK_TIMEZONE`` (domain brief §7);
phone numbers are masked everywhere but the dossier page (Law 91/2025/QH15 on personal
data protection).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from postlink.models import User
from postlink.reports.formatting import day, mask_phone, number
from postlink.reports.render import TEMPLATES_DIR
from postlink.reports.strings import label
from postlink.settings import Settings
from postlink.timeutil import format_local
from postlink.web.forms import DATE_INPUT_PATTERN
from postlink.web.security import CSRF_FIELD, csrf_token
from postlink.words import value_word


def word(prefix: str, value: str | None) -> str:
    """The console's label for a coded value (``value.<prefix>.<value>`` in the message
    catalogue), falling back to the reports' words."""
    if value is None:
        return "—"
    return value_word(prefix, value) or label(prefix, value)


def build_templates(settings: Settings) -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the release: checking each one's mtime on every page view is
        # wasted on a server (a restart picks up a new release).
        auto_reload=False,
    )

    def moment(value: datetime | None) -> str:
        return format_local(value, settings.tz)

    environment.filters.update(
        moment=moment,
        day=day,
        masked=mask_phone,
        number=number,
        yesno=_yesno,
        vietnamese=vietnamese_part,
    )
    environment.globals.update(
        word=word,
        office=settings.office_name,
        csrf_field=CSRF_FIELD,
        date_pattern=DATE_INPUT_PATTERN,
    )
    return Jinja2Templates(env=environment)


#: The English half of a text stored in both languages: ``"vi (en)"`` as quarantine reasons
#: are written, ``"vi / en"`` as the sync's problems and errors are, or ``"vi — en"``.
_ENGLISH_TAIL = re.compile(
    r"\s+(?:\((?P<paren>[^()]*)\)|/\s+(?P<slash>[^/]*)|—\s+(?P<dash>[^—]*))$"
)
#: English words that no Vietnamese text written without diacritics uses: a tail is English
#: only with one of them, so "Đăng ký (khai sinh)" keeps its parenthesis.
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "is",
        "are",
        "was",
        "be",
        "not",
        "no",
        "of",
        "by",
        "with",
        "for",
        "has",
        "have",
        "and",
        "or",
        "it",
        "this",
        "that",
        "from",
        "as",
        "at",
        "cannot",
        "a",
        "needs",
        "need",
        "must",
        "should",
        "already",
        "does",
        "did",
        "missing",
        "unknown",
        "records",
        "record",
    ]
)


def vietnamese_part(text: str | None) -> str:
    """The Vietnamese half of a bilingual stored text (issue 14 §1: staff read Vietnamese).

    Quarantine reasons and job problems are stored once, in both languages, for the command
    line and the logs; the console shows the half before the English one. A text without an
    English half (no Latin-only tail) is shown whole."""
    if not text:
        return ""
    match = _ENGLISH_TAIL.search(text)
    if match is None:
        return text
    tail = match.group("paren") or match.group("slash") or match.group("dash") or ""
    english = tail.isascii() and not _ENGLISH_WORDS.isdisjoint(re.findall(r"[a-z]+", tail.lower()))
    if not english or text[: match.start()].isascii():
        return text  # the tail is Vietnamese too, or there is no Vietnamese half to keep
    return text[: match.start()]


def _yesno(flag: bool) -> str:
    return "Có" if flag else "Không"


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    user: User | None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``templates/web/<name>`` with the user, the CSRF token and pending messages."""
    flashes = request.session.pop("flash", []) if "flash" in request.session else []
    full = {
        "user": user,
        "csrf": csrf_token(request),
        "flashes": flashes,
        **context,
    }
    templates: Jinja2Templates = request.app.state.web.templates
    return templates.TemplateResponse(request, f"web/{name}", full, status_code=status_code)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session["flash"] = [*request.session.get("flash", []), [kind, message]]
