"""Every word the reports show: the ``report.…`` entries of the message catalogue.

The texts live in the one catalogue (``postlink/locale``, issue 14 §1) under
``report.<key>``, read through ``postlink.words``, with their English beside them for
translators and readers. The reports are official forms of a Vietnamese province (the
handover record, the periodic report to the Department, QĐ 45/2016, TT 17/2017), so they
are always rendered in Vietnamese, whatever ``POSTLINK_LANGUAGE`` says. Templates reach the
texts through ``t('key')``; Python code through ``text('key')``. A text is returned
unformatted: the few with placeholders (``period_quarter``) are filled by their caller.
"""

from __future__ import annotations

from postlink.words import LANGUAGES, catalogue

#: The catalogue codes of the reports' words start with this.
PREFIX = "report."
#: The language of the official forms: Vietnamese.
FORMS_LANGUAGE = LANGUAGES[0]


def text(key: str) -> str:
    """The report text ``key``; a missing key is a programming error (the catalogue test
    and the report tests catch it)."""
    try:
        return catalogue(FORMS_LANGUAGE)[PREFIX + key]
    except KeyError:
        raise KeyError(f"no report text {key!r} in the message catalogue") from None


def label(prefix: str, value: str | None) -> str:
    """A coded value's label, e.g. ``label('status', 'delivered')``; the code when unknown."""
    if value is None:
        return text("label.none")
    return catalogue(FORMS_LANGUAGE).get(f"{PREFIX}{prefix}.{value}", value)
