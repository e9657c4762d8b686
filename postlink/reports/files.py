"""Writing a report to a file: build, render, and replace the file atomically.

A half-written report on a shared folder would be read by staff as a complete one, so each
file is written beside its target and renamed over it in one step.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from postlink.reports.filters import ReportFilter
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.settings import Settings


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def format_for(path: Path, chosen: Format | None) -> Format:
    """The chosen format, else the one the file name ends with, else HTML."""
    if chosen is not None:
        return chosen
    suffix = path.suffix.lower().lstrip(".")
    return Format(suffix) if suffix in Format.__members__.values() else Format.HTML


def write_report(
    engine: Engine,
    name: ReportName,
    flt: ReportFilter,
    settings: Settings,
    path: Path,
    fmt: Format,
) -> int:
    """Build report ``name`` for ``flt`` and write it to ``path``; returns the byte count."""
    data = render(build_report(engine, name, flt, settings), fmt, settings)
    write_atomically(path, data)
    return len(data)
