"""How commands show data: Rich tables for people, JSON for scripts, progress on a terminal.

Every command that shows data takes ``--json``; then stdout carries exactly one JSON
document and nothing else, so that the province's monitoring can parse it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from postlink.errors import PostlinkError
from postlink.words import catalogue, language, say

T = TypeVar("T")

JsonOption = Annotated[bool, typer.Option("--json", help=say("cli.help.json"))]

console = Console()
err_console = Console(stderr=True)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def print_table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    whole: Sequence[str] = (),
) -> None:
    """A table; the ``whole`` columns identify a row and are never wrapped or cut, however
    narrow the terminal (the others give way): ``000.00.21.H…`` on every row identifies
    nothing (issue 16)."""
    cells = [[_cell(cell) for cell in row] for row in rows]
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        if column in whole:
            widest = max((len(row[index]) for row in cells), default=0)
            table.add_column(column, no_wrap=True, min_width=max(widest, len(column)))
        else:
            table.add_column(column, overflow="fold")
    for row in cells:
        table.add_row(*row)
    console.print(table)


def _cell(value: Any) -> str:
    """A value as a person reads it: a time in the province's time zone as dd/mm/yyyy HH:MM
    and a day as dd/mm/yyyy (domain brief §7), never ISO in UTC; JSON keeps ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        from postlink.settings import get_settings  # only when a table holds a time
        from postlink.timeutil import format_local

        return format_local(value, get_settings().tz)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def field_label(family: str, name: str) -> str:
    """The catalogue's label ``<family>.<name>`` of a field of stored or reported data, or
    the field's own name for a field added since: a new column must not stop a read-only
    command such as ``postlink status`` (the catalogue test lists the labels in use)."""
    code = f"{family}.{name}"
    return say(code) if code in catalogue(language()) else name


def print_pairs(title: str, pairs: dict[str, Any]) -> None:
    print_table(title, (say("cli.col.name"), say("cli.col.value")), pairs.items())


def progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items`` with a progress bar on a terminal, silently when piped."""
    if not err_console.is_terminal:
        yield from items
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


def parse_date(option: str, value: str | None) -> date | None:
    """A YYYY-MM-DD or dd/mm/yyyy option value (as ISO tools and Vietnamese forms write a
    day); a bad one is a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise PostlinkError(code="cli.bad_date", option=option, value=value) from None
