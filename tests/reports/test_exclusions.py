"""Exclusions report: the list in force on a day, and excluded cases that reached the post."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from postlink.reports.document import Report, Table
from postlink.reports.filters import ReportFilter, between
from postlink.reports.strings import text
from tests.reports.conftest import AGENCY_A, AGENCY_B, Scenario

Build = Callable[[str, ReportFilter], Report]


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def _listed(report: Report) -> list[tuple[object, ...]]:
    table = _table(report, "section.list")
    code = [c.key for c in table.columns].index("col.procedure_code")
    decision = [c.key for c in table.columns].index("col.decision")
    return [(row[code], str(row[decision]).split(",")[0]) for row in table.rows]


def test_list_in_force_on_the_chosen_day(scenario: Scenario, report_of: Build) -> None:
    before = report_of("exclusions", scenario.filter(list_on=date(2026, 2, 10)))
    assert sorted(_listed(before)) == [
        ("1.000894", "10/QĐ-UBND"),
        ("2.000815", "10/QĐ-UBND"),
        ("2.000884", "10/QĐ-UBND"),
    ]
    after = report_of("exclusions", scenario.filter(list_on=date(2026, 2, 20)))
    # The new list allows 2.000815 in general, but not its return for agency B.
    assert sorted(_listed(after)) == [
        ("1.000894", "25/QĐ-UBND"),
        ("2.000815", "25/QĐ-UBND"),
        ("2.000884", "25/QĐ-UBND"),
    ]
    for_a = report_of("exclusions", scenario.filter(list_on=date(2026, 2, 20), agency=AGENCY_A))
    assert sorted(code for code, _ in _listed(for_a)) == ["1.000894", "2.000884"]
    for_b = report_of("exclusions", scenario.filter(list_on=date(2026, 2, 20), agency=AGENCY_B))
    assert sorted(code for code, _ in _listed(for_b)) == ["1.000894", "2.000815", "2.000884"]


def test_list_grouped_by_field_and_level_with_reason_and_basis(
    scenario: Scenario, report_of: Build
) -> None:
    table = _table(report_of("exclusions", scenario.filter()), "section.list")
    assert table.group_by == 2
    groups = [row[:2] for row in table.rows]
    assert groups == sorted(groups)
    marriage = next(row for row in table.rows if row[2] == "1.000894")
    assert "Người yêu cầu phải có mặt" in marriage
    assert "Luật Hộ tịch 2014, Điều 18" in marriage
    assert marriage[5] == text("excluded.both")


def test_no_list_in_force(scenario: Scenario, report_of: Build) -> None:
    report = report_of("exclusions", scenario.filter(list_on=date(2020, 1, 1)))
    table = _table(report, "section.list")
    assert table.rows == []
    assert "01/01/2020" in table.note


def test_cases_from_legs_and_refused_commands(scenario: Scenario, report_of: Build) -> None:
    report = report_of("exclusions", scenario.filter())
    cases = _table(report, "section.cases")
    keys = [c.key for c in cases.columns]
    by_code = {row[keys.index("col.dossier")]: row for row in cases.rows}
    assert set(by_code) == {
        scenario.codes["excluded_pickup"],
        scenario.codes["excluded_return"],
        scenario.codes["refused"],
    }
    action = keys.index("col.action")
    assert by_code[scenario.codes["excluded_pickup"]][action] == text("action.pickup")
    assert by_code[scenario.codes["excluded_return"]][action] == text("action.return_open")
    assert by_code[scenario.codes["refused"]][action] == text("action.refused")
    assert by_code[scenario.codes["refused"]][keys.index("col.source")] == text("source.refused")
    per_procedure = dict(_table(report, "section.by_procedure").rows)
    assert per_procedure == {"2.000884": 2, "1.000894": 1}
    per_agency = dict(_table(report, "section.by_agency").rows)
    assert per_agency == {AGENCY_B: 2, AGENCY_A: 1}
    assert report.summary[0][1] == 3


def test_filters_apply_to_cases(scenario: Scenario, report_of: Build) -> None:
    only_a = report_of("exclusions", scenario.filter(agency=AGENCY_A))
    assert len(_table(only_a, "section.cases").rows) == 1
    march = report_of(
        "exclusions", scenario.filter(period=between(date(2026, 3, 1), date(2026, 3, 31)))
    )
    cases = _table(march, "section.cases").rows
    assert [row[0] for row in cases] == [scenario.codes["refused"]]  # refused on 05/03
