"""Reading form values the way Vietnamese staff type them."""

from __future__ import annotations

from datetime import date, datetime

from postlink.errors import PostlinkError

#: The browser's date input sends ISO; people type dd/mm/yyyy (domain brief §7).
DATE_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_day(value: str | None, name: str) -> date | None:
    """A date from a form field, or None when empty; ``name`` names the field in errors."""
    if not value or not value.strip():
        return None
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise PostlinkError(f"Ngày {name} «{value}» không hợp lệ: nhập theo dạng dd/mm/yyyy.")
