"""``postlink report``: options become one filter; every format is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import CliResult
from tests.reports.conftest import Scenario

Cli = Callable[..., CliResult]


def test_every_format_of_every_period_report(scenario: Scenario, cli: Cli, tmp_path: Path) -> None:
    for name in ("exclusions", "delivery", "period"):
        for suffix in ("html", "csv", "xlsx"):
            out = tmp_path / f"{name}.{suffix}"
            result = cli("report", name, "--quarter", "2026Q1", "--as-of", "2026-02-25",
                         "-o", str(out), "--json")  # fmt: skip
            assert result.code == 0, result.stderr
            assert json.loads(result.stdout)["format"] == suffix
            assert out.stat().st_size > 0
    page = (tmp_path / "period.html").read_text(encoding="utf-8")
    assert "Quý I năm 2026" in page
    sheets = load_workbook(tmp_path / "delivery.xlsx").sheetnames
    assert any("Quá hạn" in sheet for sheet in sheets)


def test_period_prints_the_figures_the_office_gives(
    scenario: Scenario, cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "q1.html"
    result = cli("report", "period", "--quarter", "2026Q1", "--compensation-cases", "2",
                 "--safety-level", "Bảo đảm an toàn, không thất lạc", "-o", str(out))  # fmt: skip
    assert result.code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert '<td>Số vụ việc phải bồi thường</td><td class="filled">2</td>' in page
    assert '<td class="filled">Bảo đảm an toàn, không thất lạc</td>' in page
    negative = cli("report", "period", "--quarter", "2026Q1", "--compensation-cases", "-1",
                   "-o", str(out))  # fmt: skip
    assert negative.code != 0


def test_explicit_format_and_filters(scenario: Scenario, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.bin"
    result = cli("report", "delivery", "--from", "2026-02-01", "--to", "2026-02-28",
                 "--agency", "000.00.13.H14", "--leg", "return", "--format", "csv",
                 "-o", str(out))  # fmt: skip
    assert result.code == 0, result.stderr
    cells = out.read_bytes().decode("utf-8-sig").replace("\r\n", ",").split(",")
    assert "000.00.13.H14" in cells
    assert "000.00.12.H14" not in cells  # agency A's legs are filtered out
    assert "Hồ sơ" not in cells  # and so are pickup legs


def test_bad_options_are_one_line_errors(scenario: Scenario, cli: Cli, tmp_path: Path) -> None:
    out = str(tmp_path / "x.html")
    both = cli("report", "period", "--quarter", "2026Q1", "--year", "2026", "-o", out)
    assert both.code == 1
    assert "Chỉ dùng một trong --from/--to, --quarter, --half, --year." in both.stderr
    bad = cli("report", "period", "--quarter", "2026Q5", "-o", out)
    assert "--quarter «2026Q5» không phải một quý (ví dụ 2026Q1)." in bad.stderr
    backwards = cli("report", "delivery", "--from", "2026-03-01", "--to", "2026-02-01", "-o", out)
    assert (
        "ngày kết thúc 01/02/2026 trước ngày bắt đầu 01/03/2026; đổi chỗ --from và --to"
        in backwards.stderr
    )
    missing = cli("report", "handover", "-o", out)
    assert "cần --handover SỐ (xem: postlink handover list)" in missing.stderr
    unknown = cli("report", "handover", "--handover", "999", "-o", out)
    assert unknown.code == 1
    said = " ".join(unknown.stderr.split())
    assert "Không có biên bản giao nhận số 999 (xem: postlink handover list)." in said
    assert not (tmp_path / "x.html").exists()
