"""Lists that say what they leave out, and the receiving desk at scale (issue 14 §2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.models import Dossier, Handover, HandoverItem, Leg
from postlink.timeutil import utcnow
from postlink.web import dashboard, desk
from tests.web.conftest import STAFF, MakeBrowser
from tests.web.seed import arrivals

_ROW = re.compile(r"<tr(?: class=\"latest\")?>\s*<td>")
_CHECKED = re.compile(r'name="(item-\d+)" value="(\w+)" checked')


def _section(html: str, css: str) -> str:
    start = html.index(f'<table class="data {css}">')
    return html[start : html.index("</table>", start)]


def test_dashboard_panels_say_how_many_they_show_and_link_the_full_list(
    browser_for: MakeBrowser, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    # "Today" on the dashboard is the seeded round's day, even if midnight passes between
    # seeding and reading (the panels' clock is the module's ``utcnow``).
    monkeypatch.setattr(dashboard, "utcnow", lambda: now)
    arrivals(engine, 130, procedures=("1.001193", "1.001193", "2.000908"), now=now)
    staff = browser_for(*STAFF)
    board = staff.get("/").text
    assert "20 / 130" in board  # arrivals today
    assert "20 / 44" in board  # overdue: every third of 130
    assert 'href="/lists/arrivals"' in board
    assert 'href="/lists/overdue"' in board

    first = staff.get("/lists/arrivals").text
    assert "50 / 130" in first
    assert "dòng 1–50" in first
    assert "Trang 1 / 3" in first
    assert first.count("/dossiers/000.00.12.H14-") == 50
    last = staff.get("/lists/arrivals?page=3").text
    assert "30 / 130" in last
    assert "dòng 101–130" in last
    assert last.count("/dossiers/000.00.12.H14-") == 30
    beyond = staff.get("/lists/arrivals?page=99").text
    assert "Trang 3 / 3" in beyond, "a page past the end shows the last one"

    filtered = staff.get("/lists/arrivals?q=2.000908").text
    assert "43 / 43" in filtered  # items 3, 6, … 129 (the third procedure in turn)
    assert "1.001193" not in filtered.split("<tbody>")[1]
    assert staff.get("/lists/nothing").status_code == 404


def _form(html: str, **fields: Any) -> dict[str, Any]:
    """What the browser would send: the checked radios, the typed fields, the button."""
    data: dict[str, Any] = dict(_CHECKED.findall(html))
    data.update(fields)
    return data


def test_receiving_a_large_round_is_paginated_and_found_by_scanning(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    items = arrivals(engine, 130)
    staff = browser_for(*STAFF)
    page = staff.get("/handovers/receive").text
    assert "50 / 130" in page
    assert "Trang 1 / 3" in page
    assert len(_ROW.findall(_section(page, "waiting"))) == 50

    far = items[120]  # on the third page
    scanned = staff.post("/handovers/receive", _form(page, scan=f" {far.lower()} ", action="scan"))
    assert scanned.status_code == 200
    assert f"Đã đánh dấu Đủ: {far}" in scanned.text
    ticked = _section(scanned.text, "ticked")
    assert far in ticked
    assert 'value="complete" checked' in ticked
    assert "50 / 129" in scanned.text, "the ticked item leaves the waiting list"

    second = staff.post(
        "/handovers/receive", _form(scanned.text, scan=items[3], action="scan")
    ).text
    assert _section(second, "ticked").index(items[3]) < _section(second, "ticked").index(far)
    again = staff.post("/handovers/receive", _form(second, scan=far, action="scan")).text
    assert f"Bưu gửi {far} đã được đánh dấu trước đó." in again
    unknown = staff.post("/handovers/receive", _form(again, scan="EB999999995VN", action="scan"))
    assert unknown.status_code == 404
    assert "Không có bưu gửi số hiệu EB999999995VN" in unknown.text

    turned = staff.post("/handovers/receive", _form(unknown.text, action="page:3")).text
    assert "Trang 3 / 3" in turned
    assert far in _section(turned, "ticked"), "ticks survive turning the page"
    unsigned = staff.post("/handovers/receive", _form(turned, action="sign"))
    assert unsigned.status_code == 400
    assert "Nhập họ tên nhân viên bưu chính" in unsigned.text

    form = _form(unsigned.text, action="sign", postal_worker="Hoàng Văn Bưu")
    form[f"item-{_leg_id(engine, items[3])}"] = "incomplete"
    signed = staff.post("/handovers/receive", form)
    assert signed.status_code == 303, signed.text
    with Session(engine) as session:
        rows = session.exec(
            select(Leg.item_code, HandoverItem.state).join(
                HandoverItem, HandoverItem.leg_id == Leg.id
            )
        ).all()
        assert len(session.exec(select(Handover)).all()) == 1
    assert sorted(rows) == sorted([(far, "complete"), (items[3], "incomplete")])
    after = staff.get("/handovers/receive").text
    assert "50 / 128" in after


def _leg_id(engine: Engine, item: str) -> int:
    with Session(engine) as session:
        leg_id = session.exec(select(Leg.id).where(Leg.item_code == item)).one()
    assert leg_id is not None
    return leg_id


def test_results_lists_say_how_many_they_leave_out(
    browser_for: MakeBrowser, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "DESK_ROWS", 2)  # instead of filing 201 dossiers
    now = utcnow()
    with session_scope(engine) as session:
        for n in range(3):
            session.add(Dossier(code=f"000.00.12.H14-260115-{n + 1:04d}", filed_at=now))
    results = browser_for(*STAFF).get("/results").text
    assert "2 / 3" in results
    assert "hiện 2 mục đầu" in results
    assert results.count('name="dossier"') == 2
