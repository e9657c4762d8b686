"""Every word the reports show: the ``report.…`` entries of the message catalogue.

Staff read Vietnamese (domain brief §7), so the reports speak it by default; the texts live
in the one catalogue (``postlink/locale``, issue 14 §1) under ``report.<key>`` and are read
through ``postlink.words``, so ``POSTLINK_LANGUAGE=en`` renders them in English. Templates
reach them through ``t('key')``; Python code through ``text('key')``. A text is returned
unformatted: the few with placeholders (``period_quarter``) are filled by their caller.
"""

from __future__ import annotations

from postlink.words import catalogue, language

#: The catalogue codes of the reports' words start with this.
PREFIX = "report."


def text(key: str) -> str:
    """The report text ``key`` in the configured language; a missing key is a programming
    error (the catalogue test and the report tests catch it)."""
    try:
        return catalogue(language())[PREFIX + key]
    except KeyError:
        raise KeyError(f"no report text {key!r} in the message catalogue") from None


def label(prefix: str, value: str | None) -> str:
    """A coded value's label, e.g. ``label('status', 'delivered')``; the code when unknown."""
    if value is None:
        return text("label.none")
    return catalogue(language()).get(f"{PREFIX}{prefix}.{value}", value)
