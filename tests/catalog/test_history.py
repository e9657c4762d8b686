"""A procedure's eligibility across versions, as a complaint or an audit asks for it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from postlink.catalog.diff import ChangeKind
from postlink.catalog.history import procedure_history
from postlink.db import session_scope
from tests.catalog.conftest import JANUARY_CSV, JULY_CSV, ImportFn


def test_history_shows_each_version_and_what_changed(engine: Engine, do_import: ImportFn) -> None:
    do_import(JANUARY_CSV, publish_now=True)
    do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=date(2026, 7, 1), publish_now=True)
    do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=date(2026, 7, 1))  # a draft: left out
    with session_scope() as session:
        code, steps = procedure_history(session, "1.012784.000.00.00.H14")
        _, gone = procedure_history(session, "1.990602")
    assert code == "1.012784"
    assert [(s.version.decision, s.status) for s in steps] == [
        ("125/QĐ-UBND", "published"),
        ("1234/QĐ-UBND", "published"),
    ]
    assert [e.agency_code for e in steps[0].entries] == ["000.20.31.H14", ""]
    assert steps[0].changes == ()
    assert {c.kind for c in steps[1].changes} == {ChangeKind.ELIGIBILITY, ChangeKind.REASON}
    assert [len(s.entries) for s in gone] == [1, 0]
    assert [c.kind for c in gone[1].changes] == [ChangeKind.REMOVED]
