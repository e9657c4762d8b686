"""Export: a version written out re-imports to an identical list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink.catalog.export import export_version
from postlink.catalog.versions import entries_of
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import ListVersion
from tests.catalog.conftest import JANUARY_XLSX, ImportFn
from tests.catalog.helpers import add_draft, entry


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_reimports_to_an_identical_version(
    engine: Engine, do_import: ImportFn, tmp_path: Path, suffix: str
) -> None:
    original = do_import(JANUARY_XLSX, signed_on=date(2025, 12, 20), publish_now=True)
    path = tmp_path / f"export{suffix}"
    with session_scope() as session:
        version = session.get(ListVersion, original.version.id)
        assert version is not None
        assert export_version(session, version, path) == 67
    again = do_import(path)
    assert again.diff.base is not None
    assert again.diff.base.id == original.version.id
    assert again.diff.is_empty
    assert again.warnings == []  # the title block names the same decision
    with session_scope() as session:
        stored = [session.get(ListVersion, v.id) for v in (original.version, again.version)]
        first, second = (entries_of(session, v) for v in stored if v is not None)
    assert first == second


def test_export_keeps_agency_codes_levels_notes_and_localised_codes(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    with session_scope() as session:
        version = add_draft(
            session,
            date(2026, 1, 1),
            entry(
                "2.000815",
                False,
                True,
                reason="Xuất trình bản chính",
                code_raw="2.000815.000.00.00.H14",
                note="Ghi chú",
                level=None,
                field="",
            ),
            entry("2.000815", agency_code="000.00.12.H14", legal_basis="NĐ 23/2015"),
        )
        export_version(session, version, tmp_path / "l.csv")
        expected = entries_of(session, version)
    again = do_import(tmp_path / "l.csv")
    assert [e for _, e in again.parsed.entries] == expected


def test_export_needs_a_known_suffix(engine: Engine, tmp_path: Path) -> None:
    with session_scope() as session:
        version = add_draft(session, date(2026, 1, 1))
        with pytest.raises(PostlinkError, match=r"must end in \.xlsx or \.csv"):
            export_version(session, version, tmp_path / "l.pdf")
