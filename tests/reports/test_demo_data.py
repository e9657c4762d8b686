"""Every report renders from the demo data (`postlink demo`) and agrees with plain SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from postlink.legs.handover import ItemSpec, create_handover
from postlink.models import Direction, Leg
from postlink.reports.filters import ReportFilter, between
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.settings import get_settings
from postlink.timeutil import utcnow
from tests.conftest import CliResult


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def test_reports_from_demo_data(cli: Callable[..., CliResult], engine: Engine) -> None:
    assert cli("demo", "--orders", "300", "--duration", "5").code == 0
    settings = get_settings()
    with Session(engine) as session:
        items = session.exec(
            select(Leg.item_code).where(Leg.kind == "pickup", col(Leg.item_code).is_not(None))
        ).all()[:3]
        handover = create_handover(
            session,
            direction=Direction.IN,
            items=[ItemSpec(str(item)) for item in items],
            officer="Lê Văn Tiếp",
            postal_worker="Hoàng Thị Bưu",
            signed_at=utcnow(),
            office="",
            actor="tester",
        )
        session.commit()
        handover_id = handover.id
    flt = ReportFilter(
        period=between(date(2025, 1, 1), date(2027, 12, 31)),
        as_of=date.today(),
        handover_id=handover_id,
    )
    reports = {name: build_report(engine, name, flt, settings) for name in ReportName}
    for report in reports.values():
        for fmt in (Format.HTML, Format.CSV, Format.XLSX):
            assert render(report, fmt, settings)
    assert render(reports[ReportName.HANDOVER], Format.PDF, settings).startswith(b"%PDF")
    legs = _count(engine, "SELECT count(*) FROM leg")
    assert reports[ReportName.DELIVERY].summary[0][1] == legs
    assert reports[ReportName.PERIOD].summary[0][1] == legs
    excluded = _count(engine, "SELECT count(*) FROM leg WHERE match_class = 'excluded'")
    refused = _count(engine, "SELECT count(*) FROM outbox WHERE state = 'refused'")
    assert refused >= 1
    assert reports[ReportName.EXCLUSIONS].summary[0][1] == excluded + refused
    assert reports[ReportName.EXCLUSIONS].tables[0].rows  # the sample list has exclusions
    assert len(reports[ReportName.HANDOVER].tables[0].rows) == 3
