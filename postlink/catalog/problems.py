"""Problems found in a list file, and the error that carries all of them.

An admin fixing an annex wants every problem at once, each naming the row, the column, the
value and what is wrong, rather than one error per upload; so validation collects problems
and raises a single ``CatalogValidationError`` at the end. Errors block the import; warnings
(for example a procedure that disappears from the list) are shown and do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from postlink.catalog.limits import MAX_PROBLEMS
from postlink.errors import PostlinkError


@dataclass(frozen=True, slots=True)
class Reason:
    """What is wrong, in English for the command line and in Vietnamese for the console,
    written side by side where the problem is found so that neither can drift."""

    en: str
    vi: str

    def __str__(self) -> str:
        return self.en


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: ``row`` is the row (1-based, as Excel numbers it, or the row of a Word
    table) or None for the whole file; ``table`` names the sheet or Word table when the file
    has several (``"sheet 'PL II'"`` / ``"trang tính «PL II»"``, ``"table 2"`` / ``"bảng 2"``)."""

    row: int | None
    column: str | None
    value: str
    reason: str
    severity: Severity = Severity.ERROR
    #: The reason in Vietnamese, shown by the web console; empty where none was written.
    reason_vi: str = ""
    table: str = ""
    table_vi: str = ""

    @classmethod
    def of(
        cls,
        row: int | None,
        column: str | None,
        value: str,
        reason: str | Reason,
        severity: Severity = Severity.ERROR,
        table: Reason | None = None,
    ) -> Problem:
        vi = reason.vi if isinstance(reason, Reason) else ""
        en_table, vi_table = (table.en, table.vi) if table else ("", "")
        return cls(row, column, value, str(reason), severity, vi, en_table, vi_table)

    @property
    def place_vi(self) -> str:
        """Where, as the console's "Dòng" column says it: "7", "bảng 2, dòng 5", "Cả tệp"."""
        if self.table_vi:
            return f"{self.table_vi}, dòng {self.row}" if self.row is not None else self.table_vi
        return "Cả tệp" if self.row is None else str(self.row)

    @property
    def where_vi(self) -> str:
        """Where, in a Vietnamese sentence: "bảng 2, dòng 5", "dòng 7" or "cả tệp"."""
        row = "cả tệp" if self.row is None else f"dòng {self.row}"
        return f"{self.table_vi}, {row}" if self.table_vi else row

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        if self.table:
            where = f"{self.table}, {where}" if self.row is not None else self.table
        if self.column:
            where += f", column {self.column}"
        if self.value:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            where += f", value {shown!r}"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "reason_vi": self.reason_vi,
            "severity": self.severity.value,
            "table": self.table or None,
        }


class Problems:
    """The problems of one file, in the order found, at most ``MAX_PROBLEMS`` kept.

    A binary file read as CSV can yield a problem per line; keeping them all would turn a
    wrong upload into a memory problem, so only their count goes on past the limit.
    """

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.errors = 0
        self.warnings = 0

    def add(self, problem: Problem) -> None:
        if problem.severity is Severity.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)

    def error(
        self,
        row: int | None,
        column: str | None,
        value: str,
        reason: str | Reason,
        *,
        table: Reason | None = None,
    ) -> None:
        self.add(Problem.of(row, column, value, reason, Severity.ERROR, table))

    def warning(
        self,
        row: int | None,
        column: str | None,
        value: str,
        reason: str | Reason,
        *,
        table: Reason | None = None,
    ) -> None:
        self.add(Problem.of(row, column, value, reason, Severity.WARNING, table))

    @property
    def omitted(self) -> int:
        return self.errors + self.warnings - len(self.kept)

    @property
    def warnings_kept(self) -> list[Problem]:
        return [p for p in self.kept if p.severity is Severity.WARNING]


class CatalogValidationError(PostlinkError):
    """A list file cannot be imported; ``problems`` holds every error and warning found."""

    def __init__(self, source: str, problems: Problems) -> None:
        self.source = source
        self.problems = list(problems.kept)
        self.errors = problems.errors
        self.warnings = problems.warnings
        self.omitted = problems.omitted
        super().__init__(
            code="catalog.invalid_file",
            source=source,
            errors=self.errors,
            warnings=self.warnings,
        )
