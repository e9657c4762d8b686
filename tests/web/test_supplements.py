"""The receiving desk's supplements: a dossier received incomplete is filed when its
supplement is handed over (QĐ 45/2016 art. 7 cl. 4, second paragraph)."""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import Dossier, Handover, Leg
from tests.web.conftest import STAFF, MakeBrowser
from tests.web.seed import arrivals


def _leg_ids(engine: Engine, items: list[str]) -> list[int]:
    with Session(engine) as session:
        legs = session.exec(select(Leg).where(Leg.item_code.in_(items))).all()  # type: ignore[union-attr]
        return [leg.id for leg in sorted(legs, key=lambda leg: items.index(leg.item_code or ""))]  # type: ignore[misc]


def test_an_incomplete_dossier_is_filed_by_its_supplement(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    complete, incomplete = arrivals(engine, 2)
    first, second = _leg_ids(engine, [complete, incomplete])
    staff = browser_for(*STAFF)
    received = staff.post(
        "/handovers/receive",
        {f"item-{first}": "complete", f"item-{second}": "incomplete",
         "postal_worker": "Hoàng Thị Bưu", "action": "sign"},
    )  # fmt: skip
    assert received.status_code == 303, received.text
    waiting = staff.get("/handovers/supplements").text
    assert incomplete in waiting
    assert complete not in waiting
    signed = staff.post(
        "/handovers/supplements",
        {f"item-{second}": "complete", "postal_worker": "Hoàng Thị Bưu"},
    )
    assert signed.status_code == 303, signed.text
    handover_id = int(re.findall(r"/handovers/(\d+)", signed.headers["location"])[0])
    with Session(engine) as session:
        handover = session.get(Handover, handover_id)
        assert handover is not None
        assert handover.supplement
        leg = session.get(Leg, second)
        assert leg is not None
        dossier = session.get(Dossier, leg.dossier_id)
        assert dossier is not None
        assert dossier.filed_at == handover.signed_at
    record = staff.get(f"/handovers/{handover_id}/record.html").text
    assert "Biên bản giao nhận hồ sơ bổ sung" in record
    assert "Đủ (bổ sung)" in record
    assert "Đã giao nhận 1 hồ sơ bổ sung" in record
    assert incomplete not in staff.get("/handovers/supplements").text
    again = staff.post(
        "/handovers/supplements",
        {f"item-{second}": "complete", "postal_worker": "Hoàng Thị Bưu"},
    )
    assert again.status_code == 303
    assert again.headers["location"] == "/handovers/supplements"
