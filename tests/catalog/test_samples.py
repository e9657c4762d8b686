"""The shipped sample lists: in step with their generator and as the issue describes them."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from postlink.catalog.diff import eligibility
from postlink.catalog.importer import read_list
from postlink.models import Level
from tests.catalog.conftest import JANUARY_CSV, JANUARY_XLSX, JULY_CSV, SAMPLES


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLES / "make_sample.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_csv_samples_are_what_the_generator_writes() -> None:
    make = generator()
    assert JANUARY_CSV.read_bytes() == make.csv_text(make.JANUARY, make.LIST_2026_01).encode()
    assert (
        JULY_CSV.read_bytes() == make.csv_text(make.JULY, make._changed(make.LIST_2026_01)).encode()
    )
    assert JANUARY_CSV.read_bytes().startswith(b"\xef\xbb\xbf")


def test_january_sample_is_realistic() -> None:
    parsed = read_list(JANUARY_XLSX)
    entries = [e for _, e in parsed.entries]
    assert len(entries) >= 60
    assert {e.level for e in entries} == {Level.TINH, Level.XA}
    assert len({e.field for e in entries}) >= 8
    kinds = {eligibility(e) for e in entries}
    assert kinds == {"submission and return", "return only", "submission only", "excluded"}
    excluded = [e for e in entries if eligibility(e) == "excluded"]
    assert all(e.reason and e.legal_basis for e in excluded)
    by_code = {e.code: e for e in entries if not e.agency_code}
    assert by_code["2.000884"].legal_basis == "Nghị định số 23/2015/NĐ-CP, Điều 24"
    assert by_code["1.000080"].legal_basis == "Luật Hộ tịch số 60/2014/QH13, Điều 25 khoản 1"
    assert any("SAMPLE DATA" in line for line in parsed.title_block)
