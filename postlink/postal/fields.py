"""Reading a carrier's records as foreign data (issue 11, postal brief §1, §4).

The post's API is not ours: the same field comes as ``orderHdrID`` or ``orderHdrId``,
``vasFee`` or ``vasfee``, even ``"statusHistory "`` with a trailing space; numbers come as
numbers or as text (``"200"``, ``"26,000"``, ``"26000.0"``); ids are opaque strings (a GUID
such as ``"8a7f1c2e-…"``, ``"MYVNP240105000123"``) that must never be read as numbers. Both
carriers' mappings read fields through this module so that they tolerate the same things
and quarantine only what cannot be understood, with a reason naming the field, the value
(never a person's data) and why, in Vietnamese then English.

Widths: an id or code is stored whole or not at all. Each has the width of the column that
keeps it (``postlink/models``); a longer one makes the record quarantined with that reason,
never cut, so two different ids can never be stored as the same one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, String

from postlink.identifiers import clean, clean_value
from postlink.models.exchange import Quarantined as QuarantineRow
from postlink.models.tracking import Dossier as DossierRow
from postlink.models.tracking import Event as EventRow
from postlink.models.tracking import Leg as LegRow


def _width(column: Any) -> int:
    kind = column.type if isinstance(column, Column) else None
    length = kind.length if isinstance(kind, String) else None
    if length is None:
        raise TypeError(f"column {column} has no length")
    return length


#: Stored widths of what the post names (migration 0003 widened them; the columns decide).
ORDER_ID_WIDTH = _width(LegRow.__table__.c.order_id)  # type: ignore[attr-defined]
REFERENCE_WIDTH = _width(LegRow.__table__.c.reference)  # type: ignore[attr-defined]
ITEM_CODE_WIDTH = _width(EventRow.__table__.c.item_code)  # type: ignore[attr-defined]
RAW_CODE_WIDTH = _width(EventRow.__table__.c.raw_code)  # type: ignore[attr-defined]
LABEL_WIDTH = _width(EventRow.__table__.c.raw_label)  # type: ignore[attr-defined]
SOURCE_WIDTH = _width(QuarantineRow.__table__.c.source)  # type: ignore[attr-defined]
PARTY_NAME_WIDTH = _width(DossierRow.__table__.c.citizen_name)  # type: ignore[attr-defined]
PARTY_PHONE_WIDTH = _width(DossierRow.__table__.c.citizen_phone)  # type: ignore[attr-defined]
COMMUNE_CODE_WIDTH = _width(DossierRow.__table__.c.commune_code)  # type: ignore[attr-defined]

#: How much of a bad value a quarantine reason quotes.
SHOWN = 40


class RecordError(ValueError):
    """A record that cannot become a model; its message is the quarantine reason."""


def shown(value: Any) -> str:
    """A value as a reason quotes it: its repr, cut to ``SHOWN`` characters."""
    text = repr(value)
    return text if len(text) <= SHOWN else f"{text[: SHOWN - 1]}…"


def refuse(field: str, value: Any, vi: str, en: str) -> RecordError:
    """The quarantine reason for ``field``: which field, what value, why (Vietnamese first)."""
    return RecordError(f"{field}={shown(value)}: {vi} ({en})")


def _fold(key: str) -> str:
    return key.strip().casefold()


@lru_cache(maxsize=64)
def _folded(keys: tuple[Any, ...]) -> dict[str, str]:
    """Folded key → the record's key. The records of a page share their keys, so a page
    folds them once, not once per record that lacks an optional field."""
    folded: dict[str, str] = {}
    for key in keys:
        if isinstance(key, str):
            folded.setdefault(_fold(key), key)
    return folded


#: Marks a key the record does not hold (None is a value the post sends).
_ABSENT = object()


class Fields:
    """One record's fields, found by their documented name or any casing or padding of it.

    An exact key costs one dict lookup; only a record missing a name is folded, once.
    """

    __slots__ = ("_folded", "record")

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self._folded: dict[str, str] | None = None

    def key(self, *names: str) -> str | None:
        """The key under which the record holds the first of ``names`` it has."""
        record = self.record
        for name in names:
            if name in record:
                return name
        if self._folded is None:
            self._folded = _folded(tuple(record))
        for name in names:
            found = self._folded.get(_fold(name))
            if found is not None:
                return found
        return None

    def get(self, name: str, *aliases: str) -> Any:
        """The value of ``name`` (or an alias) in any casing; None when absent. The exact
        name costs one lookup: it is how nearly every record spells it."""
        value = self.record.get(name, _ABSENT)
        if value is not _ABSENT:
            return value
        key = self.key(name, *aliases)
        return None if key is None else self.record[key]

    def text(self, name: str, *aliases: str) -> str:
        """Free text (names, notes, labels) as cleaned text; numbers are written out."""
        value = self.get(name, *aliases)
        if value.__class__ is str:
            return clean(value)
        if isinstance(value, dict | list):
            raise refuse(name, "…", "không phải văn bản", "not text")
        return clean_value(value)

    def identifier(self, name: str, width: int, *aliases: str) -> str:
        """An opaque id (``orderHdrID``, ``itemCode`` …): text or a number, kept as text,
        never parsed; "" when absent. Longer than ``width``: quarantined, never cut."""
        value = self.get(name, *aliases)
        if value.__class__ is str and value:
            return fit(name, clean(value), width)
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise refuse(name, value, "không phải một mã", "not an id: expected text or a number")
        if isinstance(value, float):
            if not value.is_integer():
                raise refuse(name, value, "không phải một mã", "a fractional number is no id")
            value = int(value)
        text = clean(value) if isinstance(value, str) else str(value)
        return fit(name, text, width)

    def code(self, name: str, *aliases: str) -> str:
        """A status code, which a record cannot go without: ``10``, ``"10"``, ``"10.0"`` and
        ``" 10 "`` are all ``"10"``; other text is kept as it is (an unknown code, mapped to
        ``unknown`` and counted, never refused)."""
        value = self.get(name, *aliases)
        if value.__class__ is int:
            return str(value)
        if value is None or value == "":
            raise RecordError(f"{name}: thiếu mã trạng thái ({name} is missing)")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise refuse(name, value, "không phải mã trạng thái", "not a status code")
        return fit(name, status_code(value), RAW_CODE_WIDTH)

    def amount(self, name: str, *aliases: str) -> int | None:
        """A sum of money in đồng, None when absent; see ``amount``."""
        value = self.get(name, *aliases)
        if value.__class__ is int and value >= 0:
            return value
        return None if value is None or value == "" else amount(name, value)


_INTEGRAL = re.compile(r"[+-]?[0-9]+(?:\.0*)?")


def status_code(value: str | int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = clean(value)
    if _INTEGRAL.fullmatch(text):
        return str(int(text.split(".", 1)[0]))
    return text


#: Grouped thousands: "26,000", "26.000", "1 250 000" (Vietnamese writes "." between them).
_GROUPED = re.compile(r"[0-9]{1,3}(?:([,. ])[0-9]{3})(?:\1[0-9]{3})*")
_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_CURRENCY = re.compile(r"\s*(?:đ|₫|vnđ|vnd|đồng)\s*$", re.IGNORECASE)


def amount(field: str, value: Any) -> int:
    """Đồng as an integer from ``26000``, ``26000.0``, ``"26000"``, ``"26,000"``,
    ``"26.000"``, ``"26000.0"`` or ``"26.000 đ"``; anything else is refused with the reason.

    Three digits after a single separator are read as thousands (the đồng has no subunit),
    so ``"26,000"`` and ``"26.000"`` are both 26,000 đồng.
    """
    if isinstance(value, bool):
        raise refuse(field, value, "không phải số tiền", "not an amount")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = round(value)
    elif isinstance(value, str):
        text = _CURRENCY.sub("", clean(value)).strip()
        negative = text.startswith("-")
        digits = text.removeprefix("-").strip()
        if _GROUPED.fullmatch(digits):
            number = int(re.sub("[,. ]", "", digits))
        elif _DECIMAL.fullmatch(digits):
            number = round(float(digits.replace(",", ".")))
        else:
            raise refuse(field, value, "không đọc được số tiền", "not an amount")
        number = -number if negative else number
    else:
        raise refuse(field, value, "không phải số tiền", "not an amount")
    if number < 0:
        raise refuse(field, value, "số tiền âm", "a negative amount")
    return number


def fit(field: str, text: str, width: int, *, private: bool = False) -> str:
    """``text`` when it fits its column; else the record is quarantined (never cut). A
    ``private`` value (a citizen's name, phone) is not quoted in the reason, which staff and
    logs read (Law 91/2025/QH15)."""
    if len(text) > width:
        quoted = field if private else f"{field}={shown(text)}"
        raise RecordError(
            f"{quoted}: dài {len(text)} ký tự, quá {width} ký tự postlink lưu "
            f"được ({len(text)} characters, more than the {width} postlink stores)"
        )
    return text
