"""Reading files as rows: encodings, delimiters, workbooks, and files that are not lists."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from postlink.catalog.reader import RawRow, UnreadableError, detect_encoding, open_rows
from postlink.errors import PostlinkError
from tests.catalog.conftest import cp1258, csv_bytes, write_xlsx

ROWS = [
    ["Mã TTHC", "Tên thủ tục hành chính", "Tiếp nhận", "Trả kết quả"],
    ["1.001193", "Đăng ký khai sinh", "X", "Có"],
]


def read(path: Path, **options: str) -> tuple[str, list[RawRow]]:
    """The file's description as a person reads it (Vietnamese by default), and its rows."""
    with open_rows(path, **options) as source:
        return str(source.description), list(source.rows)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8-sig", "utf-8-sig"),
        ("utf-8", "utf-8"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1258", "cp1258"),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, detected: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS, encoding=encoding))
    assert detect_encoding(path) == detected
    _, rows = read(path)
    assert rows[1].cells == ("1.001193", "Đăng ký khai sinh", "X", "Có")


def test_windows_1258_text_is_composed_to_nfc(tmp_path: Path) -> None:
    """cp1258 writes tone marks as combining characters; cells come back precomposed."""
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["Đăng ký kết hôn"]], encoding="cp1258"))
    _, rows = read(path)
    assert rows[0].cells == ("Đăng ký kết hôn",)


def test_encoding_override_and_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="cp1258"))
    _, rows = read(path, encoding="windows-1258")
    assert rows[1].cells[1] == "Đăng ký khai sinh"
    with pytest.raises(PostlinkError, match="Bảng mã «klingon» không được hỗ trợ"):
        read(path, encoding="klingon")


def test_wrong_encoding_override_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"a,b\r\nc,d\r\n" + cp1258("Đăng ký") + b",x\r\n")
    with pytest.raises(UnreadableError, match="line 3 is not valid utf-8"):
        read(path, encoding="utf-8")


def test_semicolon_separated_csv_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["DANH MỤC, thử nghiệm"], *ROWS], delimiter=";"))
    description, rows = read(path)
    assert description == "CSV, bảng mã utf-8-sig, phân cách bằng dấu chấm phẩy"
    assert rows[2].cells[1] == "Đăng ký khai sinh"


def test_the_description_is_worded_in_the_configured_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(ROWS, delimiter="\t", encoding="utf-8"))
    with open_rows(path) as source:
        described = source.description
    assert described.code == "catalog.read_as.csv_tab"
    assert str(described) == "CSV, bảng mã utf-8, phân cách bằng dấu tab"
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    assert str(described) == "CSV, utf-8, tab-separated"


def test_row_numbers_count_records_as_excel_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([["Tiêu đề\nhai dòng"], [], *ROWS]))
    _, rows = read(path)
    assert [row.number for row in rows] == [1, 2, 3, 4]
    assert rows[0].cells == ("Tiêu đề hai dòng",)


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(UnreadableError, match="binary file, not CSV"):
        read(path)


def test_overlong_csv_field_stops_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([*ROWS, ["1.000894", "x" * 200_000, "", ""]]))
    with pytest.raises(UnreadableError, match="field larger than field limit") as caught:
        read(path)
    assert caught.value.row == 3


def test_xlsx_rows_keep_sheet_numbers_and_formulas_as_text(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [[], ["Tiêu đề"], ["=1+1", 1.0, 2.5, True]])
    description, rows = read(path)
    assert description == "trang tính «Sheet»"
    assert rows[2] == RawRow(3, ("=1+1", "1", "2.5", "1"))


def test_xlsx_sheet_can_be_chosen(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", ROWS)
    with pytest.raises(PostlinkError) as caught:
        read(path, sheet="Annex")
    assert str(caught.value) == (
        "Tệp list.xlsx không có trang tính «Annex»; các trang tính của tệp: «Sheet»."
    )
    assert read(path, sheet="Sheet")[1][1].cells[0] == "1.001193"


def test_options_of_the_other_format_are_refused(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "list.xlsx", ROWS)
    text = tmp_path / "list.csv"
    text.write_bytes(csv_bytes(ROWS))
    with pytest.raises(PostlinkError, match="Chỉ tệp CSV mới chọn bảng mã"):
        read(workbook, encoding="utf-8")
    with pytest.raises(PostlinkError, match=r"Chỉ tệp \.xlsx mới chọn trang tính"):
        read(text, sheet="Sheet")


def test_random_bytes_renamed_xlsx_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnreadableError, match=r"not an Excel \.xlsx workbook"):
        read(path)


def test_old_xls_renamed_xlsx_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(UnreadableError, match=r"Excel 97-2003 \(.xls\)"):
        read(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "not a workbook")
    with pytest.raises(UnreadableError, match=r"not a readable \.xlsx workbook"):
        read(path)


def test_zip_bomb_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("postlink.catalog.reader.MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    path = write_xlsx(tmp_path / "list.xlsx", ROWS)
    with pytest.raises(UnreadableError, match="expands to"):
        read(path)


@pytest.mark.parametrize(("name", "hint"), [("list.xls", "save it as .xlsx"), ("list.pdf", "")])
def test_unsupported_suffix(tmp_path: Path, name: str, hint: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(UnreadableError, match="unsupported file type") as caught:
        read(path)
    assert hint in caught.value.reason.en
    assert "cần tệp .xlsx, .docx hoặc .csv" in caught.value.reason.vi


@pytest.mark.parametrize(
    "path",
    [
        Path(__file__).parents[2] / "config" / "catalog" / "cao-bang-2026-01.xlsx",
        *sorted((Path(__file__).parent / "layouts").glob("*.xlsx")),
    ],
    ids=lambda path: path.name,
)
def test_real_workbooks_read_as_openpyxl_reads_them(path: Path) -> None:
    """The bounded parser gives every sheet's rows as openpyxl's read-only mode gave them
    (values, formulas as text, empty rows between), bold title rows included."""
    import openpyxl

    from postlink.catalog.reader import clean_row

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    expected = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = clean_row(number, [cell.value for cell in cells])
            filled = [c for c in cells if c.value is not None and str(c.value).strip()]
            bold = 0 < len(set(filter(None, row.cells))) <= 2 and all(c.font.b for c in filled)
            expected.append((sheet.title, row.number, row.cells, bold))
    book.close()
    with open_rows(path) as source:
        read = [
            (table.sheet, row.number, row.cells, row.bold)
            for table in source.tables
            for row in table.rows
        ]
    assert read == expected
