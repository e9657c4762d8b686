"""Reading form values the way Vietnamese staff type them.

Date fields are plain text inputs typed dd/mm/yyyy (domain brief §7), never the browser's
date input, which shows mm/dd/yyyy or yyyy-mm-dd depending on the browser's locale (issue
14 §1); ISO dates are still read, for links and bookmarks made before. A date outside the
years postlink keeps (those the reports accept, ``reports.filters``) is refused here, with
the field named, instead of overflowing a date computation further on.
"""

from __future__ import annotations

from datetime import date, datetime

from postlink.web.inputs import BadInput
from postlink.words import say

#: What staff type first; ISO for old links.
DATE_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d")
#: The years a date in a form may have (as the reports' periods: ``reports.filters._year``).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: The pattern the date inputs carry (HTML ``pattern``), so the browser flags a slip early;
#: ISO is let through for dates filled in from an old link.
DATE_INPUT_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


def parse_day(value: str | None, name: str) -> date | None:
    """A date from a form field, or None when empty; ``name`` names the field in errors."""
    if not value or not value.strip():
        return None
    for pattern in DATE_PATTERNS:
        try:
            day = datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise BadInput(
                say("date.out_of_range", field=name, value=value, first=FIRST_YEAR, last=LAST_YEAR)
            )
        return day
    raise BadInput(say("date.invalid", field=name, value=value))


def shown_day(value: str) -> str:
    """A date field's value as the form shows it again: dd/mm/yyyy when it parses."""
    try:
        day = parse_day(value, "")
    except BadInput:
        return value
    return f"{day:%d/%m/%Y}" if day else ""
