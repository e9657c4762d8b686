"""Costly files within the upload and package limits are refused or read fast (issue 14 §3).

Each file of ``crafted.CRAFTED`` is built by hand from raw XML (or bytes), stays under the
10 MiB upload cap and passes ``check_package`` (at most 64 MiB expanded, no part above
1 MiB packed more than 100 times), and holds one costly construct. Before the bounded
reader, these took 4 s to minutes each (shared strings: over 120 s inside
``openpyxl.load_workbook``, before any limit was consulted). Times are CPU seconds of this
process, so a loaded machine's waits do not count.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink.catalog.importer import read_list
from postlink.catalog.problems import CatalogValidationError
from tests.catalog import crafted
from tests.catalog.conftest import ImportFn, counts

#: CPU seconds a crafted file may cost (the 20,000-row annex costs about 3 s here).
BUDGET_SECONDS = 3.0
#: Files whose cost is that of as many real rows: 30,000 plausible procedure rows are read
#: and checked like a real annex of that length (1.5 times the 20,000-row annex) before
#: the row limit refuses the rest.
LINEAR_SECONDS = {"long-rows.xlsx": 6.0}
#: What each refusal must say, in English and in Vietnamese (the limit it reached).
REFUSED = {
    "empty-cells.xlsx": ("more than 30,000 rows", "quá 30.000 dòng"),
    "entities.xlsx": ("declares a DTD", "khai báo DTD"),
    "far-down.xlsx": ("more than 30,000 rows", "quá 30.000 dòng"),
    "far-right.xlsx": ("beyond column 256", "vượt quá cột 256"),
    "long-rows.xlsx": ("more than 30,000 rows", "quá 30.000 dòng"),
    "many-lines.csv": ("more than 30,000 rows", "quá 30.000 dòng"),
    "many-sheets.xlsx": ("5,000 sheets or tables", "5.000 trang tính hoặc bảng"),
    "shared-strings.xlsx": ("XML elements", "phần tử XML"),
    "wide-line.csv": ("more than 500,000 cells", "quá 500.000 ô"),
    "wide-spans.docx": ("more than 500,000 cells", "quá 500.000 ô"),
}
#: Where the refusal says it stopped (the sheet or Word table, and the row).
WHERE = {
    "empty-cells.xlsx": "trang tính «Trang 1», dòng 30001",
    "far-right.xlsx": "trang tính «Trang 1», dòng 4",
    "wide-spans.docx": "bảng 1, dòng 8",
}


@pytest.mark.parametrize("name", sorted(crafted.CRAFTED))
def test_a_crafted_file_is_refused_or_read_within_its_budget(tmp_path: Path, name: str) -> None:
    path = crafted.CRAFTED[name](tmp_path / name)
    assert path.stat().st_size < 10 * 1024 * 1024
    started = time.process_time()
    try:
        parsed = read_list(path)
    except CatalogValidationError as exc:
        problems = [p for p in exc.problems if p.severity == "error"]
    else:
        problems = []
        assert [entry.code for _, entry in parsed.entries][:2] == ["1.001193", "1.000656"]
    spent = time.process_time() - started
    assert spent < LINEAR_SECONDS.get(name, BUDGET_SECONDS), f"{name}: {spent:.1f} s"
    if name in REFUSED:
        en, vi = REFUSED[name]
        (limit,) = [p for p in problems if p.row is None or en in p.reason][-1:]
        assert en in limit.reason, [str(p) for p in problems[:3]]
        assert vi in limit.reason_vi
        if name in WHERE:
            assert limit.where_vi == WHERE[name]


def test_a_refused_crafted_workbook_stores_nothing(
    engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    path = crafted.giant_shared_strings(tmp_path / "danh-muc.xlsx")
    before = counts(engine)
    with pytest.raises(CatalogValidationError) as caught:
        do_import(path)
    assert "danh-muc.xlsx" in str(caught.value) or caught.value.source == "danh-muc.xlsx"
    assert counts(engine) == before
