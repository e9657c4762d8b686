"""Bad files are refused with a clear reason and change nothing (issue 12 §2, issue 14 §3)."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink.catalog.importer import read_list
from postlink.catalog.problems import CatalogValidationError, Problem
from postlink.catalog.reader import ReadBudget, UnreadableError
from tests.catalog.conftest import HEADER, JANUARY_XLSX, ImportFn, counts, table, write_csv
from tests.catalog.test_layouts import LAYOUTS


def refusal(path: Path) -> list[Problem]:
    with pytest.raises(CatalogValidationError) as caught:
        read_list(path)
    return [p for p in caught.value.problems if p.severity == "error"]


def test_letters_turned_to_question_marks_are_refused_naming_the_first_row(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    """What Excel writes when a Vietnamese list is saved as CSV in a Western code page:
    an ASCII header, and "?" for every letter the code page lacks (bytes typed by hand)."""
    path = tmp_path / "mangled.csv"
    path.write_bytes(
        b"STT,Ma TTHC,Ten thu tuc hanh chinh,Tiep nhan ho so qua BCCI,Tra ket qua qua BCCI,"
        b"Ly do\r\n"
        b"1,1.001193,??ng k\xfd khai sinh,X,X,\r\n"
        b"2,1.000656,??ng k\xfd khai t?,X,X,\r\n"
        b"3,1.000894,??ng k\xfd k?t h\xf4n,,,Hai b\xean ph?i c\xf3 m?t\r\n"
    )
    before = counts(engine)
    with pytest.raises(CatalogValidationError) as caught:
        do_import(path)
    (problem,) = caught.value.problems
    assert problem.row == 2
    assert problem.value == "??ng kư khai sinh"  # read as Windows-1258, 0xFD is "ư"
    assert "Vietnamese letters of 3 row(s) were lost" in problem.reason
    assert "bị mất dấu tiếng Việt" in problem.reason_vi
    assert counts(engine) == before


def test_utf8_read_as_a_western_code_page_is_refused(tmp_path: Path) -> None:
    """UTF-8 opened as Windows-1252 and saved again: "Đăng ký" becomes "Ä\x90Äƒng kÃ½"."""
    mangled = "Đăng ký khai sinh".encode().decode("cp1252", errors="replace")
    path = write_csv(
        tmp_path / "double.csv",
        table(["1", "1.001193", mangled, "X", "X"], ["2", "1.000656", "Đăng ký khai tử", "X", "X"]),
    )
    (problem,) = refusal(path)
    assert problem.row == 3
    assert "Ä" in problem.value
    assert "first on this row" in problem.reason


def test_real_vietnamese_with_capital_a_tilde_and_question_marks_is_accepted(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "fine.csv",
        table(
            ["1", "1.001193", "Đăng ký khai sinh (XÃ NGÃ BA)", "X", "X"],
            ["2", "1.000894", "Đăng ký kết hôn", "", "", "Có mặt? Bắt buộc", ""],
        ),
    )
    assert len(read_list(path).entries) == 2


def test_a_truncated_workbook_says_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(JANUARY_XLSX.read_bytes()[:3000])
    (problem,) = refusal(path)
    assert "is damaged" in problem.reason
    assert "bị hỏng" in problem.reason_vi
    assert "ZIP" not in problem.reason


def test_a_corrupted_part_says_damaged(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(JANUARY_XLSX) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # the sheet's XML stops mid-element
            target.writestr(info, data)
    (problem,) = refusal(path)
    assert "damaged" in problem.reason


def test_an_empty_sheet_and_a_foreign_sheet_are_named(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Trống"
    other = book.create_sheet("Báo cáo")
    other.append(["Tháng", "Số hồ sơ"])
    other.append(["1", "120"])
    book.save(tmp_path / "foreign.xlsx")
    problems = refusal(tmp_path / "foreign.xlsx")
    assert [(p.table, p.reason.split(":")[0]) for p in problems] == [
        ("sheet 'Trống'", "empty"),
        ("sheet 'Báo cáo'", "no header row in the first 30 rows"),
    ]
    assert problems[0].place_vi == "trang tính «Trống»"


def test_a_zip_bomb_is_refused_from_its_directory_at_once(tmp_path: Path) -> None:
    """A real workbook with one part that expands 1,000 times its packed size."""
    path = tmp_path / "bomb.xlsx"
    shutil.copy(JANUARY_XLSX, path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/image1.bin", b"\0" * (8 * 1024 * 1024))
    started = time.process_time()  # CPU time: a loaded machine's waits do not count
    (problem,) = refusal(path)
    assert time.process_time() - started < 2
    assert "expands to" in problem.reason
    assert "times its packed size" in problem.reason
    assert "giải nén" in problem.reason_vi


def test_rows_cells_and_time_are_bounded_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("postlink.catalog.reader.MAX_TABLE_ROWS", 10)
    problems = refusal(JANUARY_XLSX)
    assert [(p.row, p.reason.split(":")[0]) for p in problems] == [(11, "more than 10 rows")]
    monkeypatch.setattr("postlink.catalog.reader.MAX_TABLE_ROWS", 1_000)
    monkeypatch.setattr("postlink.catalog.reader.MAX_CELLS", 50)
    assert "more than 50 cells" in refusal(JANUARY_XLSX)[0].reason
    budget = ReadBudget(clock=iter([0.0, 20.0, 31.0]).__next__)  # started, row 1, row 2
    budget.charge(1, 3)
    with pytest.raises(UnreadableError, match="reading took more than 30 s"):
        budget.charge(2, 3)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("quyet-dinh.doc", "save it as .docx"),
        ("quyet-dinh.pdf", "use the decision's Word (.docx) or Excel (.xlsx) file"),
        ("danh-muc.xls", "save it as .xlsx"),
    ],
)
def test_other_formats_say_what_to_save_as(tmp_path: Path, name: str, advice: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7" if name.endswith(".pdf") else b"\xd0\xcf\x11\xe0" + bytes(8))
    (problem,) = refusal(path)
    assert advice in problem.reason


def test_a_word_97_file_named_docx_says_so(tmp_path: Path) -> None:
    path = tmp_path / "quyet-dinh.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (problem,) = refusal(path)
    assert "Word 97-2003 (.doc)" in problem.reason


def test_a_workbook_renamed_docx_is_not_read_as_word(tmp_path: Path) -> None:
    path = tmp_path / "danh-muc.docx"
    shutil.copy(LAYOUTS / "three-row-header.xlsx", path)
    (problem,) = refusal(path)
    assert "has no word/document.xml" in problem.reason


def test_a_table_without_eligibility_or_membership_says_what_to_add(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bare.csv",
        [
            ["DANH MỤC THỦ TỤC"],
            ["STT", "Mã TTHC", "Tên TTHC"],
            ["1", "1.001193", "Đăng ký khai sinh"],
        ],
    )
    (problem,) = refusal(path)
    assert problem.row == 3
    assert "does not say which list it is" in problem.reason
    assert HEADER[3] in problem.reason
