"""Importing lists: the samples, every kind of broken file, and all-or-nothing storage."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.catalog.importer import read_list
from postlink.catalog.problems import CatalogValidationError, Problem
from postlink.catalog.publish import NoChangesError
from postlink.models import AuditEntry, ListEntry, ListVersion
from tests.catalog.conftest import (
    HEADER,
    JANUARY_CSV,
    JANUARY_XLSX,
    JULY_CSV,
    ImportFn,
    counts,
    csv_bytes,
    table,
    write_csv,
    write_xlsx,
)


def test_both_january_samples_import_to_identical_lists(
    engine: Engine, do_import: ImportFn
) -> None:
    first = do_import(JANUARY_XLSX, publish_now=True)
    assert first.status == "published"
    assert len(first.parsed.entries) >= 60
    assert first.diff.base is None
    second = do_import(JANUARY_CSV)
    assert second.status == "draft"
    assert second.diff.base is not None
    assert second.diff.base.id == first.version.id
    assert second.diff.is_empty
    assert second.warnings == []


def test_import_stores_the_draft_its_entries_and_an_audit_row(
    engine: Engine, do_import: ImportFn
) -> None:
    outcome = do_import(JANUARY_CSV, signed_on=date(2025, 12, 20), note="Phụ lục I")
    with Session(engine) as session:
        version = session.get(ListVersion, outcome.version.id)
        assert version is not None
        assert (version.status, version.imported_by, version.entry_count) == ("draft", "tester", 67)
        assert version.source_name == "cao-bang-2026-01.csv"
        assert len(version.source_sha256) == 64
        marriage = session.exec(
            select(ListEntry).where(ListEntry.procedure_code == "1.000894")
        ).one()
        assert (marriage.postal_submission, marriage.postal_return) == (False, False)
        assert marriage.legal_basis == "Luật Hộ tịch số 60/2014/QH13, Điều 18 khoản 1"
        assert (marriage.field, marriage.level, marriage.source_row) == ("Hộ tịch", "xa", 48)
        (row,) = session.exec(select(AuditEntry)).all()
    assert (row.action, row.actor, row.entity_id, row.reason) == (
        "catalog.import",
        "tester",
        str(version.id),
        "Phụ lục I",
    )
    assert row.after is not None
    assert row.after["entry_count"] == 67


def test_removed_procedures_and_a_different_decision_are_warnings(
    engine: Engine, do_import: ImportFn
) -> None:
    do_import(JANUARY_CSV, publish_now=True)
    outcome = do_import(
        JULY_CSV, decision="999/QĐ-UBND", effective=date(2026, 7, 1), signed_on=date(2026, 8, 1)
    )
    reasons = [w.reason for w in outcome.warnings]
    assert any("the title block names decision 1234/QĐ-UBND, not 999/QĐ-UBND" in r for r in reasons)
    assert any("signed after its effective date" in r for r in reasons)
    removed = [w.value for w in outcome.warnings if "leaves the list" in w.reason]
    assert removed == ["1.990602", "1.991902"]
    assert outcome.status == "draft"


def test_identical_list_is_not_published_without_force_and_nothing_is_stored(
    engine: Engine, do_import: ImportFn
) -> None:
    do_import(JANUARY_XLSX, publish_now=True)
    before = counts(engine)
    with pytest.raises(NoChangesError, match=r"giống hệt phiên bản 1 .* chưa lưu gì"):
        do_import(JANUARY_CSV, publish_now=True)
    assert counts(engine) == before
    forced = do_import(JANUARY_CSV, publish_now=True, force=True)
    assert forced.published is not None
    assert [v.id for v in forced.published.superseded] == [1]


def test_nfd_text_imports_as_the_same_nfc_list(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    rows = [
        [
            "Mã TTHC",
            "Tên thủ tục hành chính",
            "Tiếp nhận hồ sơ qua BCCI",
            "Trả kết quả qua BCCI",
            "Lý do",
        ],
        ["I. Lĩnh vực Hộ tịch"],
        ["1.001193", "Đăng ký khai sinh", "Có", "Có", ""],
        ["1.000894", "Đăng ký kết hôn", "Không", "Không", "Hai bên nam, nữ phải có mặt"],
    ]
    nfd = [[unicodedata.normalize("NFD", cell) for cell in row] for row in rows]
    do_import(write_csv(tmp_path / "nfc.csv", rows), publish_now=True)
    outcome = do_import(write_csv(tmp_path / "nfd.csv", nfd))
    assert outcome.diff.is_empty
    entry = outcome.parsed.entries[1][1]
    assert entry.name == "Đăng ký kết hôn"
    assert unicodedata.is_normalized("NFC", entry.field)
    assert (entry.field, entry.postal_submission) == ("Hộ tịch", False)


ONE_GOOD_ROW = ["1", "1.001193", "Đăng ký khai sinh", "X", "X", "", ""]
Expect = list[tuple[int | None, str | None, str]]


def _broken_files() -> list[tuple[str, Callable[[Path], Path], Expect]]:
    """(name, builder, expected (row, column, words of the reason)) for each broken file."""
    return [
        (
            "wrong header",
            lambda p: write_csv(
                p / "l.csv", [["Code", "Name", "Post in", "Post out"], ["1.001193", "x", "X", "X"]]
            ),
            [(None, None, "no header row in the first 30 rows")],
        ),
        (
            "header without return column",
            lambda p: write_csv(p / "l.csv", table(ONE_GOOD_ROW, header=HEADER[:4])),
            [(2, None, "no column for 'Trả kết quả qua BCCI'")],
        ),
        (
            "duplicate codes",
            lambda p: write_csv(
                p / "l.csv", table(ONE_GOOD_ROW, ["2", "1.001193.02", "Khai sinh", "X", "X"])
            ),
            [(4, "B (Mã TTHC)", "duplicate: procedure 1.001193 is already on row 3")],
        ),
        (
            "bad codes",
            lambda p: write_csv(
                p / "l.csv",
                table(
                    ["1", "1.00119", "Khai sinh", "X", "X"],
                    ["2", "TTHC-7", "Khai tử", "X", "X"],
                    ONE_GOOD_ROW,
                ),
            ),
            [
                (3, "B (Mã TTHC)", "Procedure code «1.00119» is invalid"),
                (4, "B (Mã TTHC)", "is invalid: the right form is like 1.001193"),
            ],
        ),
        (
            "excluded without reason",
            lambda p: write_csv(
                p / "l.csv",
                table(["1", "1.000894", "Đăng ký kết hôn", "", "-", "", "Luật Hộ tịch"]),
            ),
            [
                (
                    3,
                    "F (Lý do)",
                    "excluded from the post (neither submission nor return) without a reason",
                )
            ],
        ),
        (
            "unknown level and mark",
            lambda p: write_csv(
                p / "l.csv",
                table(
                    ["1", "1.001193", "Khai sinh", "Y", "X", "", "", "Trung ương"],
                    header=[*HEADER, "Cấp thực hiện"],
                ),
            ),
            [
                (3, "D (Tiếp nhận hồ sơ qua BCCI)", "not an eligibility mark"),
                (3, "H (Cấp thực hiện)", "unknown level"),
            ],
        ),
        (
            "empty csv",
            lambda p: write_csv(p / "l.csv", []),
            [(None, None, "empty: there is no table to read")],
        ),
        (
            "empty xlsx",
            lambda p: write_xlsx(p / "l.xlsx", []),
            [(None, None, "empty: there is no table to read")],
        ),
        (
            "header only",
            lambda p: write_csv(p / "l.csv", table()),
            [(None, None, "no procedure rows")],
        ),
        (
            "binary renamed xlsx",
            lambda p: _write(p / "l.xlsx", os.urandom(3000)),
            [(None, None, "not an Excel .xlsx workbook")],
        ),
        (
            "binary renamed csv",
            lambda p: _write(p / "l.csv", b"\x00\x01PK" + os.urandom(3000)),
            [(None, None, "binary file, not CSV")],
        ),
        (
            "huge cell",
            lambda p: write_xlsx(
                p / "l.xlsx",
                table(
                    ONE_GOOD_ROW,
                    ["2", "1.000656", "Đăng ký khai tử", "X", "X", "", "Căn cứ " * 2000],
                ),
            ),
            [(4, "G (Căn cứ pháp lý)", "13,999 characters long, more than the 4,000 allowed")],
        ),
        (
            "formula cells",
            lambda p: write_xlsx(
                p / "l.xlsx",
                table(["=ROW()-2", "1.001193", '="Đăng ký"&" khai sinh"', "X", '=IF(1,"X","")']),
            ),
            [
                (3, "C (Tên thủ tục hành chính)", "holds a formula"),
                (3, "E (Trả kết quả qua BCCI)", "holds a formula"),
            ],
        ),
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("build", "expected"),
    [case[1:] for case in _broken_files()],
    ids=[case[0] for case in _broken_files()],
)
def test_broken_files_report_every_error_and_change_nothing(
    engine: Engine,
    do_import: ImportFn,
    tmp_path: Path,
    build: Callable[[Path], Path],
    expected: Expect,
) -> None:
    do_import(JANUARY_CSV, publish_now=True)
    before = counts(engine)
    with pytest.raises(CatalogValidationError) as caught:
        do_import(build(tmp_path), publish_now=True)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert len(errors) == len(expected), errors
    for problem, (row, column, words) in zip(errors, expected, strict=True):
        assert (problem.row, problem.column) == (row, column)
        assert words in problem.reason, problem
    untranslated = [p for p in caught.value.problems if not p.reason_vi]
    assert untranslated == [], "the web console shows these reasons in Vietnamese"
    assert counts(engine) == before


def test_validation_error_counts_and_caps_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("postlink.catalog.problems.MAX_PROBLEMS", 5)
    path = write_csv(
        tmp_path / "l.csv", table(*[["", f"9.{n:06d}", "", "X", "X"] for n in range(20)])
    )
    with pytest.raises(
        CatalogValidationError, match=r"Tệp «l\.csv» có 20 lỗi và 0 cảnh báo; chưa có gì được lưu"
    ) as caught:
        read_list(path)
    assert len(caught.value.problems) == 5
    assert caught.value.omitted == 15


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="không tồn tại"):
        read_list(tmp_path / "nope.xlsx")


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "X",
            "x",
            "✓",
            "Có",
            "Không",
            "-",
            "1",
            "1.000894",
            "2.000884.000.00.00.H14",
            "1.00089",
            "=A1",
            "Tỉnh",
            "Xã",
            "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH",
            "I. Lĩnh vực Hộ tịch",
            "000.00.12.H14",
            "Mã TTHC",
            "\u00a0",
            "x" * 5000,
        ]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.one_of(st.just(HEADER), st.lists(CELLS, max_size=8)),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=12),
    as_xlsx=st.booleans(),
)
def test_random_rows_only_ever_fail_as_validation_errors(
    engine: Engine, do_import: ImportFn, header: list[str], rows: list[list[str]], as_xlsx: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cells = [[cell.replace("\x00", "") for cell in row] for row in [header, *rows]]
        if as_xlsx:
            safe = [
                ["".join(c for c in cell if c.isprintable() or c == " ") for cell in row]
                for row in cells
            ]
            path = write_xlsx(Path(folder) / "random.xlsx", safe)
        else:
            path = write_csv(Path(folder) / "random.csv", cells)
        before = counts(engine)
        try:
            outcome = do_import(path)
        except CatalogValidationError as exc:
            failure: CatalogValidationError | None = exc
        else:
            failure = None
            assert outcome.parsed.entries
            assert counts(engine)[0] == before[0] + 1
        if failure is not None:
            assert failure.problems
            assert all(isinstance(p, Problem) for p in failure.problems)
            assert all(p.reason_vi for p in failure.problems), failure.problems
            assert counts(engine) == before


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_only_ever_fail_as_validation_errors(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(data)
        try:
            read_list(path)
        except CatalogValidationError as exc:
            problems = exc.problems
        else:
            problems = []
    assert all(p.reason_vi for p in problems), problems


def test_entries_keep_the_order_of_the_file(engine: Engine, do_import: ImportFn) -> None:
    outcome = do_import(JANUARY_XLSX)
    with Session(engine) as session:
        codes = session.exec(
            select(ListEntry.procedure_code)
            .where(ListEntry.version_id == outcome.version.id)
            .order_by(col(ListEntry.source_row))
        ).all()
    assert list(codes) == [entry.code for _, entry in outcome.parsed.entries]
    assert codes[:2] == ["1.012786", "1.012784"]


def test_csv_bytes_helper_round_trips() -> None:
    assert csv_bytes([["a", None]]) == "\ufeffa,\r\n".encode()
