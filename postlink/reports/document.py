"""A rendered report's content, independent of its format.

Each report builds one ``Report`` of plain tables; HTML, CSV, XLSX and PDF are all drawn
from it, so every format shows the same rows and the same numbers. Cells keep their Python
type (int, date, aware datetime, ratio) and the column says how to show them, so that a
spreadsheet gets real numbers and dates while the page gets Vietnamese formatting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from markupsafe import Markup

from postlink.reports.filters import ReportFilter

Cell = str | int | float | date | datetime | None


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"
    DATE = "date"
    MOMENT = "moment"
    PERCENT = "percent"
    BARCODE = "barcode"  # an item number, drawn as Code 128 on the page


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its heading's string key (``col.*``) and how its cells are shown."""

    key: str
    kind: Kind = Kind.TEXT


@dataclass(slots=True)
class Table:
    """One section of a report.

    ``group_by`` leading columns form headings on the page (a new heading row whenever their
    values change, e.g. field and level of a procedure list); exports keep them as columns.
    """

    key: str
    columns: Sequence[Column]
    rows: list[tuple[Cell, ...]]
    group_by: int = 0
    numbered: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        for index, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.key} row {index} has {len(row)} cells, not {width}")


@dataclass(frozen=True, slots=True)
class Chart:
    """An inline SVG chart with its title key; the SVG is built from escaped text only."""

    key: str
    svg: Markup


@dataclass(slots=True)
class Report:
    """What every format of one report shows."""

    name: str
    title_key: str
    basis_key: str
    filter: ReportFilter
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    summary: list[tuple[str, Cell, Kind]] = field(default_factory=list)
    meta: Mapping[str, str] = field(default_factory=dict)
