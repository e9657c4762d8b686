"""The daily set: rendered into the reports folder by date, with indexes, old days kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from postlink.legs.handover import ItemSpec, create_handover
from postlink.models import Direction
from postlink.reports.daily import render_daily
from tests.reports.conftest import AS_OF, Scenario, local


def test_daily_set_with_index_and_archive(engine: Engine, scenario: Scenario) -> None:
    with Session(engine) as session:
        create_handover(
            session,
            direction=Direction.IN,
            items=[ItemSpec(scenario.codes["d1"])],
            officer="Lê Văn Tiếp",
            postal_worker="Hoàng Thị Bưu",
            signed_at=local(AS_OF, 9),
            office="",
            actor="tester",
        )
        session.commit()
    yesterday = render_daily(engine, scenario.settings, AS_OF - timedelta(days=1))
    today = render_daily(engine, scenario.settings, AS_OF)
    root = scenario.settings.effective_report_dir
    assert yesterday == root / "2026-02-24"
    assert today == root / "2026-02-25"
    assert sorted(p.name for p in today.iterdir()) == [
        "delivery.html",
        "exclusions.html",
        "handover-1.html",
        "index.html",
    ]
    assert "handover-1.html" not in {p.name for p in yesterday.iterdir()}
    index = (today / "index.html").read_text(encoding="utf-8")
    for link in ("delivery.html", "exclusions.html", "handover-1.html", "../index.html"):
        assert f'href="{link}"' in index
    archive = (root / "index.html").read_text(encoding="utf-8")
    assert archive.index("2026-02-25/index.html") < archive.index("2026-02-24/index.html")
    delivery = (today / "delivery.html").read_text(encoding="utf-8")
    assert "Từ ngày 27/01/2026 đến ngày 25/02/2026" in delivery  # the last 30 days
    assert "0987***321" in delivery  # phones stay masked in shared folders


def test_daily_set_on_an_empty_database(engine: Engine) -> None:
    from postlink.settings import get_settings

    folder = render_daily(engine, get_settings(), date(2026, 3, 2))
    assert "Không có dữ liệu trong kỳ." in (folder / "delivery.html").read_text(encoding="utf-8")
