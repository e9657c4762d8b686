"""Rows to entries: marks, levels, sections carried down, and every problem on a row."""

from __future__ import annotations

import unicodedata

import pytest

from postlink.catalog.header import Header, find_header
from postlink.catalog.problems import Problems, Severity
from postlink.catalog.reader import RawRow
from postlink.catalog.rows import RowParser, parse_level, parse_mark, section_of
from postlink.catalog.snapshots import EntrySnapshot
from postlink.models import Level


@pytest.mark.parametrize("mark", ["X", "x", " x ", "✓", "✔", "√", "Có", "có", "CO", "Yes", "1"])
def test_yes_marks(mark: str) -> None:
    assert parse_mark(mark.strip()) is True


@pytest.mark.parametrize("mark", ["", "-", "–", "Không", "KHÔNG", "khong", "No", "0"])
def test_no_marks(mark: str) -> None:
    assert parse_mark(mark) is False


@pytest.mark.parametrize("mark", ["XX", "Có thể", "?", "2"])
def test_other_marks_are_not_guessed(mark: str) -> None:
    assert parse_mark(mark) is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Tỉnh", Level.TINH),
        ("Cấp tỉnh", Level.TINH),
        ("Xã", Level.XA),
        ("cấp xã", Level.XA),
        ("Xã, phường", Level.XA),
        ("Huyện", Level.HUYEN),
        ("Trung ương", None),
        ("Tỉnh/Xã", None),
    ],
)
def test_levels(text: str, level: Level | None) -> None:
    assert parse_level(text) is level


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH", (Level.TINH, None)),
        ("B. Thủ tục hành chính cấp xã", (Level.XA, None)),
        ("I. Lĩnh vực Hộ tịch", (None, "Hộ tịch")),
        ("II. LĨNH VỰC CHỨNG THỰC", (None, "Chứng thực")),
        ("3. Linh vuc: Dat dai", (None, "Dat dai")),
        (
            unicodedata.normalize("NFD", "I. Lĩnh vực Hộ tịch"),
            (None, unicodedata.normalize("NFD", "Hộ tịch")),
        ),
        ("Danh mục thủ tục", (None, None)),
    ],
)
def test_section_titles(text: str, section: tuple[Level | None, str | None]) -> None:
    assert section_of(text) == section


HEADER_CELLS = (
    "STT",
    "Mã TTHC",
    "Tên TTHC",
    "Cấp thực hiện",
    "Tiếp nhận",
    "Trả kết quả",
    "Lý do",
    "Mã cơ quan",
)


def parser() -> tuple[RowParser, Problems]:
    header: Header = find_header(iter([RawRow(1, HEADER_CELLS)]))[0]
    problems = Problems()
    return RowParser(header, problems), problems


def parse_all(*cells: tuple[str, ...]) -> tuple[list[EntrySnapshot], Problems]:
    row_parser, problems = parser()
    entries = [row_parser.parse(RawRow(n, c)) for n, c in enumerate(cells, start=2)]
    return [e for e in entries if e is not None], problems


def test_sections_carry_level_and_field_down_and_a_level_clears_the_field() -> None:
    entries, problems = parse_all(
        ("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH",),
        ("I. Lĩnh vực Đất đai",),
        ("1", "1.012786", "Cấp lại Giấy chứng nhận do bị mất", "", "X", "X"),
        ("B. THỦ TỤC HÀNH CHÍNH CẤP XÃ",),
        ("2", "1.001193", "Đăng ký khai sinh", "", "X", "X"),
        ("3", "1.000656", "Đăng ký khai tử", "Tỉnh", "X", "X"),
    )
    assert problems.errors == problems.warnings == 0
    assert [(e.code, e.level, e.field) for e in entries] == [
        ("1.012786", Level.TINH, "Đất đai"),
        ("1.001193", Level.XA, ""),
        ("1.000656", Level.TINH, ""),
    ]


def test_localised_code_is_reduced_to_its_base_and_kept_as_written() -> None:
    entries, _ = parse_all(
        (
            "1",
            "2.000815.000.00.00.H14",
            "Chứng thực bản sao",
            "",
            "",
            "X",
            "Phải xuất trình bản chính",
        )
    )
    assert (entries[0].code, entries[0].code_raw) == ("2.000815", "2.000815.000.00.00.H14")


def test_a_localised_variant_is_reduced_to_its_base_and_kept_as_written() -> None:
    """Issue 13 §6: the combined form (agency, then the variant) is a procedure code."""
    row = ("1", "2.000815.000.00.00.H55.02", "Chứng thực bản sao", "", "X", "X", "")
    entries, problems = parse_all(row)
    assert problems.errors == 0
    assert (entries[0].code, entries[0].code_raw) == ("2.000815", "2.000815.000.00.00.H55.02")


def test_an_agency_code_with_a_letter_qcvn_102_does_not_use_is_refused() -> None:
    row = ("1", "1.001193", "Đăng ký khai sinh", "", "X", "X", "", "000.00.12.O14")
    _, problems = parse_all(row)
    (problem,) = problems.kept
    assert (problem.column, problem.value) == ("H (Mã cơ quan)", "000.00.12.O14")
    assert problem.reason_vi == (
        "không phải mã cơ quan (dạng 000.00.12.H14 hoặc H14.12, chữ cái cấp 1 là G hoặc H)"
    )


def test_every_problem_on_a_row_is_reported_with_row_column_and_value() -> None:
    _, problems = parse_all(("7", "1.00089", "", "Quận", "Y", "", "", "H14.99.x"))
    found = {(p.row, p.column, p.value) for p in problems.kept}
    assert found == {
        (2, "B (Mã TTHC)", "1.00089"),
        (2, "C (Tên TTHC)", ""),
        (2, "D (Cấp thực hiện)", "Quận"),
        (2, "E (Tiếp nhận)", "Y"),
        (2, "H (Mã cơ quan)", "H14.99.x"),
    }
    assert all(p.severity is Severity.ERROR for p in problems.kept)


def test_excel_number_code_gets_a_hint() -> None:
    _, problems = parse_all(("1", "2.0008", "Tên", "", "X", "X"))
    assert "stored the code as a number" in problems.kept[0].reason


def test_duplicate_base_code_names_the_first_row_but_agencies_may_differ() -> None:
    entries, problems = parse_all(
        ("1", "1.001193", "Đăng ký khai sinh", "", "X", "X"),
        ("2", "1.001193.02", "Đăng ký khai sinh (biến thể)", "", "X", "X"),
        ("3", "1.001193", "Đăng ký khai sinh", "", "X", "X", "", "000.00.12.H14"),
    )
    assert [e.agency_code for e in entries] == ["", "000.00.12.H14"]
    (duplicate,) = problems.kept
    assert duplicate.row == 3
    assert "already on row 2" in duplicate.reason


def test_excluded_without_reason_is_an_error_but_one_leg_needs_none() -> None:
    entries, problems = parse_all(
        ("1", "1.000894", "Đăng ký kết hôn", "", "", "", ""),
        ("2", "2.000815", "Chứng thực bản sao", "", "", "X", ""),
    )
    assert [e.code for e in entries] == ["2.000815"]
    (error,) = problems.kept
    assert (error.row, error.column) == (2, "G (Lý do)")
    assert "without a reason" in error.reason


def test_formula_and_oversized_cells_are_refused() -> None:
    _, problems = parse_all(
        ("=ROW()", "1.001193", '=A1&"x"', "", "X", "X"),
        ("2", "1.000656", "Đăng ký khai tử " * 300, "", "X", "X"),
    )
    assert [(p.row, p.column) for p in problems.kept] == [(2, "C (Tên TTHC)"), (3, "C (Tên TTHC)")]
    assert "formula" in problems.kept[0].reason
    assert "more than the 4,000 allowed" in problems.kept[1].reason


def test_rows_without_code() -> None:
    entries, problems = parse_all(
        ("(1)", "(2)", "(3)", "(4)"),
        ("", "", "Đăng ký khai sinh"),
        ("", "", "Đăng ký khai tử", "", "X", "X"),
        ("Ghi chú: danh mục có hiệu lực từ ngày ký",),
    )
    assert entries == []
    assert [(p.row, p.severity, p.column) for p in problems.kept] == [
        (3, Severity.ERROR, "B (Mã TTHC)"),
        (4, Severity.ERROR, "B (Mã TTHC)"),
        (5, Severity.WARNING, None),
    ]


def test_a_plain_title_alone_left_of_the_names_sets_the_field() -> None:
    """ "Hộ tịch" typed into a row merged from column A, neither bold nor marked; a remark
    in the same place stays a warning."""
    entries, problems = parse_all(
        ("Hộ tịch",),
        ("1", "1.001193", "Đăng ký khai sinh", "", "X", "X"),
        ("Tổng cộng: 1 thủ tục",),
    )
    assert [(e.code, e.field) for e in entries] == [("1.001193", "Hộ tịch")]
    assert [(p.row, p.severity) for p in problems.kept] == [(4, Severity.WARNING)]
