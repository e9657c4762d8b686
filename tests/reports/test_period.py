"""Period report (TT 17/2017 art. 13): procedures, volumes per leg, fees, manual fields."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text
from sqlmodel import Session

from postlink.models import ListEntry, ListVersion, VersionStatus
from postlink.reports.document import Report, Table
from postlink.reports.filters import ReportFilter, quarter, year
from postlink.reports.strings import label
from tests.reports.conftest import TZ, Scenario

Build = Callable[[str, ReportFilter], Report]
Q1 = (
    "WHERE (j_date BETWEEN '2026-01-01' AND '2026-03-31') "
    "OR (j_date IS NULL AND created_at >= :first AND created_at < :after)"
)
BOUNDS = dict(zip(("first", "after"), quarter("2026Q1").utc_bounds(TZ), strict=True))


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def _sql(engine: Engine, query: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query), BOUNDS)]


def test_procedures_and_fees_match_plain_sql(
    engine: Engine, scenario: Scenario, report_of: Build
) -> None:
    report = report_of("period", scenario.filter(period=quarter("2026Q1")))
    table = _table(report, "section.procedures")
    shown = {row[0]: (row[2], row[3], row[4], row[5]) for row in table.rows}
    expected = {
        code: (int(p), int(r), int(fees), int(known))
        for code, p, r, fees, known in _sql(
            engine,
            "SELECT procedure_code, sum(CASE WHEN kind='pickup' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN kind='return' THEN 1 ELSE 0 END), coalesce(sum(total_fee), 0), "
            f"count(total_fee) FROM leg {Q1} GROUP BY procedure_code",
        )
    }
    assert shown == expected
    assert shown["1.001193"][2] == 26000 * 3 + 30500  # fees known on four legs, one in January
    names = {row[0]: row[1] for row in table.rows}
    assert names["1.000894"] == "Đăng ký kết hôn"


def test_volumes_per_leg(engine: Engine, scenario: Scenario, report_of: Build) -> None:
    report = report_of("period", scenario.filter(period=quarter("2026Q1")))
    table = _table(report, "section.volumes")
    keys = [c.key for c in table.columns]
    rows = {row[0]: row for row in table.rows}
    for kind in ("pickup", "return"):
        ((total, delivered, failed, returned, cancelled),) = _sql(
            engine,
            "SELECT count(*), sum(CASE WHEN status='delivered' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN status='pickup_failed' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN status IN ('return_pending','returning','returned') THEN 1 ELSE 0 END), "
            "sum(CASE WHEN status='cancelled' THEN 1 ELSE 0 END) FROM leg "
            f"{Q1.replace('WHERE', 'WHERE kind=' + repr(kind) + ' AND (')})",
        )
        row = rows[label("leg", kind)]
        assert row[keys.index("col.total")] == total
        assert row[keys.index("col.delivered")] == delivered
        assert row[keys.index("col.failed")] == failed
        assert row[keys.index("col.returned")] == returned
        assert row[keys.index("col.cancelled")] == cancelled
    grand = table.rows[-1]
    assert grand[keys.index("col.total")] == _sql(engine, f"SELECT count(*) FROM leg {Q1}")[0][0]


def test_manual_fields_left_blank(scenario: Scenario, report_of: Build) -> None:
    report = report_of("period", scenario.filter(period=year(2026)))
    manual = _table(report, "section.manual")
    assert len(manual.rows) == 7
    assert all(value is None for _, value in manual.rows)


def test_compensation_cases_and_safety_level_given_by_the_office(
    scenario: Scenario, report_of: Build
) -> None:
    """TT 17/2017 art. 13: the office states the compensation cases and the safety level."""
    flt = scenario.filter(period=quarter("2026Q1"), compensation_cases=0, safety_level="An toàn")
    manual = dict(_table(report_of("period", flt), "section.manual").rows)
    assert manual["Số vụ việc phải bồi thường"] == 0
    assert manual["Mức độ bảo đảm an toàn hồ sơ, kết quả"] == "An toàn"
    assert manual["Số bưu gửi thất lạc"] is None


def test_empty_period(scenario: Scenario, report_of: Build) -> None:
    report = report_of("period", scenario.filter(period=quarter("2025Q3")))
    assert _table(report, "section.procedures").rows == []
    assert _table(report, "section.volumes").rows == []
    assert report.summary[0][1] == 0


def test_procedure_names_come_from_the_list_in_force_during_the_period(
    engine: Engine, scenario: Scenario, report_of: Build
) -> None:
    """TT 17/2017 art. 13: a quarter's report names procedures as the list in force then
    did: not an unpublished draft's wording, nor a later list's."""
    with Session(engine) as session:
        for status, start, wording in (
            (VersionStatus.PUBLISHED, date(2026, 7, 1), "Đăng ký khai sinh (danh mục sau)"),
            (VersionStatus.DRAFT, date(2026, 1, 1), "Đăng ký khai sinh (dự thảo chưa ban hành)"),
        ):
            version = ListVersion(decision="99/QĐ-UBND", effective_from=start, status=status)
            session.add(version)
            session.flush()
            session.add(
                ListEntry(version_id=version.id, procedure_code="1.001193", name=wording)  # type: ignore[arg-type]
            )
        session.commit()
    report = report_of("period", scenario.filter(period=quarter("2026Q1")))
    names = {row[0]: row[1] for row in _table(report, "section.procedures").rows}
    assert names["1.001193"] == "Đăng ký khai sinh"


def test_results_returned_without_due_invitations_counted_and_listed(
    engine: Engine, scenario: Scenario, report_of: Build
) -> None:
    """TT 17/2017 art. 5 cl. 2 point h: the return row counts them, a section lists them."""
    report = report_of("period", scenario.filter(period=quarter("2026Q1")))
    volumes = _table(report, "section.volumes")
    column = [c.key for c in volumes.columns].index("col.returned_without_due_invitations")
    rows = {row[0]: row[column] for row in volumes.rows}
    assert rows == {label("leg", "pickup"): 0, label("leg", "return"): 1, "Tổng cộng": 1}
    listed = _table(report, "section.period_returned_without_due_invitations")
    assert [row[0] for row in listed.rows] == [scenario.codes["returned_undue"]]
    assert listed.rows[0][5] == date(2026, 2, 11)
