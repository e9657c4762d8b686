"""Lists that still name the district level after districts were abolished (issue 13 §6).

Since 1 July 2025 local government has two levels, province and commune (domain.md §1;
the 2025 Law on the Organisation of Local Government): there is no "Huyện", no "UBND
huyện" and no "Cấp huyện" left to handle a procedure. A list effective from that day that
still names one was most likely copied from an older annex, and an admin should look
again before publishing it. It is a warning, not a refusal: the decision is the province's,
and postlink keeps what it published. Lists effective before that day name districts
rightly and get no warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from postlink.catalog.problems import Problems, Reason
from postlink.catalog.text import fold
from postlink.models import Level
from postlink.timeutil import format_day

#: The first day without districts (two-level local government, domain.md §1).
DISTRICTS_ABOLISHED = date(2025, 7, 1)

#: "huyện" as a word of a folded cell: "UBND huyện", "Quận/huyện", "Cấp huyện".
_DISTRICT_WORD = re.compile(r"\bhuyen\b")


@dataclass(frozen=True, slots=True)
class DistrictMention:
    """A row that names the district level: where, in which column (as the file titles
    it), and the text that does."""

    row: int
    table: Reason | None
    column: str | None
    value: str


def names_district(text: str) -> bool:
    """Whether a level or agency cell names the district level or a district agency."""
    return _DISTRICT_WORD.search(fold(text)) is not None


def district_mention(
    row: int,
    table: Reason | None,
    agency: tuple[str | None, str],
    level: tuple[str | None, str],
    parsed_level: Level | None,
) -> DistrictMention | None:
    """The mention on a row, if any: its agency cell first (the agency is what a citizen's
    dossier is sent to), else its level, written in the cell or carried from a section
    ("B. THỦ TỤC HÀNH CHÍNH CẤP HUYỆN"). ``agency`` and ``level`` are (column title, text)."""
    if names_district(agency[1]):
        return DistrictMention(row, table, agency[0], agency[1])
    if parsed_level is Level.HUYEN:
        return DistrictMention(row, table, level[0], level[1] or "Cấp huyện")
    return None


def warn_of_districts(
    mentions: list[DistrictMention], effective_from: date, problems: Problems
) -> None:
    """One warning per row naming the district level, for a list effective from
    ``DISTRICTS_ABOLISHED`` on; none for an earlier list."""
    if effective_from < DISTRICTS_ABOLISHED:
        return
    day = format_day(effective_from)
    reason = Reason(
        f"names the district level, but the list takes effect on {day} and districts were "
        "abolished on 01/07/2025 (two-level local government): check the agency and level",
        f"ghi cấp huyện hoặc cơ quan cấp huyện, nhưng danh mục có hiệu lực từ {day} mà cấp "
        "huyện đã chấm dứt từ 01/07/2025 (chính quyền địa phương hai cấp): kiểm tra lại cơ "
        "quan và cấp thực hiện",
    )
    for mention in mentions:
        problems.warning(mention.row, mention.column, mention.value, reason, table=mention.table)
