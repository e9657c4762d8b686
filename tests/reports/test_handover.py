"""Handover records: creating one sets the legal filing time (QĐ 45/2016 art. 7 cl. 4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import AuditEntry, Dossier, Handover, HandoverItem, Leg
from postlink.reports.barcode import modules
from postlink.reports.document import Report
from postlink.reports.filters import ReportFilter
from tests.conftest import CliResult
from tests.reports.conftest import TZ, Scenario

Build = Callable[[str, ReportFilter], Report]
Cli = Callable[..., CliResult]


def _item(engine: Engine, code: str, kind: str) -> str:
    with Session(engine) as session:
        leg = session.exec(
            select(Leg).join(Dossier).where(Dossier.code == code, Leg.kind == kind)
        ).one()
        assert leg.item_code is not None
        return leg.item_code


def test_create_in_sets_filing_time_of_complete_dossiers(
    engine: Engine, scenario: Scenario, cli: Cli, tmp_path: Path
) -> None:
    complete = _item(engine, scenario.codes["tet_overdue"], "pickup")
    incomplete = _item(engine, scenario.codes["d1"], "pickup")
    out = tmp_path / "record.html"
    result = cli(
        "handover", "create", "--direction", "in",
        "--items", f"{complete},{incomplete}", "--incomplete", incomplete,
        "--officer", "Lê Văn Tiếp", "--postal-worker", "Hoàng Thị Bưu",
        "--signed-at", "2026-02-25T09:30", "--actor", "tester", "-o", str(out), "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    handover_id = json.loads(result.stdout)["id"]
    signed = datetime(2026, 2, 25, 9, 30, tzinfo=TZ)
    with Session(engine) as session:
        filed = {d.code: d.filed_at for d in session.exec(select(Dossier))}
        items = session.exec(select(HandoverItem).where(HandoverItem.handover_id == handover_id))
        assert sorted(i.state for i in items) == ["complete", "incomplete"]
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "handover.create")).one()
    assert filed[scenario.codes["tet_overdue"]] == signed
    assert filed[scenario.codes["d1"]] is None  # incomplete: not filed
    assert audit.actor == "tester"
    assert audit.after is not None
    assert audit.after["filed"] == [scenario.codes["tet_overdue"]]
    page = out.read_text(encoding="utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Độc lập - Tự do - Hạnh phúc" in page
    assert "vào lúc 09 giờ 30 phút, ngày 25 tháng 02 năm 2026" in page
    assert f'aria-label="{complete}"' in page
    assert "Lê Văn Tiếp" in page
    assert "Hoàng Thị Bưu" in page


def test_create_out_uses_return_legs_and_files_nothing(
    engine: Engine, scenario: Scenario, cli: Cli
) -> None:
    result = cli(
        "handover", "create", "--direction", "out", "--items", scenario.codes["failed_delivery"],
        "--officer", "Lê Văn Trả", "--postal-worker", "Hoàng Thị Bưu",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    with Session(engine) as session:
        handover = session.exec(select(Handover)).one()
        assert handover.direction == "out"
        assert all(d.filed_at is None for d in session.exec(select(Dossier)))


def test_errors_name_the_item(engine: Engine, scenario: Scenario, cli: Cli) -> None:
    unknown = cli(
        "handover", "create", "--direction", "in", "--items", "EB000000000VN",
        "--officer", "A", "--postal-worker", "B",
    )  # fmt: skip
    assert unknown.code == 1
    assert "EB000000000VN" in unknown.stderr
    item = _item(engine, scenario.codes["d1"], "pickup")
    args = ("--direction", "in", "--items", item, "--officer", "A", "--postal-worker", "B")
    assert cli("handover", "create", *args).code == 0
    again = cli("handover", "create", *args)
    assert again.code == 1
    assert "already on handover" in again.stderr
    listed = cli("handover", "list", "--json")
    assert [h["items"] for h in json.loads(listed.stdout)] == [1]


def test_code128_pattern() -> None:
    pattern = modules("EB123456785VN")
    assert set(pattern) == {"0", "1"}
    assert pattern.startswith("11010010000")  # start code B
    assert pattern.endswith("1100011101011")  # stop pattern
    assert (len(pattern) - 13) % 11 == 0  # symbols of 11 modules, then the 13-module stop


def test_record_counts_only_the_dossiers_received(
    engine: Engine, scenario: Scenario, cli: Cli, tmp_path: Path
) -> None:
    """A dossier listed as missing did not change hands: "Đã giao nhận 2 hồ sơ", not 3."""
    complete = _item(engine, scenario.codes["tet_overdue"], "pickup")
    incomplete = _item(engine, scenario.codes["d1"], "pickup")
    missing = _item(engine, scenario.codes["not_due"], "pickup")
    out = tmp_path / "record.html"
    result = cli(
        "handover", "create", "--direction", "in",
        "--items", f"{complete},{incomplete},{missing}",
        "--incomplete", incomplete, "--missing", missing,
        "--officer", "Lê Văn Tiếp", "--postal-worker", "Hoàng Thị Bưu", "-o", str(out),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Đã giao nhận 2 hồ sơ theo danh sách dưới đây." in page
    assert "bổ sung" not in page
    later = cli("handover", "create", "--direction", "in", "--items", missing,
                "--officer", "Lê Văn Tiếp", "--postal-worker", "Hoàng Thị Bưu")  # fmt: skip
    assert later.code == 0, "an item listed as missing was not received: it may come later"


def test_supplement_handover_files_a_dossier_received_incomplete(
    engine: Engine, scenario: Scenario, cli: Cli, tmp_path: Path
) -> None:
    """QĐ 45/2016 art. 7 cl. 4, second paragraph: the supplement's signing time files it."""
    item = _item(engine, scenario.codes["d1"], "pickup")
    people = ("--officer", "Lê Văn Tiếp", "--postal-worker", "Hoàng Thị Bưu")
    first = cli("handover", "create", "--direction", "in", "--items", item,
                "--incomplete", item, *people, "--signed-at", "2026-02-25T09:30")  # fmt: skip
    assert first.code == 0, first.stderr
    again = cli("handover", "create", "--direction", "in", "--items", item, *people)
    assert again.code == 1, "an ordinary second handover of a received item is refused"
    out = tmp_path / "supplement.html"
    supplement = cli("handover", "create", "--direction", "in", "--supplement", "--items", item,
                     *people, "--signed-at", "2026-03-02T14:05", "-o", str(out))  # fmt: skip
    assert supplement.code == 0, supplement.stderr
    with Session(engine) as session:
        dossier = session.exec(select(Dossier).where(Dossier.code == scenario.codes["d1"])).one()
        audit = session.exec(
            select(AuditEntry).where(AuditEntry.action == "handover.create")
        ).all()[-1]
    assert dossier.filed_at == datetime(2026, 3, 2, 14, 5, tzinfo=TZ)
    assert audit.after is not None
    assert audit.after["supplement"] is True
    page = out.read_text(encoding="utf-8")
    assert "Biên bản giao nhận hồ sơ bổ sung" in page
    assert "Đã giao nhận 1 hồ sơ bổ sung" in page
    assert "Đủ (bổ sung)" in page
    twice = cli("handover", "create", "--direction", "in", "--supplement", "--items", item, *people)
    assert twice.code == 1, "a dossier already filed takes no further supplement"
    received_complete = _item(engine, scenario.codes["tet_overdue"], "pickup")
    assert cli("handover", "create", "--direction", "in", "--items", received_complete,
               *people).code == 0  # fmt: skip
    not_incomplete = cli("handover", "create", "--direction", "in", "--supplement",
                         "--items", received_complete, *people)  # fmt: skip
    assert not_incomplete.code == 1
    assert received_complete in not_incomplete.stderr
    results = cli("handover", "create", "--direction", "out", "--supplement",
                  "--items", scenario.codes["failed_delivery"], *people)  # fmt: skip
    assert results.code == 1, "only dossiers coming in have supplements"
