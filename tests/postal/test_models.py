"""References carry the dossier and the leg (brief §1b); the status table is data (§3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlink import defaults
from postlink.errors import ConfigError
from postlink.legs.status import LegStatus
from postlink.postal.models import LegKind, leg_of_reference, reference_for
from postlink.postal.statuses import read_status_table


def test_reference_names_dossier_leg_and_attempt() -> None:
    dossier = "000.00.12.H14-250715-0007"
    assert reference_for(dossier, LegKind.PICKUP) == f"{dossier}-P1"
    assert reference_for(dossier, LegKind.RETURN, attempt=2) == f"{dossier}-R2"
    assert leg_of_reference(f"{dossier}-R2") is LegKind.RETURN
    assert leg_of_reference(f"{dossier}-P1") is LegKind.PICKUP
    assert leg_of_reference("BCCB00002001") is None
    with pytest.raises(ValueError, match="attempt"):
        reference_for(dossier, LegKind.PICKUP, attempt=0)


def test_status_table_covers_the_brief_and_counts_unknown_codes() -> None:
    table = read_status_table(defaults.MYVNPOST_STATUS_FILE)
    assert table.status("14") is LegStatus.DELIVERED
    assert table.status("-8") is LegStatus.CANCELLED
    assert table.status("105") is LegStatus.IN_TRANSIT
    assert table.status("28").money
    assert {s.value for s in table.statuses.values() if s.terminal} == {
        "pickup_failed",
        "delivered",
        "partially_delivered",
        "returned",
        "cancelled",
    }
    assert table.status("99") is LegStatus.UNKNOWN
    assert table.status("99") is LegStatus.UNKNOWN
    assert table.unknown == {"99": 2}
    assert table.label("15") == "Giao không thành công"


def test_a_bad_status_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "status.toml"
    path.write_text(
        '[[status]]\nname = "delivered"\ncodes = { "14" = "x" }\n'
        '[[status]]\nname = "lost"\ncodes = { "30" = "y" }\n'
    )
    with pytest.raises(ConfigError, match=r"status.toml: status #2: name='lost' is not a leg"):
        read_status_table(path)
    path.write_text('[[status]]\nname = "delivered"\nterminal = true\ncodes = { "14" = "x" }\n')
    with pytest.raises(ConfigError, match=r"status #1: unexpected key\(s\) terminal"):
        read_status_table(path)
    path.write_text(
        '[[status]]\nname = "delivered"\ncodes = { "14" = "x" }\n'
        '[[status]]\nname = "returned"\ncodes = { "14" = "y" }\n'
    )
    with pytest.raises(ConfigError, match="code 14 is listed under delivered and returned"):
        read_status_table(path)
