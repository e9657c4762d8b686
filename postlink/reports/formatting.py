"""How values look to Vietnamese readers, and how personal data is protected in print.

Dates are dd/mm/yyyy and times are shown in the province's zone (domain brief §7);
thousands are separated by dots and decimals by a comma (1.234.567; 95,3%). Phone numbers
are personal data (Law 91/2025/QH15 on personal data protection): reports mask them
unless a permitted user asks for full contact. Spreadsheet cells that start like a formula
are neutralised so that a citizen's name can never run as a formula in Excel (OWASP "CSV
injection").
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from postlink.timeutil import format_day, format_local

#: Leading characters that make Excel or LibreOffice read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Digits of a phone number kept visible at each end when masking.
PHONE_HEAD, PHONE_TAIL = 4, 3


def number(value: int | float | None, decimals: int = 0) -> str:
    """1234567 → ``1.234.567``; 95.25 with one decimal → ``95,3``."""
    if value is None:
        return ""
    grouped = f"{value:,.{decimals}f}"
    return grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(ratio: float | None) -> str:
    """0.953 → ``95,3%``; no ratio (nothing due) → empty."""
    if ratio is None:
        return ""
    return number(ratio * 100, 1) + "%"


#: dd/mm/yyyy, the one day format of every surface (``timeutil.format_day``).
day = format_day


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    """dd/mm/yyyy HH:MM in the province's zone."""
    return format_local(value, tz)


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``0912***678``: enough to recognise, not enough to call."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if len(digits) <= PHONE_HEAD + PHONE_TAIL:
        return "*" * len(digits)
    return digits[:PHONE_HEAD] + "***" + digits[-PHONE_TAIL:]


def contact(phone: str, full: bool) -> str:
    return phone if full else mask_phone(phone)


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would evaluate (``=HYPERLINK(...)``)."""
    return "'" + cell if cell.startswith(FORMULA_TRIGGERS) else cell
