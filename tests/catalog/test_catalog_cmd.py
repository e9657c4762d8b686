"""``postlink catalog`` as an admin uses it, through the real entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.catalog.conftest import JANUARY_CSV, JANUARY_XLSX, JULY_CSV, counts, table, write_csv
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
JANUARY = ("--decision", "125/QĐ-UBND", "--effective", "2026-01-01", "--actor", "admin")
JULY = ("--decision", "1234/QĐ-UBND", "--effective", "01/07/2026", "--actor", "admin")


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.stderr
    return result


@pytest.fixture
def published(cli: Cli, engine: Engine) -> Cli:
    """The January list published and the July one imported as draft 2."""
    ok(cli("catalog", "import", str(JANUARY_XLSX), *JANUARY, "--signed", "20/12/2025", "--publish"))
    ok(cli("catalog", "import", str(JULY_CSV), *JULY))
    return cli


def test_samples_import_with_an_empty_diff_and_marriage_resolves_excluded(
    cli: Cli, engine: Engine
) -> None:
    first = ok(cli("catalog", "import", str(JANUARY_XLSX), *JANUARY, "--publish"))
    assert "Đã đọc 67 thủ tục từ cao-bang-2026-01.xlsx (trang tính «Danh mục»)." in first.stdout
    assert "Đã công bố phiên bản 1 (125/QĐ-UBND), áp dụng từ 01/01/2026" in first.stdout
    second = ok(cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--json"))
    document = json.loads(second.stdout)
    assert document["diff"]["changes"] == []
    assert document["diff"]["base"]["id"] == 1
    assert document["version"]["status"] == "draft"
    assert document["source"]["read_as_code"] == "catalog.read_as.csv_comma"
    assert document["source"]["read_as"].startswith("CSV, bảng mã ")
    text = ok(cli("catalog", "resolve", "1.000894", "--at", "2026-03-01T10:00"))
    assert "không thực hiện qua bưu chính" in text.stdout
    assert "Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn" in text.stdout
    answer = json.loads(
        ok(cli("catalog", "resolve", "1.000894", "--at", "2026-03-01T10:00", "--json")).stdout
    )
    assert answer["outcome"] == "found"
    assert (answer["postal_submission"], answer["postal_return"]) == (False, False)
    assert answer["reason"] == "Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn"
    assert answer["legal_basis"] == "Luật Hộ tịch số 60/2014/QH13, Điều 18 khoản 1"
    assert (answer["code"], answer["name"], answer["level"], answer["field"]) == (
        "1.000894",
        "Đăng ký kết hôn",
        "xa",
        "Hộ tịch",
    )
    assert (answer["version"]["id"], answer["version"]["decision"]) == (1, "125/QĐ-UBND")


def test_second_list_diff_publish_and_resolution_either_side_of_its_date(published: Cli) -> None:
    diff = ok(published("catalog", "diff", "1", "2"))
    assert (
        "Thêm mới 3, Bỏ khỏi danh mục 2, Đổi hình thức qua bưu chính 3, Đổi tên 2, Đổi lý do 4."
        in diff.stdout
    )
    assert (
        "1.012784  Tách thửa hoặc hợp thửa đất: chỉ trả kết quả qua bưu chính → "
        "nhận hồ sơ và trả kết quả qua bưu chính" in diff.stdout
    )
    done = ok(published("catalog", "publish", "1234/QĐ-UBND", "--actor", "admin", "--force"))
    assert "Phiên bản 1 (125/QĐ-UBND) nay áp dụng: 01/01/2026 → 01/07/2026." in done.stdout

    def submission(at: str) -> tuple[bool, str]:
        answer = json.loads(
            ok(published("catalog", "resolve", "1.012784", "--at", at, "--json")).stdout
        )
        return answer["postal_submission"], answer["version"]["decision"]

    assert submission("30/06/2026 23:59") == (False, "125/QĐ-UBND")
    assert submission("2026-07-01T00:00") == (True, "1234/QĐ-UBND")
    assert submission("2026-06-30T17:00:00+00:00") == (True, "1234/QĐ-UBND")


def test_invalid_file_lists_every_problem_and_stores_nothing(
    cli: Cli, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(
        tmp_path / "broken.csv",
        table(
            ["1", "1.00089", "Đăng ký kết hôn", "X", "X"],
            ["2", "1.000894", "Đăng ký kết hôn", "", "", "", ""],
        ),
    )
    result = cli("catalog", "import", str(path), *JANUARY)
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        "lỗi: dòng 3, cột B (Mã TTHC), giá trị «1.00089»: không phải mã thủ tục hành chính "
        "(dạng 1.001193); có thể Excel đã lưu mã dưới dạng số và bỏ các số 0 ở cuối: định "
        "dạng cột là Văn bản (Text) rồi nhập lại mã"
    )
    assert lines[1].startswith(
        "lỗi: dòng 4, cột F (Lý do): thủ tục không thực hiện qua bưu chính (không tiếp nhận, "
    )
    assert lines[-1] == (
        "lỗi: Tệp «broken.csv» có 2 lỗi và 0 cảnh báo; chưa có gì được lưu. Sửa tệp rồi nhập lại."
    )
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    result = cli("catalog", "import", str(path), *JANUARY)
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(
        "error: row 3, column B (Mã TTHC), value '1.00089': Procedure code «1.00089» is invalid"
    )
    assert lines[1].startswith("error: row 4, column F (Lý do): excluded from the post")
    assert lines[-1] == (
        "error: File «broken.csv» has 2 error(s) and 0 warning(s); nothing was stored. "
        "Fix the file and import it again."
    )
    monkeypatch.delenv("POSTLINK_LANGUAGE")
    as_json = cli("catalog", "import", str(path), *JANUARY, "--json")
    assert as_json.code == 1
    document = json.loads(as_json.stdout)
    assert [(p["row"], p["column"], p["value"]) for p in document["problems"]] == [
        (3, "B (Mã TTHC)", "1.00089"),
        (4, "F (Lý do)", ""),
    ]
    assert counts(engine) == (0, 0, 0)


def test_publishing_an_identical_list_needs_force(cli: Cli, engine: Engine) -> None:
    ok(cli("catalog", "import", str(JANUARY_XLSX), *JANUARY, "--publish"))
    refused = cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--publish")
    assert refused.code == 1
    assert refused.stderr.startswith(
        "lỗi: Không có thay đổi: cao-bang-2026-01.csv giống hệt phiên bản 1 "
    )
    assert "Thêm --force để vẫn công bố" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    forced = ok(cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--publish", "--force"))
    assert "Phiên bản 1 (125/QĐ-UBND) bị thay thế" in forced.stdout


def test_list_show_export_history_withdraw(published: Cli, tmp_path: Path) -> None:
    versions = json.loads(ok(published("catalog", "list", "--json")).stdout)
    assert [(v["id"], v["status"]) for v in versions] == [(2, "draft"), (1, "published")]
    assert "125/QĐ-UBND" in ok(published("catalog", "list")).stdout
    shown = json.loads(ok(published("catalog", "show", "1", "--json")).stdout)
    assert shown["version"]["signed_on"] == "2025-12-20"
    assert len(shown["entries"]) == 67
    text = ok(published("catalog", "show", "125/QĐ-UBND")).stdout
    assert "67 (12 không thực hiện qua bưu chính)" in text
    assert "@000.20.31.H14" in text
    output = tmp_path / "out.xlsx"
    assert (
        "Đã ghi 67 thủ tục của phiên bản 1"
        in ok(published("catalog", "export", "1", "-o", str(output))).stdout
    )
    history = json.loads(ok(published("catalog", "history", "1.012784", "--json")).stdout)
    assert [v["version"]["id"] for v in history["versions"]] == [1]
    assert "chỉ trả kết quả qua bưu chính" in ok(published("catalog", "history", "1.012784")).stdout
    ok(published("catalog", "publish", "2", "--actor", "admin", "--force"))
    withdrawn = ok(
        published("catalog", "withdraw", "2", "--reason", "Quyết định bị hủy", "--actor", "admin")
    )
    assert (
        "Phiên bản 1 (125/QĐ-UBND) áp dụng trở lại: 01/01/2026 → chưa hết hạn." in withdrawn.stdout
    )


def test_edit_a_draft(published: Cli) -> None:
    result = ok(
        published(
            "catalog",
            "edit",
            "2",
            "1.991104",
            "--return",
            "--reason",
            "",
            "--why",
            "Phụ lục sai",
            "--actor",
            "admin",
            "--json",
        )
    )
    document = json.loads(result.stdout)
    assert (document["before"]["postal_return"], document["after"]["postal_return"]) == (
        False,
        True,
    )
    refused = published(
        "catalog", "edit", "1", "1.991104", "--no-return", "--why", "x", "--actor", "a"
    )
    assert refused.code == 1
    assert "chỉ sửa được bản nháp" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("resolve", "1.00089"), "Mã thủ tục «1.00089» không hợp lệ"),
        (("resolve", "1.000894", "--at", "tomorrow"), "--at «tomorrow» không phải thời điểm"),
        (("resolve", "1.000894", "--agency", "UBND"), "«UBND» không phải mã cơ quan"),
        (("show", "99"), "Không có phiên bản danh mục 99 (xem: postlink catalog list)."),
        (("show", "7/QĐ-UBND"), "Không có phiên bản danh mục nào theo quyết định «7/QĐ-UBND»"),
        (("history", "abc"), "Mã thủ tục «abc» không hợp lệ"),
        (("import", "missing.xlsx", *JANUARY), "Tệp missing.xlsx không tồn tại"),
        (
            ("import", str(JANUARY_CSV), *JANUARY, "--encoding", "latin-9x"),
            "lỗi: --encoding «latin-9x» không phải bảng mã được hỗ trợ",
        ),
    ],
)
def test_user_errors_are_one_line(
    cli: Cli, engine: Engine, args: tuple[str, ...], message: str
) -> None:
    result = cli("catalog", *args)
    assert result.code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_list_and_not_on_list_answers(published: Cli) -> None:
    early = ok(published("catalog", "resolve", "1.000894", "--at", "2025-06-01"))
    assert "Không có danh mục nào áp dụng lúc 01/06/2025 00:00" in early.stdout
    missing = json.loads(
        ok(published("catalog", "resolve", "1.234567", "--at", "2026-02-01", "--json")).stdout
    )
    assert (missing["outcome"], missing["code"], missing["name"]) == (
        "not_on_list",
        "1.234567",
        None,
    )
    assert missing["version"]["id"] == 1
