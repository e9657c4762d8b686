"""The benchmark's generated annexes are valid lists with the intended differences."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from postlink.catalog.diff import diff_entries
from postlink.catalog.importer import read_list

BENCH = Path(__file__).parents[2] / "bench" / "catalog_bench.py"


def test_generated_annexes_import_and_differ_a_little(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("catalog_bench", BENCH)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    bench.write_annex(tmp_path / "a.xlsx", 400, "1/QĐ-UBND", seed=1)
    bench.write_annex(tmp_path / "b.xlsx", 400, "2/QĐ-UBND", seed=2)
    first, second = read_list(tmp_path / "a.xlsx"), read_list(tmp_path / "b.xlsx")
    assert len(first.entries) == 400
    assert len(second.entries) == 396
    changes = diff_entries([e for _, e in first.entries], [e for _, e in second.entries])
    assert 4 < len(changes) < 80
