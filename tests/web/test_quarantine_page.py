"""The quarantine admin page (issue 16): list with reason and source, the raw record shown
escaped, replay one / by reason / all, resolve with a note; admins only, CSRF checked.

The records are the sandbox's real answers quarantined by the earlier release's time
pattern (see ``tests/sync/test_replay.py``); the browser is Debian's Chromium.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from fastapi import FastAPI
from playwright.sync_api import Dialog, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.legs.apply import SyncContext
from postlink.models import AuditEntry, Quarantined
from postlink.postal.myvnpost import mapping
from postlink.sync.pull import pull
from postlink.web.routes.admin_quarantine import PAGE_ROWS, readable_body
from postlink.web.templating import vietnamese_part
from tests.postal.fixtures import SandboxHandle
from tests.sync.test_replay import MINUTES_ONLY
from tests.sync.truth import assert_equals_truth
from tests.web.conftest import ADMIN, STAFF, MakeBrowser
from tests.web.test_e2e import _serve, chromium, log_in, page_on, shot

__all__ = ["chromium", "page_on"]

HOSTILE = json.dumps(
    {"orderHdrID": "<img src=x onerror=alert(1)>", "status": 3, "saleOrderCode": "<b>x</b>"}
)


def _quarantine_with_the_old_release(
    ctx: SyncContext, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_release:
        old_release.setattr(mapping, "_VIETNAM_TIME", MINUTES_ONLY)
        pull(ctx, Counter())
    with Session(engine) as session:
        session.add(
            Quarantined(
                adapter="myvnpost",
                source="webhook",
                reason="orderHdrID='<img src=x onerror=alert(1)>' is not a number",
                raw=HOSTILE,
            )
        )
        session.commit()


def _open(engine: Engine) -> list[Quarantined]:
    with Session(engine) as session:
        query = select(Quarantined).where(col(Quarantined.resolved_at).is_(None))
        return list(session.exec(query.order_by(col(Quarantined.id))).all())


def test_admin_replays_one_a_reason_and_all_then_resolves_the_hostile_one(
    sandbox_app: FastAPI,
    sandbox_ctx: SyncContext,
    sandbox_server: SandboxHandle,
    page_on: Page,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _quarantine_with_the_old_release(sandbox_ctx, engine, monkeypatch)
    records = _open(engine)
    orders = len(sandbox_server.control.truth()["orders"])
    assert len(records) == orders + 1
    first, hostile = records[0], records[-1]
    second = next(r for r in records if r.reason != first.reason)
    # Orders updated in the same minute share a reason: "by reason" replays all of them.
    same_reason = sum(r.reason == second.reason for r in records)
    rest = orders - 1 - same_reason
    dialogs: list[str] = []
    page = page_on

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    for base in _serve(sandbox_app):
        log_in(page, base, *ADMIN)
        expect(page.locator(".sync-problems")).to_contain_text("Bản ghi đang cách ly")
        expect(page.locator(".sync-problems")).to_contain_text(vietnamese_part(first.reason))
        page.get_by_role("link", name="Bản ghi cách ly", exact=True).click()
        expect(page.get_by_role("heading", name="Bản ghi cách ly")).to_be_visible()
        table = page.locator("table.quarantine")
        expect(table.locator("tbody tr")).to_have_count(min(orders + 1, PAGE_ROWS))
        if orders + 1 > PAGE_ROWS:
            expect(page.locator("p.hint", has_text="đang mở")).to_contain_text(
                f"{orders + 1} bản ghi đang mở; hiển thị {PAGE_ROWS} bản ghi cũ nhất"
            )
        expect(table).to_contain_text("feed GUI")
        expect(table).to_contain_text(vietnamese_part(first.reason))
        shot(page, f"quarantine-list-{engine.dialect.name}")

        page.goto(f"{base}/admin/quarantine/{hostile.id}")
        expect(page.locator("pre.raw")).to_contain_text("<img src=x onerror=alert(1)>")
        # laid out for reading, the same document as the post sent
        assert json.loads(page.locator("pre.raw").inner_text()) == json.loads(HOSTILE)
        assert page.locator("pre.raw img").count() == 0  # shown as text, never as markup
        page.goto(f"{base}/admin/quarantine/{first.id}")
        expect(page.locator("pre.raw")).to_contain_text(
            f'"orderHdrID": {json.dumps(json.loads(first.raw)["orderHdrID"])}'
        )
        page.get_by_role("button", name="Đọc lại bản ghi này").click()
        expect(page.locator(".flash.ok")).to_contain_text(
            "Đã đọc lại 1 bản ghi: 1 đã nhận, 0 vẫn lỗi"
        )
        expect(page.locator("td", has_text="Đã xử lý")).to_contain_text("bởi admin: replayed")

        page.goto(f"{base}/admin/quarantine")
        row = page.locator("table.reasons tr", has_text=vietnamese_part(second.reason))
        expect(row.locator("td").nth(1)).to_have_text(str(same_reason))
        row.get_by_role("button").click()
        expect(page.locator(".flash.ok")).to_contain_text(
            f"Đã đọc lại {same_reason} bản ghi: {same_reason} đã nhận, 0 vẫn lỗi"
        )

        page.get_by_role("button", name="Đọc lại tất cả").click()
        expect(page.locator(".flash.error")).to_contain_text(
            f"Đã đọc lại {rest + 1} bản ghi: {rest} đã nhận, 1 vẫn lỗi"
        )
        expect(page.locator("table.quarantine tbody tr")).to_have_count(1)
        # Its id is read as the opaque text it is (issue 11); it still names no leg.
        expect(page.locator("table.quarantine")).to_contain_text(
            "không rõ là chiều nhận hồ sơ hay trả kết quả"
        )
        shot(page, f"quarantine-after-replay-{engine.dialect.name}")

        page.locator("table.quarantine a").first.click()
        page.get_by_label("Ghi chú xử lý").fill("Bản ghi giả, đã báo bưu điện tỉnh")
        page.get_by_role("button", name="Đóng bản ghi").click()
        expect(page.locator(".flash.ok")).to_contain_text(f"Đã đóng bản ghi {hostile.id}")
        expect(page.locator("table.quarantine")).to_contain_text("Không có bản ghi nào")
    assert dialogs == []
    assert _open(engine) == []
    assert_equals_truth(engine, sandbox_server.control.truth())
    with Session(engine) as session:
        actions = Counter(
            entry.action
            for entry in session.exec(select(AuditEntry))
            if entry.action.startswith("quarantine.")
        )
    assert actions == {"quarantine.replay": 3, "quarantine.resolve": 1}


def test_staff_cannot_see_or_replay_and_a_form_without_csrf_is_refused(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    with Session(engine) as session:
        session.add(Quarantined(adapter="myvnpost", source="webhook", reason="x", raw=HOSTILE))
        session.commit()
    staff = browser_for(*STAFF)
    assert staff.get("/admin/quarantine").status_code == 403
    assert staff.get("/admin/quarantine/1").status_code == 403
    assert staff.post("/admin/quarantine/replay", {"all": "true"}).status_code == 403
    assert staff.post("/admin/quarantine/1/resolve", {"note": "x"}).status_code == 403
    admin = browser_for(*ADMIN)
    forged = admin.client.post(
        "/admin/quarantine/1/resolve", data={"note": "no token"}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert admin.get("/admin/quarantine/999").status_code == 404
    assert admin.get(f"/admin/quarantine/{2**70}").status_code == 404  # no such row
    assert admin.post(f"/admin/quarantine/{2**70}/resolve", {"note": "x"}).status_code == 404
    assert admin.post("/admin/quarantine/replay", {"record_id": str(2**70)}).status_code == 422
    empty = admin.post("/admin/quarantine/1/resolve", {"note": "   "})
    assert empty.status_code == 400
    assert "cần ghi chú" in empty.text
    assert [r.resolved_at for r in _open(engine)] == [None]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ('{"customerName": "Quy\\u1ebft"}', '{\n  "customerName": "Quyết"\n}'),
        ('{"customerName": "\\ud800"}', '{"customerName": "\\ud800"}'),  # no UTF-8 for it
        ("<xml>không phải JSON</xml>", "<xml>không phải JSON</xml>"),
    ],
)
def test_a_quarantined_body_is_shown_with_its_letters(raw: str, shown: str) -> None:
    assert readable_body(raw) == shown
