"""Lists effective after 1 July 2025 that still name the district level get a warning
(issue 13 §6): in the import result and the admin's preview, naming the rows, Vietnamese
first; a refusal never, and no warning for an older list. Rows are typed as a province's
annex writes them (domain.md §5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from postlink.catalog.problems import Severity
from tests.catalog.conftest import ImportFn, table, write_csv, write_xlsx

HEADER = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Cơ quan thực hiện",
    "Cấp thực hiện",
    "Tiếp nhận hồ sơ qua BCCI",
    "Trả kết quả qua BCCI",
    "Lý do",
]
ROWS = [
    ["A", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH"],
    [
        "1",
        "1.012786",
        "Cấp lại Giấy chứng nhận do bị mất",
        "Sở Nông nghiệp và Môi trường",
        "Tỉnh",
        "X",
        "X",
        "",
    ],
    ["B", "THỦ TỤC HÀNH CHÍNH CẤP HUYỆN"],
    ["1", "2.000806", "Đăng ký kết hôn có yếu tố nước ngoài", "Phòng Tư pháp", "", "X", "X", ""],
    ["C", "THỦ TỤC HÀNH CHÍNH CẤP XÃ"],
    ["1", "1.001193", "Đăng ký khai sinh", "UBND cấp xã", "Xã", "X", "X", ""],
    ["2", "2.000815", "Chứng thực bản sao từ bản chính", "UBND huyện", "Xã", "X", "X", ""],
    ["3", "1.000656", "Đăng ký khai tử", "UBND xã", "Cấp huyện", "X", "X", ""],
    ["4", "1.001731", "Hỗ trợ chi phí mai táng", "Ủy ban nhân dân xã", "Xã", "X", "X", ""],
]
# The title line, the header, then ROWS: the data rows are file rows 4, 6, 8 to 11.
DISTRICT_ROWS = [6, 9, 10]


def _district_warnings(outcome_warnings: list) -> list:  # type: ignore[type-arg]
    return [w for w in outcome_warnings if "cấp huyện đã chấm dứt" in w.reason_vi]


def test_a_list_effective_after_july_2025_warns_of_each_district_row(
    tmp_path: Path, do_import: ImportFn
) -> None:
    path = write_csv(tmp_path / "pl-2026.csv", table(*ROWS, header=HEADER))
    outcome = do_import(path, effective=date(2026, 1, 1))
    assert outcome.status == "draft"  # warned, not refused
    assert len(outcome.parsed.entries) == 6
    found = _district_warnings(outcome.warnings)
    assert [w.row for w in found] == DISTRICT_ROWS
    assert {w.severity for w in found} == {Severity.WARNING}
    by_row = {w.row: (w.column, w.value) for w in found}
    assert by_row[6] == ("E (Cấp thực hiện)", "Cấp huyện")  # from "B. … CẤP HUYỆN"
    assert by_row[9] == ("D (Cơ quan thực hiện)", "UBND huyện")
    assert by_row[10] == ("E (Cấp thực hiện)", "Cấp huyện")
    assert found[0].reason_vi.startswith("ghi cấp huyện hoặc cơ quan cấp huyện")
    assert "01/01/2026" in found[0].reason_vi


def test_a_list_effective_on_1_july_2025_is_warned_too(tmp_path: Path, do_import: ImportFn) -> None:
    path = write_xlsx(tmp_path / "pl.xlsx", table(*ROWS, header=HEADER))
    outcome = do_import(path, effective=date(2025, 7, 1))
    assert [w.row for w in _district_warnings(outcome.warnings)] == DISTRICT_ROWS


def test_a_list_effective_before_july_2025_gets_no_district_warning(
    tmp_path: Path, do_import: ImportFn
) -> None:
    path = write_csv(tmp_path / "pl-2024.csv", table(*ROWS, header=HEADER))
    outcome = do_import(path, effective=date(2025, 6, 30))
    assert _district_warnings(outcome.warnings) == []
    assert len(outcome.parsed.entries) == 6


def test_a_two_level_list_gets_no_district_warning(tmp_path: Path, do_import: ImportFn) -> None:
    rows = [r for i, r in enumerate(ROWS) if i not in (2, 3, 7) and "huyện" not in str(r)]
    path = write_csv(tmp_path / "pl.csv", table(*rows, header=HEADER))
    outcome = do_import(path, effective=date(2026, 7, 1))
    assert _district_warnings(outcome.warnings) == []
