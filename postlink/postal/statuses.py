"""A carrier's status codes and their normalised postlink status, read from data.

The table lives in ``config/postal/<carrier>-status.toml`` so that a code VNPost adds can be
mapped by editing a file, not the code (issue 4; postal brief §3). A code the table does not
list maps to ``unknown`` and is counted: a new code must never stop a batch. The table only
maps codes to ``LegStatus`` members; what a status means (phase, terminal, money) is on the
enum (issue 13 §1), so a row naming anything else is refused when the table is read.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from threading import Lock
from typing import Any

from postlink.errors import ConfigError
from postlink.legs.status import LegStatus


@dataclass
class StatusTable:
    """Raw code → normalised status, and the post's label of each code."""

    statuses: dict[str, LegStatus]
    labels: dict[str, str]
    unknown: Counter[str] = field(default_factory=Counter)
    _lock: Lock = field(default_factory=Lock, repr=False)

    def status(self, raw_code: str) -> LegStatus:
        """The normalised status of ``raw_code``; ``unknown`` (and counted) when not listed."""
        found = self.statuses.get(raw_code)
        if found is None:
            with self._lock:
                self.unknown[raw_code] += 1
            return LegStatus.UNKNOWN
        return found

    def label(self, raw_code: str) -> str:
        return self.labels.get(raw_code, "")


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"{path}: {message}")


_KEYS = frozenset({"name", "codes"})


def _member(path: Path, number: int, entry: dict[str, Any]) -> LegStatus:
    """The enum member a ``[[status]]`` row names; the row and the reason when it names none."""
    extra = sorted(set(entry) - _KEYS)
    if extra:
        raise _fail(
            path,
            f"status #{number}: unexpected key(s) {', '.join(extra)}; a row only maps codes "
            "to a status (whether it ends a leg or is a payment is fixed by the status itself)",
        )
    name = entry.get("name")
    try:
        return LegStatus(str(name))
    except ValueError:
        names = ", ".join(s.value for s in LegStatus)
        raise _fail(
            path, f"status #{number}: name={name!r} is not a leg status; use one of: {names}"
        ) from None


def read_status_table(path: Path) -> StatusTable:
    """Parse a status file; a malformed one stops start-up with the file and the entry named."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, f"cannot read the status table ({exc})") from None
    statuses: dict[str, LegStatus] = {}
    labels: dict[str, str] = {}
    for number, entry in enumerate(data.get("status", []), start=1):
        status = _member(path, number, entry)
        for code, label in dict(entry.get("codes", {})).items():
            if code in statuses:
                raise _fail(path, f"code {code} is listed under {statuses[code]} and {status}")
            statuses[code] = status
            labels[code] = str(label)
    if not statuses:
        raise _fail(path, "no [[status]] entries")
    return StatusTable(statuses, labels)


@cache
def load_status_table(path: Path) -> StatusTable:
    """The table of ``path``, read once per process (its unknown-code counter is shared)."""
    return read_status_table(path)
