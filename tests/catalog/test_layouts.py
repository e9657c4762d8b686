"""Annexes as provinces publish them: each layout typed by hand imports and resolves.

The files under ``layouts/`` were typed cell by cell by ``layouts/make_layouts.py`` (never
by postlink's writers); the expected entries below were typed by hand from those annexes.
Each is imported without ``--decision`` (the title block names it), published and resolved
on both databases.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink.catalog.importer import read_list
from postlink.catalog.resolve import Outcome, resolve_code
from postlink.db import session_scope
from postlink.models import Level
from tests.catalog.conftest import ImportFn, write_csv

LAYOUTS = Path(__file__).parent / "layouts"
TINH, XA = Level.TINH, Level.XA
MARRIAGE_REASON = "Hai bên nam, nữ phải có mặt khi đăng ký kết hôn"

#: (row as Excel/Word shows it, code as written, name, field, level, submission, return, reason)
Expected = tuple[int, str, str, str, Level | None, bool, bool, str]

MARKER_MERGED_TITLE: list[Expected] = [
    (10, "1.012786", "Cấp lại Giấy chứng nhận do bị mất", "Đất đai", TINH, True, True, ""),
    (11, "1.012784", "Tách thửa hoặc hợp thửa đất", "Đất đai", TINH, False, True, ""),
    (13, "1.010772", "Cấp Bằng Tổ quốc ghi công", "Người có công", TINH, True, True, ""),
    (16, "1.001193", "Đăng ký khai sinh", "Hộ tịch", XA, True, True, ""),
    (17, "1.000894", "Đăng ký kết hôn", "Hộ tịch", XA, False, False, MARRIAGE_REASON),
    (18, "1.000656", "Đăng ký khai tử", "Hộ tịch", XA, True, True, ""),
    (
        19,
        "1.000110",
        "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
        "Hộ tịch",
        XA,
        True,
        True,
        "",
    ),
    (
        21,
        "2.000815.000.00.00.H14",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
        "Chứng thực",
        XA,
        False,
        False,
        "Người yêu cầu phải xuất trình bản chính",
    ),
    (
        22,
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực",
        XA,
        False,
        False,
        "Người yêu cầu phải ký trước mặt người thực hiện chứng thực",
    ),
    (
        24,
        "1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        XA,
        True,
        True,
        "",
    ),
    (26, "1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", "Giáo dục", XA, True, True, ""),
    (
        28,
        "1.010824",
        "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất",
        "Liên thông",
        XA,
        True,
        True,
        "",
    ),
]

MARKERS_OF_EVERY_KIND: list[Expected] = [
    (8, "1.010772", "Cấp Bằng Tổ quốc ghi công", "Người có công", TINH, True, True, ""),
    (
        10,
        "1.012786",
        "Cấp lại Giấy chứng nhận do bị mất",
        "Đất đai",
        TINH,
        False,
        True,
        "Chỉ trả kết quả qua BCCI",
    ),
    (13, "1.000656", "Đăng ký khai tử", "Hộ tịch", XA, True, True, ""),
    (
        14,
        "2.000806",
        "Đăng ký kết hôn có yếu tố nước ngoài",
        "Hộ tịch",
        XA,
        False,
        False,
        "Hai bên phải có mặt",
    ),
    (
        16,
        "2.001263",
        "Đăng ký việc nuôi con nuôi trong nước",
        "Nuôi con nuôi",
        XA,
        False,
        False,
        "Cha mẹ nuôi và con nuôi phải có mặt",
    ),
    (
        18,
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực",
        XA,
        False,
        False,
        "Ký trước mặt người chứng thực",
    ),
]

TWO_SHEETS_BY_MEMBERSHIP: list[Expected] = [
    (7, "1.012786", "Cấp lại Giấy chứng nhận do bị mất", "", TINH, False, True, "Chỉ trả kết quả"),
    (8, "1.010772", "Cấp Bằng Tổ quốc ghi công", "", TINH, True, True, ""),
    (11, "1.001193", "Đăng ký khai sinh", "Hộ tịch", XA, True, True, ""),
    (12, "1.000656", "Đăng ký khai tử", "Hộ tịch", XA, True, False, "Chỉ tiếp nhận hồ sơ"),
    (
        7,
        "1.000894",
        "Đăng ký kết hôn",
        "Hộ tịch",
        None,
        False,
        False,
        "Hai bên nam, nữ phải có mặt",
    ),
    (
        8,
        "1.000080",
        "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới",
        "Hộ tịch",
        None,
        False,
        False,
        "Các bên phải có mặt",
    ),
    (
        10,
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực",
        None,
        False,
        False,
        "Người yêu cầu phải ký trước mặt người thực hiện chứng thực",
    ),
]

ONE_SHEET_TWO_TABLES: list[Expected] = [
    (6, "1.001193", "Đăng ký khai sinh", "Hộ tịch", None, True, True, ""),
    (
        7,
        "1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Bảo trợ xã hội",
        None,
        False,
        True,
        "",
    ),
    (8, "1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", "Giáo dục", None, True, False, ""),
    (12, "1.000894", "Đăng ký kết hôn", "Hộ tịch", None, False, False, "Hai bên phải có mặt"),
    (
        13,
        "1.000094",
        "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
        "Hộ tịch",
        None,
        False,
        False,
        "Hai bên phải có mặt",
    ),
]

THREE_ROW_HEADER: list[Expected] = [
    (6, "1.012784", "Tách thửa hoặc hợp thửa đất", "", TINH, True, True, ""),
    (7, "1.001193", "Đăng ký khai sinh", "", XA, True, True, ""),
    (8, "1.000894", "Đăng ký kết hôn", "", XA, False, False, "Phải có mặt"),
]

DECISION_DOCX: list[Expected] = [
    (4, "1.012786", "Cấp lại Giấy chứng nhận do bị mất", "Đất đai", TINH, True, True, ""),
    (5, "1.012784", "Tách thửa hoặc hợp thửa đất", "Đất đai", TINH, True, True, ""),
    (7, "1.001193", "Đăng ký khai sinh", "Hộ tịch", XA, True, True, ""),
    (8, "1.000656", "Đăng ký khai tử", "Hộ tịch", XA, True, False, ""),
    (
        9,
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
        "Chứng thực",
        XA,
        False,
        True,
        "",
    ),
    (
        3,
        "1.000894",
        "Đăng ký kết hôn",
        "Hộ tịch",
        None,
        False,
        False,
        "Hai bên nam, nữ phải có mặt",
    ),
    (
        4,
        "1.000094",
        "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
        "Hộ tịch",
        None,
        False,
        False,
        "Hai bên phải có mặt",
    ),
]

#: file, expected entries, decision and signing date its title block names (None: none).
CASES = [
    ("marker-merged-title.xlsx", MARKER_MERGED_TITLE, "1450/QĐ-UBND", date(2026, 6, 20)),
    ("markers-of-every-kind.xlsx", MARKERS_OF_EVERY_KIND, "78/QĐ-UBND", date(2026, 2, 5)),
    ("two-sheets-by-membership.xlsx", TWO_SHEETS_BY_MEMBERSHIP, "1450/QĐ-UBND", date(2026, 6, 20)),
    ("one-sheet-two-tables.xlsx", ONE_SHEET_TWO_TABLES, "1450/QĐ-UBND", date(2026, 6, 20)),
    ("three-row-header.xlsx", THREE_ROW_HEADER, None, None),
    ("decision-1450.docx", DECISION_DOCX, "1450/QĐ-UBND", date(2026, 6, 20)),
]


@pytest.mark.parametrize(
    ("name", "expected", "decision", "signed"), CASES, ids=[case[0] for case in CASES]
)
def test_each_layout_imports_as_typed_and_resolves(
    engine: Engine,
    do_import: ImportFn,
    name: str,
    expected: list[Expected],
    decision: str | None,
    signed: date | None,
) -> None:
    outcome = do_import(
        LAYOUTS / name,
        decision=None if decision else "9/QĐ-UBND",
        effective=date(2026, 7, 1),
        publish_now=True,
    )
    read = [
        (
            row,
            e.code_raw,
            e.name,
            e.field,
            e.level,
            e.postal_submission,
            e.postal_return,
            e.reason,
        )
        for row, e in outcome.parsed.entries
    ]
    assert read == expected
    assert all(unicodedata.is_normalized("NFC", e.name) for _, e in outcome.parsed.entries)
    assert outcome.version.decision == (decision or "9/QĐ-UBND")
    assert outcome.version.signed_on == signed
    assert outcome.status == "published"
    assert not [w for w in outcome.warnings if "skipped" not in w.reason]
    at = datetime(2026, 8, 1, 3, tzinfo=UTC)
    with session_scope() as session:
        for _, code_raw, _, _, _, submission, result, reason in expected:
            answer = resolve_code(session, code_raw, at)
            assert answer.outcome is Outcome.FOUND, code_raw
            assert answer.entry is not None
            assert (answer.entry.postal_submission, answer.entry.postal_return) == (
                submission,
                result,
            )
            assert answer.entry.reason == reason


def test_a_sheet_without_a_list_is_named_in_a_warning(engine: Engine, do_import: ImportFn) -> None:
    outcome = do_import(
        LAYOUTS / "two-sheets-by-membership.xlsx", decision=None, effective=date(2026, 7, 1)
    )
    (skipped,) = outcome.warnings
    assert skipped.table == "sheet 'Hướng dẫn'"
    assert skipped.table_vi == "trang tính «Hướng dẫn»"
    assert "skipped, it holds no list" in skipped.reason


def test_a_typed_decision_that_differs_from_the_title_is_a_warning(
    engine: Engine, do_import: ImportFn
) -> None:
    outcome = do_import(
        LAYOUTS / "decision-1450.docx", decision="1540/QĐ-UBND", effective=date(2026, 7, 1)
    )
    assert outcome.version.decision == "1540/QĐ-UBND"
    assert outcome.version.signed_on is None  # the title's date belongs to another number
    (warning,) = outcome.warnings
    assert warning.value == "1450/QĐ-UBND"
    assert "names decision 1450/QĐ-UBND, not 1540/QĐ-UBND" in warning.reason


def test_a_sheet_name_can_say_which_list_it_is(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Không thực hiện"
    sheet.append(["STT", "Mã TTHC", "Tên TTHC", "Lý do"])
    sheet.append([1, "1.000894", "Đăng ký kết hôn", "Hai bên phải có mặt"])
    book.save(tmp_path / "pl2.xlsx")
    ((row, entry),) = read_list(tmp_path / "pl2.xlsx").entries
    assert (row, entry.postal_submission, entry.postal_return) == (2, False, False)


def test_one_mark_column_for_both_legs_needs_no_list_title(tmp_path: Path) -> None:
    """ "Thực hiện qua dịch vụ BCCI" with X: both legs, blank: neither (with its reason)."""
    rows = [
        ["STT", "Mã TTHC", "Tên TTHC", "Thực hiện qua dịch vụ BCCI", "Ghi chú"],
        ["1", "1.001193", "Đăng ký khai sinh", "X", ""],
        ["2", "1.000894", "Đăng ký kết hôn", "", "Hai bên phải có mặt"],
        ["3", "1.001731", "Hỗ trợ chi phí mai táng", "Chỉ trả kết quả", ""],
    ]
    path = write_csv(tmp_path / "one-column.csv", rows)
    read = [(e.code, e.postal_submission, e.postal_return) for _, e in read_list(path).entries]
    assert read == [
        ("1.001193", True, True),
        ("1.000894", False, False),
        ("1.001731", False, True),
    ]
