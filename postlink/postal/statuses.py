"""A carrier's status codes and their normalised postlink status, read from data.

The table lives in ``config/postal/<carrier>-status.toml`` so that a code VNPost adds can be
mapped by editing a file, not the code (issue 4; postal brief §3). A code the table does not
list maps to ``unknown`` and is counted: a new code must never stop a batch.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from threading import Lock

from postlink.errors import ConfigError
from postlink.postal.models import NormalizedStatus


@dataclass
class StatusTable:
    """Raw code → normalised status, labels, and which statuses end a leg or move money."""

    statuses: dict[str, NormalizedStatus]
    labels: dict[str, str]
    terminal: frozenset[NormalizedStatus]
    money: frozenset[NormalizedStatus]
    unknown: Counter[str] = field(default_factory=Counter)
    _lock: Lock = field(default_factory=Lock, repr=False)

    def status(self, raw_code: str) -> NormalizedStatus:
        """The normalised status of ``raw_code``; ``unknown`` (and counted) when not listed."""
        found = self.statuses.get(raw_code)
        if found is None:
            with self._lock:
                self.unknown[raw_code] += 1
            return NormalizedStatus.UNKNOWN
        return found

    def label(self, raw_code: str) -> str:
        return self.labels.get(raw_code, "")

    def is_terminal(self, status: NormalizedStatus) -> bool:
        return status in self.terminal

    def is_money(self, status: NormalizedStatus) -> bool:
        return status in self.money


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"{path}: {message}")


def read_status_table(path: Path) -> StatusTable:
    """Parse a status file; a malformed one stops start-up with the file and the entry named."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, f"cannot read the status table ({exc})") from None
    statuses: dict[str, NormalizedStatus] = {}
    labels: dict[str, str] = {}
    terminal: set[NormalizedStatus] = set()
    money: set[NormalizedStatus] = set()
    for number, entry in enumerate(data.get("status", []), start=1):
        try:
            status = NormalizedStatus(entry["name"])
        except (KeyError, ValueError):
            names = ", ".join(s.value for s in NormalizedStatus)
            raise _fail(path, f"status #{number} needs a name among: {names}") from None
        for code, label in dict(entry.get("codes", {})).items():
            if code in statuses:
                raise _fail(path, f"code {code} is listed under {statuses[code]} and {status}")
            statuses[code] = status
            labels[code] = str(label)
        if entry.get("terminal", False):
            terminal.add(status)
        if entry.get("money", False):
            money.add(status)
    if not statuses:
        raise _fail(path, "no [[status]] entries")
    return StatusTable(statuses, labels, frozenset(terminal), frozenset(money))


@cache
def load_status_table(path: Path) -> StatusTable:
    """The table of ``path``, read once per process (its unknown-code counter is shared)."""
    return read_status_table(path)
