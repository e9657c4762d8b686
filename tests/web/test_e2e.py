"""End to end in a real browser: Debian's Chromium (never a downloaded one) driven by
Playwright against the app served by uvicorn on a loopback port (issue 7).

Screenshots land in ``test-artifacts/web/`` and are checked not to be blank.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink import defaults
from postlink.legs.apply import SyncContext
from postlink.models import Dossier, HandoverItem, Leg, ListVersion
from postlink.sync.pull import pull
from postlink.web.server import BackgroundServer, free_port
from tests.web.conftest import ADMIN, STAFF
from tests.web.seed import arrivals

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serve(app: FastAPI) -> Iterator[str]:
    server = BackgroundServer(app, "127.0.0.1", free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
def page_on(chromium: Browser) -> Iterator[Page]:
    """A fresh page at an office screen's size, speaking Vietnamese."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot and check it is not blank."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as image:
        spread = ImageStat.Stat(image.convert("L")).stddev[0]
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert spread > 5, f"{path} looks blank (stddev {spread:.1f})"
    assert len(colours) > 20, f"{path} has only {len(colours)} colours"
    return path


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login?next=/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan hôm nay")).to_be_visible()


def _broken_list(folder: Path) -> Path:
    text = (defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-07.csv").read_text("utf-8-sig")
    text = text.replace("1.990301,", "1.99O301,", 1).replace(
        ",Sở Xây dựng,,X,X,", ",Sở Xây dựng,,X,có lẽ,", 1
    )
    path = folder / "danh-muc-loi.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def _upload(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/admin/catalog/upload")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_label("Số quyết định").fill("1234/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("15/06/2026")
    page.get_by_label("Ngày hiệu lực").fill("01/07/2026")
    page.get_by_label("Lý do / căn cứ").fill("Quyết định 1234/QĐ-UBND thay thế danh mục 125")
    page.get_by_role("button", name="Kiểm tra và xem thay đổi").click()


def test_admin_uploads_a_list_sees_errors_then_the_diff_and_publishes(
    app: FastAPI, page_on: Page, published_list: int, engine: Engine, tmp_path: Path
) -> None:
    page = page_on
    for base in _serve(app):
        log_in(page, base, *ADMIN)
        shot(page, f"dashboard-{engine.dialect.name}")

        _upload(page, base, _broken_list(tmp_path))
        problems = page.locator("table.problems tbody tr")
        expect(problems.first).to_be_visible()
        expect(page.locator("table.problems")).to_contain_text("1.99O301")
        expect(page.locator("table.problems")).to_contain_text("có lẽ")
        expect(page.locator("table.problems")).to_contain_text("không phải mã thủ tục")
        expect(page.locator("table.problems")).to_contain_text("không phải dấu đánh dấu")
        expect(page.locator(".flash.error")).to_contain_text("chưa có gì được lưu")
        rows = set(page.locator("table.problems tbody tr td:first-child").all_inner_texts())
        assert {"24", "27"} <= rows, rows
        shot(page, f"upload-errors-{engine.dialect.name}")

        _upload(page, base, defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-07.csv")
        expect(
            page.get_by_role("heading", name="Thay đổi so với danh mục đang áp dụng")
        ).to_contain_text("125/QĐ-UBND")
        diff = page.locator("table.diff")
        added = diff.locator("tr", has_text="1.990105")
        expect(added).to_contain_text("Thêm mới")
        expect(added).to_contain_text("Nhận hồ sơ và trả kết quả qua BCCI")
        narrowed = diff.locator("tr", has_text="1.991104").first
        expect(narrowed).to_contain_text("Chỉ nhận hồ sơ qua BCCI")
        shot(page, f"upload-diff-{engine.dialect.name}")

        page.get_by_role("button", name="Công bố danh mục").click()
        # 01/07/2026 is past: the console says what changes, then asks to confirm.
        expect(page.locator("ul.plan")).to_contain_text("sẽ kết thúc ngày 01/07/2026")
        page.get_by_role("button", name="Xác nhận công bố").click()
        expect(page.locator(".flash.ok")).to_contain_text("Đã công bố danh mục 1234/QĐ-UBND")
        new = page.locator("table.versions tr", has_text="1234/QĐ-UBND")
        expect(new).to_contain_text("Đang áp dụng")
        expect(new).to_contain_text("01/07/2026 → nay")
        old = page.locator("table.versions tr", has_text="125/QĐ-UBND")
        expect(old).to_contain_text("01/01/2026 → 01/07/2026")
        shot(page, f"catalog-published-{engine.dialect.name}")
    with Session(engine) as session:
        published = session.exec(select(ListVersion).where(ListVersion.status == "published")).all()
    assert {v.decision for v in published} == {"125/QĐ-UBND", "1234/QĐ-UBND"}


def test_staff_opens_a_dossier_receives_a_handover_and_prints_it(
    sandbox_app: FastAPI, sandbox_ctx: SyncContext, page_on: Page, engine: Engine
) -> None:
    pull(sandbox_ctx, Counter())
    with Session(engine) as session:
        dossier = session.exec(
            select(Dossier)
            .join(Leg, col(Leg.dossier_id) == col(Dossier.id))
            .where(Leg.kind == "pickup", col(Leg.item_code).is_not(None))
            .order_by(col(Dossier.id))
        ).first()
    assert dossier is not None
    page = page_on
    for base in _serve(sandbox_app):
        log_in(page, base, *STAFF)
        page.get_by_role("link", name="Tra cứu").click()
        page.get_by_label("Mã hồ sơ, số hiệu bưu gửi hoặc số điện thoại công dân").fill(
            dossier.code
        )
        page.get_by_role("button", name="Tìm").click()
        page.get_by_role("link", name=dossier.code).click()
        expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
        expect(page.locator("ol.timeline").first).to_be_visible()
        expect(page.locator("dl.facts").first).to_contain_text(dossier.citizen_phone)
        shot(page, f"dossier-{engine.dialect.name}")

        page.get_by_role("link", name="Nhận hồ sơ").click()
        rows = page.locator("table.data tbody tr")
        expect(rows.first).to_be_visible()
        rows.nth(0).get_by_label("Đủ").check()
        rows.nth(1).get_by_label("Thiếu").check()
        received = rows.nth(0).locator("td.mono").inner_text()
        page.get_by_label("Nhân viên bưu chính").fill("Hoàng Văn Bưu")
        shot(page, f"receive-{engine.dialect.name}")
        page.get_by_role("button", name="Ký biên bản giao nhận").click()
        expect(page.locator(".flash.ok")).to_contain_text("Đã ký biên bản giao nhận số")

        with page.expect_popup() as opened:
            page.get_by_role("link", name="Mở biên bản để in").click()
        record = opened.value
        record.wait_for_load_state()
        expect(record.locator("h1")).to_contain_text("Biên bản giao nhận hồ sơ")
        expect(record.locator("body")).to_contain_text("Hoàng Văn Bưu")
        expect(record.locator("body")).to_contain_text(received)
        record.emulate_media(media="print")
        shot(record, f"handover-record-{engine.dialect.name}")
        pdf = ARTIFACTS / f"handover-record-{engine.dialect.name}.pdf"
        record.pdf(path=str(pdf), format="A4")
        assert pdf.read_bytes().startswith(b"%PDF")
    with Session(engine) as session:
        filed = session.exec(select(Dossier).where(col(Dossier.filed_at).is_not(None))).all()
    assert len(filed) == 1, "only the complete dossier gets a filing time (QĐ 45 art. 7 cl. 4)"


def test_staff_receive_a_large_round_by_scanning_each_barcode(
    app: FastAPI, page_on: Page, engine: Engine
) -> None:
    """A keyboard-wedge scanner types the S10 number and Enter into the focused field; the
    item is found on whatever page it is and ticked, the ticks survive turning pages, and
    the sign button stays on screen however long the list (issue 14 §2)."""
    items = arrivals(engine, 130)
    page = page_on
    for base in _serve(app):
        log_in(page, base, *STAFF)
        page.get_by_role("link", name="Nhận hồ sơ").click()
        expect(page.locator("h2", has_text="Chờ nhận")).to_contain_text("50 / 130")
        scan = page.get_by_label("Số hiệu bưu gửi")
        expect(scan).to_be_focused()
        page.keyboard.type(items[120])  # on the third page
        page.keyboard.press("Enter")
        expect(page.locator(".flash.ok")).to_contain_text(f"Đã đánh dấu Đủ: {items[120]}")
        ticked = page.locator("table.ticked tbody tr")
        expect(ticked).to_have_count(1)
        expect(ticked.first).to_contain_text(items[120])
        expect(ticked.first.get_by_label("Đủ")).to_be_checked()
        expect(page.locator("h2", has_text="Chờ nhận")).to_contain_text("50 / 129")
        expect(scan).to_be_focused()

        page.keyboard.type(items[5].lower())
        page.keyboard.press("Enter")
        expect(ticked).to_have_count(2)
        expect(ticked.first).to_contain_text(items[5])
        ticked.first.get_by_label("Thiếu").check()
        scan.click()  # back to the scan field after using the mouse
        page.keyboard.type("EB000000000VN")
        page.keyboard.press("Enter")
        expect(page.locator(".flash.error")).to_contain_text("Không có bưu gửi số hiệu")
        expect(ticked).to_have_count(2)

        page.get_by_role("button", name="Trang sau →").click()
        expect(page.locator("p.pager")).to_contain_text("Trang 2 / 3")
        expect(ticked.first.get_by_label("Thiếu")).to_be_checked()
        sign = page.get_by_role("button", name="Ký biên bản giao nhận")
        expect(sign).to_be_in_viewport()
        page.mouse.wheel(0, 2500)
        expect(sign).to_be_in_viewport()
        page.get_by_label("Nhân viên bưu chính").fill("Hoàng Văn Bưu")
        shot(page, f"receive-scan-{engine.dialect.name}")
        sign.click()
        expect(page.locator(".flash.ok")).to_contain_text("Đã ký biên bản giao nhận số")
    with Session(engine) as session:
        received = session.exec(
            select(Leg.item_code, HandoverItem.state).join(
                HandoverItem, col(HandoverItem.leg_id) == col(Leg.id)
            )
        ).all()
    assert sorted(received) == sorted([(items[120], "complete"), (items[5], "incomplete")])


def test_dates_are_typed_and_shown_dd_mm_yyyy_whatever_the_browser_locale(
    app: FastAPI, chromium: Browser, engine: Engine
) -> None:
    """An American-English Chromium shows a date input as mm/dd/yyyy; the console's date
    fields are text typed dd/mm/yyyy, read by the server (issue 14 §1)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for base in _serve(app):
            log_in(page, base, *ADMIN)
            page.goto(f"{base}/reports/delivery")
            # (by name: a label's accessible name grows with the value typed in its field)
            start, end = page.locator("input[name=from]"), page.locator("input[name=to]")
            expect(page.get_by_label("Từ ngày", exact=True)).to_have_count(1)
            expect(start).to_have_attribute("type", "text")
            expect(start).to_have_attribute("placeholder", "dd/mm/yyyy")
            start.fill("01/02/2026")
            end.fill("28/02/2026")
            page.get_by_role("button", name="Xem").click()
            expect(page).to_have_url(re.compile(r"from=01%2F02%2F2026&to=28%2F02%2F2026"))
            expect(start).to_have_value("01/02/2026")
            report = page.frame_locator("iframe.report").locator("body")
            expect(report).to_contain_text("Từ ngày 01/02/2026 đến ngày 28/02/2026")
            shot(page, f"report-dates-{engine.dialect.name}")

            start.fill("1.2.2026")
            page.get_by_role("button", name="Xem").click()
            assert start.evaluate("field => field.validity.patternMismatch")
            expect(page).to_have_url(re.compile(r"from=01%2F02%2F2026"))  # not sent

            start.fill("31/02/2026")
            page.get_by_role("button", name="Xem").click()
            expect(page.locator(".flash.error")).to_contain_text(
                "Ngày từ «31/02/2026» không hợp lệ: nhập theo dạng dd/mm/yyyy."
            )
            start.fill("15/03/2026")
            page.get_by_role("button", name="Xem").click()
            expect(page.locator(".flash.error")).to_contain_text("ngày kết thúc 28/02/2026")

            page.goto(f"{base}/admin/audit")
            page.get_by_label("Từ ngày").fill("01/01/0001")
            page.get_by_role("button", name="Lọc").click()
            expect(page.locator(".flash.error")).to_contain_text("năm 2000 đến 2100")
            expect(page.locator("input[name=from]")).to_have_value("01/01/0001")
    finally:
        context.close()
