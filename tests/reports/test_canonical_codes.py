"""A localised procedure code groups with its national code in every report (issue 16).

A province's one-stop system writes ``2.000815.000.00.00.H14`` (the national procedure
2.000815 as handled by an agency of Cao Bằng); the post carries it in the order's note.
The orders below are written as MyVNPost sends them (postal brief §1) and go through the
sync's own mapping and apply path; the reports must show one row, 2.000815, with the name
from the published list, and the leg must keep the code as received.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from postlink import migrate
from postlink.db import make_engine, session_scope
from postlink.legs.apply import apply_orders
from postlink.models import Dossier, Leg
from postlink.postal.myvnpost import mapping
from postlink.reports.document import Report, Table
from postlink.reports.filters import ReportFilter, between, quarter
from postlink.reports.registry import ReportName, build_report
from postlink.settings import get_settings
from tests.postal.fixtures import SandboxHandle, sandbox_factory, sandbox_server
from tests.sync.conftest import MakeContext, make_context, published_list

__all__ = ["make_context", "published_list", "sandbox_factory", "sandbox_server"]

NAME = "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp"
NOTES = (
    "TTHC 2.000815: Chứng thực bản sao",
    "TTHC 2.000815.000.00.00.H14: Chứng thực bản sao",
    "Ho so TTHC 2.000815.000.00.00.H14 chung thuc",
)
ITEMS = ("EB000000015VN", "EB000000029VN", "EB000000032VN")


def _record(number: int) -> dict[str, Any]:
    return {
        "orderHdrID": 5100 + number,
        "originalID": f"CBG{5100 + number}",
        "itemCode": ITEMS[number],
        "saleOrderCode": f"000.00.12.H14-260112-{number + 1:04d}-P1",
        "status": 6,
        "statusName": "Đã lấy hàng",
        "mainFee": 26000,
        "totalFee": 26000,
        "senderName": "Lục Văn Hải",
        "senderPhone": "0912345678",
        "senderAddress": "Tổ 3, phường Hợp Giang",
        "receiverName": "UBND phường Hợp Giang",
        "receiverPhone": "02063852111",
        "receiverAddress": "Số 1 Kim Đồng",
        "contentNote": NOTES[number],
        "lastUpdateTime": "12/01/2026 09:30:00",
    }


def _history(number: int) -> dict[str, Any]:
    return {"createdDate": "12/01/2026", "createdHour": "09:30", "statusCode": 6}


@pytest.fixture
def synced(engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext) -> None:
    ctx = make_context(sandbox_server)
    table = ctx.adapter.table
    orders = [mapping.parse_order(_record(n), table, mapping.FeedType.NHAN) for n in range(3)]
    histories = {ITEMS[n]: [mapping.parse_event(_history(n), ITEMS[n], table)] for n in range(3)}
    with session_scope(engine) as session:
        apply_orders(session, ctx, orders, histories, [], source="poll")


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def test_legs_keep_the_raw_code_beside_the_national_one(engine: Engine, synced: None) -> None:
    with Session(engine) as session:
        legs = session.exec(select(Leg).order_by(Leg.reference)).all()
        dossiers = session.exec(select(Dossier).order_by(Dossier.code)).all()
    assert [(leg.procedure_code, leg.procedure_code_raw) for leg in legs] == [
        ("2.000815", "2.000815"),
        ("2.000815", "2.000815.000.00.00.H14"),
        ("2.000815", "2.000815.000.00.00.H14"),
    ]
    assert [d.procedure_code for d in dossiers] == ["2.000815"] * 3
    assert {leg.match_class for leg in legs} == {"excluded"}  # in-person pickup, NĐ 23/2015


def test_period_report_counts_them_on_one_row_with_the_name(engine: Engine, synced: None) -> None:
    flt = quarter("2026Q1")
    report = build_report(
        engine, ReportName.PERIOD, ReportFilter(period=flt, as_of=date(2026, 3, 31)), get_settings()
    )
    rows = _table(report, "section.procedures").rows
    assert [(row[0], row[1], row[2]) for row in rows] == [("2.000815", NAME, 3)]


def test_exclusions_and_delivery_reports_group_them(engine: Engine, synced: None) -> None:
    flt = ReportFilter(between(date(2026, 1, 1), date(2026, 1, 31)), as_of=date(2026, 1, 31))
    exclusions = build_report(engine, ReportName.EXCLUSIONS, flt, get_settings())
    by_procedure = _table(exclusions, "section.by_procedure").rows
    assert by_procedure == [("2.000815", 3)]
    delivery = build_report(engine, ReportName.DELIVERY, flt, get_settings())
    codes = Counter(
        cell
        for table in delivery.tables
        for index, column in enumerate(table.columns)
        if column.key == "col.procedure_code"
        for cell in (row[index] for row in table.rows)
    )
    assert codes == Counter({"2.000815": 3})


def test_the_migration_backfills_existing_rows(tmp_path: Path) -> None:
    """Rows written before revision 0005 get the national code, the raw one kept."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dossier (code, procedure_code, procedure_code_raw, procedure_name,"
                " agency_code, citizen_name, citizen_phone, citizen_address, commune_code,"
                " channel, created_at, updated_at) VALUES ('000.00.12.H14-260112-0002',"
                " '2.000815.000.00.00.H14', '', '', '', '', '', '', '', 'post',"
                " '2026-01-12 02:30:00', '2026-01-12 02:30:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO leg (kind, adapter, reference, order_id, item_check_ok,"
                " agency_code, procedure_code, status, raw_status, raw_label, route, overdue,"
                " invitations, match_reason, match_legal_basis, created_at, updated_at)"
                " VALUES ('pickup', 'myvnpost', 'A-P1', '1', 1, '', '2.000815.000.00.00.H14',"
                " 'picked_up', '6', '', '', 0, 0, '', '', '2026-01-12 02:30:00',"
                " '2026-01-12 02:30:00'), ('pickup', 'myvnpost', 'B-P1', '2', 1, '',"
                " '1.001193', 'picked_up', '6', '', '', 0, 0, '', '', '2026-01-12 02:30:00',"
                " '2026-01-12 02:30:00')"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        legs = connection.execute(
            text("SELECT procedure_code, procedure_code_raw FROM leg ORDER BY reference")
        ).all()
        dossier = connection.execute(
            text("SELECT procedure_code, procedure_code_raw FROM dossier")
        ).one()
    engine.dispose()
    assert [tuple(row) for row in legs] == [
        ("2.000815", "2.000815.000.00.00.H14"),
        ("1.001193", "1.001193"),
    ]
    assert tuple(dossier) == ("2.000815", "2.000815.000.00.00.H14")
