"""The dossier page shows how each leg's deadline was reached, as ``postlink leg explain``."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from postlink.db import session_scope
from postlink.legs.apply import apply_orders
from tests.legs.test_worked_examples import EXAMPLES, ITEMS, _order_and_events
from tests.web.conftest import STAFF, MakeBrowser


def test_the_dossier_page_explains_a_deadline_across_tet(
    app: FastAPI, engine: Engine, published_list: int, browser_for: MakeBrowser
) -> None:
    # Worked example 1: a pickup in the office's own area, taken on Friday 13/02/2026.
    order, events = _order_and_events(EXAMPLES[0], ITEMS[0])
    with session_scope(engine) as session:
        apply_orders(session, app.state.web.ctx, [order], {ITEMS[0]: events}, [], source="poll")
    page = browser_for(*STAFF).get(f"/dossiers/{order.dossier_code}")
    assert page.status_code == 200
    text = page.text
    assert "Cách tính hạn (TT 17/2017/TT-BTTTT điều 7)" in text
    assert "13/02/2026 09:30 «Đã lấy hàng»" in text
    assert "Cùng khu vực trong tỉnh — cùng khu vực Thành phố Cao Bằng (cũ)" in text
    assert "<td>T2 16/02/2026</td><td>bỏ qua</td><td>ngày lễ: Giao thừa Tết Nguyên Đán</td>" in text
    assert "<td>T2 23/02/2026</td><td>1</td>" in text
    assert "<dt>Hạn</dt><dd>23/02/2026" in text
