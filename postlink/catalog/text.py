"""Text as it comes out of spreadsheet cells, and a folded form for recognising words.

Column titles, marks and section rows are typed by people in NFC or NFD, in upper or lower
case, with or without diacritics and with stray punctuation (domain brief §5). ``fold``
reduces all of these to one plain form so that recognition is a simple comparison.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from postlink.identifiers import clean

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower-case ASCII-ish words: no diacritics (đ → d), punctuation as spaces, trimmed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def cell_text(value: object) -> str:
    """A cell as cleaned text: NFC, non-breaking spaces as spaces, whitespace collapsed.

    Whole numbers lose their ``.0`` (Excel stores typed digits as floats); dates are written
    ISO so that a date in a text column is at least legible in an error message.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean(str(value))
