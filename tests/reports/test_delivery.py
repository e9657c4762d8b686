"""Delivery status report: counts, on-time rate, overdue list and Tết, against the seed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text

from postlink.reports.document import Report, Table
from postlink.reports.filters import ReportFilter, between
from postlink.reports.strings import label
from postlink.timeutil import local_date
from tests.reports.conftest import AGENCY_B, AS_OF, TZ, Scenario

Build = Callable[[str, ReportFilter], Report]


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def _column(table: Table, key: str) -> int:
    return [c.key for c in table.columns].index(key)


def _independent_status_counts(
    engine: Engine, agency: str | None = None
) -> Counter[tuple[str, str, str]]:
    """Plain SQL: legs with J in February, or created in February when J is unknown."""
    sql = (
        "SELECT agency_code, kind, status, count(*) FROM leg "
        "WHERE (j_date BETWEEN '2026-02-01' AND '2026-02-28') "
        "OR (j_date IS NULL AND created_at >= :first AND created_at < :after) "
        "GROUP BY agency_code, kind, status"
    )
    first, after = between(date(2026, 2, 1), date(2026, 2, 28)).utc_bounds(TZ)
    with engine.connect() as connection:
        rows = connection.execute(text(sql), {"first": first, "after": after}).all()
    return Counter(
        {
            (a, label("leg_short", k), label("status", s)): n
            for a, k, s, n in rows
            if agency in (None, a)
        }
    )


def test_status_counts_match_plain_sql(
    engine: Engine, scenario: Scenario, report_of: Build
) -> None:
    report = report_of("delivery", scenario.filter())
    table = _table(report, "section.status_counts")
    shown = Counter({(str(a), str(k), str(s)): int(n or 0) for a, k, s, n in table.rows})
    assert shown == _independent_status_counts(engine)
    assert sum(shown.values()) == 15  # the January leg is outside the period


def _expected_on_time(scenario: Scenario) -> tuple[int, int]:
    """On time: delivered no later than the deadline day, local time (TT 17/2017 art. 7)."""
    on_time = due = 0
    for leg in scenario.legs:
        in_period = leg.j_date is not None and date(2026, 2, 1) <= leg.j_date <= date(2026, 2, 28)
        if not in_period or leg.deadline is None or leg.status == "cancelled":
            continue
        # A leg waiting between invitations is judged at the end of the wait the rule allows.
        if leg.closed_at is None and (leg.invitation_wait_until or leg.deadline) >= AS_OF:
            continue
        due += 1
        if (
            leg.status == "delivered"
            and leg.closed_at
            and local_date(leg.closed_at, TZ) <= leg.deadline
        ):
            on_time += 1
    return on_time, due


def test_on_time_rate_counts_local_days_and_tet(scenario: Scenario, report_of: Build) -> None:
    report = report_of("delivery", scenario.filter())
    table = _table(report, "section.on_time")
    totals = table.rows[-1]
    on_time, due = _expected_on_time(scenario)
    assert (totals[_column(table, "col.on_time")], totals[_column(table, "col.due")]) == (
        on_time,
        due,
    )
    assert totals[_column(table, "col.on_time_rate")] == on_time / due
    # The leg collected on 12/02 and delivered on 23/02 was on time: Tết is not working time.
    # The result waiting for its second invitation (deadline 23/02) is not due yet.
    assert (on_time, due) == (4, 11)


def test_overdue_list_oldest_first_with_working_days(scenario: Scenario, report_of: Build) -> None:
    report = report_of("delivery", scenario.filter())
    table = _table(report, "section.overdue")
    dossier, days = _column(table, "col.dossier"), _column(table, "col.days_overdue")
    deadline = _column(table, "col.deadline")
    assert [row[dossier] for row in table.rows] == [
        scenario.codes["failed_delivery"],  # due 09/02
        scenario.codes["tet_overdue"],  # due 13/02
        scenario.codes["excluded_return"],  # due 24/02
    ]
    shown = {row[dossier]: row[days] for row in table.rows}
    # Due 13/02 (J 12/02 + 1); as of 25/02 only 23, 24 and 25/02 were working days.
    assert shown[scenario.codes["tet_overdue"]] == 3
    assert [row[deadline] for row in table.rows] == sorted(
        leg.deadline
        for leg in scenario.legs
        if leg.closed_at is None
        and leg.deadline is not None
        and (leg.invitation_wait_until or leg.deadline) < AS_OF
    )
    assert scenario.codes["waiting_invitation"] not in shown  # due 23/02, may wait to 25/02


def test_failed_returned_and_pickup_lists(scenario: Scenario, report_of: Build) -> None:
    report = report_of("delivery", scenario.filter())
    failed = _table(report, "section.failed_delivery")
    returned = _table(report, "section.returned")
    pickups = _table(report, "section.failed_pickup")
    code = _column(failed, "col.dossier")
    invitations = _column(failed, "col.invitations")
    assert {row[code]: row[invitations] for row in failed.rows} == {
        scenario.codes["failed_delivery"]: 1,
        scenario.codes["returned"]: 2,
        scenario.codes["returned_undue"]: 1,
        scenario.codes["waiting_invitation"]: 1,
    }
    assert [row[code] for row in returned.rows] == [
        scenario.codes["returned"],
        scenario.codes["returned_undue"],
    ]
    assert [row[code] for row in pickups.rows] == [scenario.codes["failed_pickup"]]


def test_results_returned_without_due_invitations(scenario: Scenario, report_of: Build) -> None:
    """TT 17/2017 art. 5 cl. 2 point h: counted in the summary and listed with the day of
    the last invitation; the result returned after two due invitations is not."""
    report = report_of("delivery", scenario.filter())
    table = _table(report, "section.returned_without_due_invitations")
    code = _column(table, "col.dossier")
    assert [row[code] for row in table.rows] == [scenario.codes["returned_undue"]]
    (row,) = table.rows
    assert row[_column(table, "col.invitations")] == 1
    assert row[_column(table, "col.last_invitation")] == date(2026, 2, 11)
    summary = {key: value for key, value, _ in report.summary}
    assert summary["col.returned_without_due_invitations"] == 1


def test_waiting_between_invitations_is_late_once_the_wait_is_over(
    scenario: Scenario, report_of: Build
) -> None:
    """Deadline 23/02, invited on 23/02: late on 26/02, the day after the allowed wait."""
    report = report_of("delivery", scenario.filter(as_of=date(2026, 2, 26)))
    table = _table(report, "section.overdue")
    code = _column(table, "col.dossier")
    assert scenario.codes["waiting_invitation"] in [row[code] for row in table.rows]


def test_agency_and_leg_filters(engine: Engine, scenario: Scenario, report_of: Build) -> None:
    report = report_of("delivery", scenario.filter(agency=AGENCY_B))
    table = _table(report, "section.status_counts")
    shown = Counter({(str(a), str(k), str(s)): int(n or 0) for a, k, s, n in table.rows})
    assert shown == _independent_status_counts(engine, AGENCY_B)


def test_phone_masked_unless_full_contact(scenario: Scenario, report_of: Build) -> None:
    masked = _table(report_of("delivery", scenario.filter()), "section.failed_delivery")
    full = _table(
        report_of("delivery", scenario.filter(full_contact=True)), "section.failed_delivery"
    )
    phone = _column(masked, "col.phone")
    assert "0987***321" in [row[phone] for row in masked.rows]
    assert "0987654321" in [row[phone] for row in full.rows]


def test_empty_period(scenario: Scenario, report_of: Build) -> None:
    report = report_of(
        "delivery", scenario.filter(period=between(date(2025, 7, 1), date(2025, 7, 31)))
    )
    assert all(not table.rows for table in report.tables)
    assert report.summary[0][1] == 0
    assert report.summary[1][1] is None


def test_legs_of_an_unknown_commune_are_counted_in_a_line(
    scenario: Scenario, report_of: Build
) -> None:
    # The seed marks two legs so, one with J in January: February counts one.
    table = _table(report_of("delivery", scenario.filter()), "section.on_time")
    assert table.note == (
        "1 bưu gửi không xác định được xã/phường — tính theo tuyến nội tỉnh"
        " (TT 17/2017/TT-BTTTT điều 7)"
    )
    january = scenario.filter(period=between(date(2026, 1, 1), date(2026, 1, 31)))
    assert "1 bưu gửi" in _table(report_of("delivery", january), "section.on_time").note
    march = scenario.filter(period=between(date(2026, 3, 1), date(2026, 3, 31)))
    assert _table(report_of("delivery", march), "section.on_time").note == ""
