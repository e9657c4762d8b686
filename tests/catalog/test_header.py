"""Finding the header under a title block and recognising Vietnamese column titles."""

from __future__ import annotations

import unicodedata

import pytest

from postlink.catalog.header import Column, HeaderError, find_header, recognise
from postlink.catalog.reader import RawRow


@pytest.mark.parametrize(
    ("title", "column"),
    [
        ("STT", Column.STT),
        ("Số TT", Column.STT),
        ("Mã TTHC", Column.CODE),
        ("Mã số", Column.CODE),
        ("MÃ THỦ TỤC", Column.CODE),
        ("Mã số TTHC", Column.CODE),
        ("ma tthc", Column.CODE),
        ("Tên thủ tục hành chính", Column.NAME),
        ("TÊN TTHC", Column.NAME),
        ("Lĩnh vực", Column.FIELD),
        ("Cơ quan thực hiện", Column.AGENCY),
        ("Cơ quan giải quyết", Column.AGENCY),
        ("Mã cơ quan", Column.AGENCY_CODE),
        ("Cấp thực hiện", Column.LEVEL),
        ("Tiếp nhận hồ sơ qua BCCI", Column.SUBMISSION),
        ("Tiếp nhận (hồ sơ) qua BCCI", Column.SUBMISSION),
        ("  tiep   nhan\u00a0ho so ", Column.SUBMISSION),
        ("Trả kết quả qua BCCI", Column.RETURN),
        ("Trả KQ", Column.RETURN),
        ("Lý do", Column.REASON),
        ("Lý do / Ghi chú", Column.REASON),
        ("Lý do không thực hiện qua dịch vụ BCCI", Column.REASON),
        ("Căn cứ pháp lý", Column.LEGAL_BASIS),
        ("Ghi chú", Column.NOTE),
        (unicodedata.normalize("NFD", "Trả kết quả qua BCCI"), Column.RETURN),
        ("Tiếp nhận hồ sơ và trả kết quả qua BCCI", Column.SCOPE),
        ("Hình thức thực hiện qua dịch vụ BCCI", Column.SCOPE),
        ("", None),
    ],
)
def test_titles_are_recognised_whatever_case_spacing_or_diacritics(
    title: str, column: Column | None
) -> None:
    assert recognise(title) is column


def rows(*cells: tuple[str, ...]) -> list[RawRow]:
    return [RawRow(number, row) for number, row in enumerate(cells, start=1)]


def test_header_under_a_title_block() -> None:
    header, rest = find_header(
        iter(
            rows(
                ("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                ("(Kèm theo Quyết định số 125/QĐ-UBND)",),
                (),
                ("STT", "Mã TTHC", "Tên thủ tục hành chính", "Tiếp nhận hồ sơ", "Trả kết quả"),
                ("1", "1.001193", "Đăng ký khai sinh", "X", "X"),
            )
        )
    )
    assert header.last_row == 4
    assert header.index[Column.CODE] == 1
    assert header.label(Column.NAME) == "C (Tên thủ tục hành chính)"
    assert header.title_block == (
        "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "(Kèm theo Quyết định số 125/QĐ-UBND)",
    )
    assert [row.number for row in rest] == [5]


def test_two_row_header_with_merged_group_title() -> None:
    header, rest = find_header(
        iter(
            rows(
                ("STT", "Mã số", "Tên TTHC", "Hình thức qua BCCI", "", "Lý do"),
                ("", "", "", "Tiếp nhận hồ sơ", "Trả kết quả", ""),
                ("1", "1.001193", "Đăng ký khai sinh", "X", "X", ""),
            )
        )
    )
    assert header.last_row == 2
    assert header.index[Column.SUBMISSION] == 3
    assert header.index[Column.RETURN] == 4
    assert header.index[Column.REASON] == 5
    assert [row.number for row in rest] == [3]


def test_note_column_carries_the_reason_when_there_is_no_reason_column() -> None:
    header, _ = find_header(
        iter(rows(("Mã TTHC", "Tên TTHC", "Tiếp nhận", "Trả kết quả", "Ghi chú")))
    )
    assert header.index[Column.REASON] == 4
    assert Column.NOTE not in header.index


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ((), "empty: there is no table to read"),
        (("Code", "Procedure", "Submit", "Return"), "no header row in the first 30 rows"),
        (
            ("Mã TTHC", "Tên TTHC", "Tiếp nhận hồ sơ"),
            "no column for 'Trả kết quả qua BCCI'",
        ),
        (
            ("Mã TTHC", "Tên TTHC", "Tiếp nhận", "Trả kết quả", "Mã số"),
            "columns A and E both read as 'Mã TTHC'",
        ),
    ],
)
def test_unusable_headers_say_what_was_expected(cells: tuple[str, ...], message: str) -> None:
    with pytest.raises(HeaderError, match=message):
        find_header(iter(rows(cells)))


def test_header_below_row_30_is_not_found() -> None:
    filler = [("tiêu đề",)] * 30
    with pytest.raises(HeaderError, match="no header row"):
        find_header(iter(rows(*filler, ("Mã TTHC", "Tên TTHC", "Tiếp nhận", "Trả kết quả"))))
