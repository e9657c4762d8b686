"""What a person reads from the command line: Vietnam time and Vietnamese dates, never UTC
ISO (issue 14 §1); the JSON for scripts keeps ISO times with their offset."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from postlink.cli.output import print_table
from postlink.models import Quarantined
from tests.conftest import CliResult

#: 03:30 UTC on 1 March 2026 is 10:30 in Hà Nội (UTC+7, no daylight saving).
AT = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)


def test_tables_show_times_in_vietnam_time_and_days_as_dd_mm_yyyy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_table("t", ("at", "day", "none"), [(AT, date(2026, 3, 9), None)])
    shown = capsys.readouterr().out
    assert "01/03/2026 10:30" in shown
    assert "09/03/2026" in shown
    assert "2026-03" not in shown
    assert "03:30" not in shown


def test_a_quarantined_record_is_shown_in_vietnam_time_and_kept_iso_in_json(
    cli: Callable[..., CliResult], engine: Engine
) -> None:
    with Session(engine) as session:
        session.add(Quarantined(at=AT, adapter="myvnpost", source="feed", reason="bad", raw="{}"))
        session.commit()
    listed = cli("quarantine", "list")
    assert listed.code == 0, listed.stderr
    assert "01/03/2026 10:30" in listed.stdout
    assert "Bản ghi cách ly" in listed.stdout
    shown = cli("quarantine", "show", "1")
    assert shown.code == 0, shown.stderr
    assert "01/03/2026 10:30" in shown.stdout
    assert "2026-03-01" not in shown.stdout
    assert "Nguồn" in shown.stdout
    document = json.loads(cli("quarantine", "show", "1", "--json").stdout)
    assert datetime.fromisoformat(document["at"]) == AT
    assert document["at"].endswith("+00:00")
