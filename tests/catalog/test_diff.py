"""Diffs: what an admin sees before a list takes effect."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from postlink.catalog.diff import CatalogDiff, ChangeKind, diff_entries, diff_versions
from postlink.models import Level, ListVersion
from tests.catalog.conftest import JANUARY_CSV, JULY_CSV, ImportFn
from tests.catalog.helpers import entry


def test_july_sample_diff_against_the_january_list(engine: Engine, do_import: ImportFn) -> None:
    january = do_import(JANUARY_CSV, publish_now=True)
    july = do_import(
        JULY_CSV, decision="1234/QĐ-UBND", effective=january.version.effective_from.replace(month=7)
    )
    diff = july.diff
    assert diff.base is not None
    assert diff.base.id == january.version.id
    assert {kind.value: n for kind, n in diff.counts.items()} == {
        "added": 3,
        "removed": 2,
        "eligibility": 3,
        "renamed": 2,
        "reason": 4,
        "details": 0,
    }
    assert [c.code for c in diff.of_kind(ChangeKind.ADDED)] == ["1.990105", "1.991109", "2.991804"]
    assert [c.code for c in diff.of_kind(ChangeKind.REMOVED)] == ["1.990602", "1.991902"]
    assert [(c.code, c.before, c.after) for c in diff.of_kind(ChangeKind.ELIGIBILITY)] == [
        ("1.010772", "return only", "submission and return"),
        ("1.012784", "return only", "submission and return"),
        ("1.991104", "submission and return", "submission only"),
    ]
    renamed = {c.code: (c.before, c.after) for c in diff.of_kind(ChangeKind.RENAMED)}
    assert renamed["1.001622"] == (
        "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo",
        "Hỗ trợ ăn trưa cho trẻ em mẫu giáo",
    )
    assert [c.code for c in diff.of_kind(ChangeKind.REASON)] == [
        "1.010772",
        "1.012784",
        "1.991104",
        "2.000884",
    ]
    with Session(engine) as session:
        old = session.get(ListVersion, january.version.id)
        new = session.get(ListVersion, july.version.id)
        assert old is not None
        assert new is not None
        assert diff_versions(session, old, new).changes == diff.changes
        assert diff_versions(session, new, new).is_empty


def test_agency_entries_are_matched_separately() -> None:
    old = [
        entry("1.012784", False, True, reason="Đối chiếu bản gốc"),
        entry("1.012784", agency_code="000.20.31.H14"),
    ]
    new = [entry("1.012784", True, True), entry("1.012784", agency_code="000.20.31.H14")]
    (eligibility, reason) = diff_entries(old, new)
    assert (eligibility.kind, eligibility.agency_code) == (ChangeKind.ELIGIBILITY, "")
    assert (reason.kind, reason.before, reason.after) == (
        ChangeKind.REASON,
        "Đối chiếu bản gốc",
        "",
    )


def test_every_other_stored_attribute_is_a_detail() -> None:
    old = [entry("2.000815", legal_basis="NĐ 23/2015", field="Chứng thực", level=Level.XA)]
    new = [
        entry(
            "2.000815",
            legal_basis="NĐ 23/2015, Điều 20",
            field="Chứng thực",
            level=Level.TINH,
            note="Bổ sung",
            code_raw="2.000815.000.00.00.H14",
        )
    ]
    details = {(c.attribute, c.before, c.after) for c in diff_entries(old, new)}
    assert details == {
        ("legal_basis", "NĐ 23/2015", "NĐ 23/2015, Điều 20"),
        ("level", "xa", "tinh"),
        ("note", "", "Bổ sung"),
        ("code_raw", "2.000815", "2.000815.000.00.00.H14"),
    }


def test_diff_as_json_document() -> None:
    diff = CatalogDiff(None, tuple(diff_entries([], [entry("1.001193")])))
    document = diff.as_dict()
    assert document["base"] is None
    assert document["counts"]["added"] == 1
    assert document["changes"][0] == {
        "kind": "added",
        "code": "1.001193",
        "agency_code": "",
        "name": "Thủ tục 1.001193",
        "attribute": "",
        "before": "",
        "after": "submission and return",
    }
