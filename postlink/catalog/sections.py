"""Rows that are not procedures: section titles, table titles and which list a table is.

Annexes group procedures under section rows (domain brief §5), typed in many ways: the
marker and the title in one cell ("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH") or in two, the marker
in the STT column and the title merged across the rest (``I | Lĩnh vực Hộ tịch``); markers
``A``, ``B``, ``I``, ``II``, ``IV``, ``1``, ``a)``, ``Phần I``, ``PHẦN A``; or a bold title
alone. A level section ("… cấp tỉnh") sets the level and clears the field; "Lĩnh vực X" or
any other marked, bold or upper-case title sets the field.

Decisions also publish two lists by membership (QĐ 45/2016 art. 18): "Danh mục TTHC
**thực hiện** tiếp nhận hồ sơ, trả kết quả qua BCCI" and "… **không thực hiện** …", on two
sheets, as two tables, or as two titled parts of one table. ``membership_of`` reads which
list a title announces; ``scope_of`` reads a "tiếp nhận" / "trả kết quả" / "Chỉ trả kết
quả" cell of such a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from postlink.catalog.text import fold
from postlink.models import Level

_LEVEL_SECTIONS = (("cap tinh", Level.TINH), ("cap huyen", Level.HUYEN), ("cap xa", Level.XA))

#: A section marker: ``A``, ``II``, ``1``, ``a)``, ``(b)``, ``Phần I``, ``PHẦN A``, ``Mục 2``.
_MARKER = r"(?:(?:phần|phan|mục|muc)\s+)?\(?(?:[IVXLC]{1,6}|[A-Za-z]|[0-9]{1,3})\)?[.):]?"
_MARKER_ONLY = re.compile(_MARKER, re.IGNORECASE)
_MARKER_AND_TITLE = re.compile(
    rf"(?P<marker>{_MARKER})(?:\s*[-–:]\s*|\s+)(?P<title>\S.*)", re.IGNORECASE | re.DOTALL
)
_NUMERIC_MARKER = re.compile(r"\(?[0-9]{1,3}\)?[.)]?")
_NEGATIVE = re.compile(r"\b(?:khong|chua)\s+(?:thuc hien|tiep nhan|ap dung)\b")
_POSITIVE = re.compile(r"\b(?:thuc hien|tiep nhan ho so|tra ket qua|ap dung)\b")
#: "thực hiện (Phụ lục I) và không thực hiện (Phụ lục II)": a title naming both lists.
_BOTH = re.compile(r"\bthuc hien\b.{0,40}\b(?:va|hoac)\s+(?:khong|chua)\s+thuc hien\b")
_LIST_WORDS = ("danh muc", "phu luc", "thu tuc", "tthc")


class Membership(StrEnum):
    """Which list a table is: procedures handled through the post, or excluded from it."""

    IN = "thực hiện"
    OUT = "không thực hiện"


def section_of(text: str) -> tuple[Level | None, str | None]:
    """The level or field a section title sets, e.g. "I. Lĩnh vực Hộ tịch" → field Hộ tịch."""
    words = text.split()
    folded = [fold(word) for word in words]
    for i in range(len(words) - 1):
        if folded[i] == "linh" and folded[i + 1] == "vuc":
            field = " ".join(words[i + 2 :]).lstrip(":-– ").strip()
            return None, sentence_case(field) or None
    plain = fold(text)
    for phrase, level in _LEVEL_SECTIONS:
        if phrase in plain:
            return level, None
    return None, None


def sentence_case(text: str) -> str:
    """``CHỨNG THỰC`` → ``Chứng thực``: fields typed in capitals are stored as in a sentence."""
    return text[0] + text[1:].lower() if text.isupper() else text


def membership_of(text: str, *, strict: bool = True) -> Membership | None:
    """The list a title announces, or None when it announces none or both.

    ``strict`` asks for words that make it a list's title ("danh mục", "phụ lục", "thủ
    tục"); a sheet name ("Không thực hiện") is read without them.
    """
    words = fold(text)
    if strict and not any(word in words for word in _LIST_WORDS):
        return None
    if _BOTH.search(words):
        return None
    if _NEGATIVE.search(words):
        return Membership.OUT
    if _POSITIVE.search(words) and ("bcci" in words or "buu chinh" in words or not strict):
        return Membership.IN
    return None


def scope_of(text: str) -> tuple[bool, bool] | None:
    """The legs a scope cell names: (postal submission, postal return), or None if none.

    "Chỉ trả kết quả" → return only; "Tiếp nhận hồ sơ" → submission only; "Tiếp nhận hồ sơ
    và trả kết quả" → both.
    """
    words = fold(text)
    submission = "tiep nhan" in words or "nop ho so" in words
    result = "tra ket qua" in words or "tra kq" in words or "nhan ket qua" in words
    if not submission and not result:
        return None
    return submission, result


def only_scope(text: str) -> tuple[bool, bool] | None:
    """A note restricting a list entry to one leg ("Chỉ trả kết quả"), or None."""
    words = fold(text)
    if not words.startswith("chi "):
        return None
    return scope_of(words)


@dataclass(frozen=True, slots=True)
class Title:
    """A row read as a title: its text without the marker, and how it was told apart."""

    text: str
    marker: str
    bold: bool

    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC_MARKER.fullmatch(self.marker))


def is_marker(text: str) -> bool:
    """Whether ``text`` is only a section marker ("A", "II", "a)", "Phần I")."""
    return bool(_MARKER_ONLY.fullmatch(text))


def split_title(pieces: list[str], bold: bool) -> Title | None:
    """A marker cell and a title cell, or one title cell (possibly starting with its
    marker), as a ``Title``; None for any other shape."""
    if len(pieces) == 2:
        if not _MARKER_ONLY.fullmatch(pieces[0]):
            return None
        return Title(pieces[1], pieces[0], bold)
    if len(pieces) != 1:
        return None
    found = _MARKER_AND_TITLE.fullmatch(pieces[0])
    if found:
        return Title(found["title"], found["marker"], bold)
    return Title(pieces[0], "", bold)


def is_list_heading(text: str) -> bool:
    """ "Phụ lục II", "(Ban hành kèm theo Quyết định số …)": a table's title, not a section."""
    words = fold(text)
    return words.startswith("phu luc") or "kem theo quyet dinh" in words
