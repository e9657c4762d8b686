"""Issue 14's acceptance walk: staff and an admin use the console in Debian's Chromium, set
to American English on purpose (the browser's locale must not leak into the pages), and no
page they reach shows English, a command-line flag, a raw JSON escape, a UTC or ISO time or
a mm/dd/yyyy date (``console_walk``).

The walk follows the navigation's links from the dashboard, so it sees what a person can
reach; every GET page of the app's route table must have been opened by it (or fetched,
for the file exports), so a new page is walked or this test fails. The wrong-input part
submits what clumsy users submit and checks the answer is on the page, in Vietnamese.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink import defaults
from postlink.db import session_scope
from postlink.legs.apply import SyncContext
from postlink.legs.match import judge_leg
from postlink.models import Dossier, Leg, Quarantined
from postlink.sync.pull import pull
from tests.web.conftest import ADMIN, STAFF, api_routes
from tests.web.console_walk import Walk, page_problems, problems, walk
from tests.web.seed import arrivals
from tests.web.test_e2e import PAGE_WAIT_MS, _broken_list, _serve, _upload, chromium, log_in

__all__ = ["chromium"]

#: Routes that are not console pages: the JSON API, the webhook, the framework's own.
_NOT_CONSOLE = re.compile(r"^/(api|webhooks|static|openapi|docs|redoc)\b")


@pytest.fixture
def american(chromium: Browser) -> Iterator[Page]:
    """A page in an en-US Chromium at an office screen's size."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(PAGE_WAIT_MS)
    yield page
    context.close()


def described(findings: dict[str, list[str]]) -> str:
    """The findings, a page a paragraph, for the failure message."""
    return "\n".join(
        f"{where}:\n  " + "\n  ".join(sorted(set(found)))
        for where, found in findings.items()
        if found
    )


def console_pages(app: FastAPI) -> dict[str, re.Pattern[str]]:
    """Every GET page of the console, from the app's route table, as a pattern of its
    paths."""
    found = {}
    for route in api_routes(app):
        path = route.path
        if "GET" in route.methods and not _NOT_CONSOLE.match(path) and path != "/login":
            found[path] = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/?]+", path) + r"(\?|$)")
    return found


def _seed(engine: Engine, ctx: SyncContext) -> list[str]:
    """A province's morning: the post's records pulled from the sandbox (including ones that
    name no or another procedure), a round at the door, a record postlink could not read."""
    pull(ctx, Counter())
    items = arrivals(engine, 60)
    with session_scope(engine) as session:
        leg = session.exec(select(Leg).order_by(col(Leg.id))).first()
        assert leg is not None
        leg.procedure_code = "2.001263"  # the post names another procedure than registered
        judge_leg(ctx.resolver, leg, session.get(Dossier, leg.dossier_id), ctx.tz)
        session.add(
            Quarantined(
                adapter="myvnpost",
                source="feed NHAN",
                reason="lastUpdateTime='hôm qua': không đọc được thời gian"
                " (not a time: dd/mm/YYYY HH:MM)",
                raw='{"orderHdrID": "8a7f1c2e", "customerName": "Quy\\u1ebft", "status": 10}',
            )
        )
    return items


def _receive_a_round(page: Page, base: str, items: list[str]) -> str:
    """Scan two of the round's items, keep one complete and mark the other incomplete,
    then sign: a handover record to print, a filed dossier whose result can go back by
    post and a dossier waiting for its supplement. Returns the record's page."""
    page.goto(f"{base}/handovers/receive")
    for item in items[:2]:
        page.get_by_label("Số hiệu bưu gửi").fill(item)
        page.keyboard.press("Enter")
        expect(page.locator(".flash.ok")).to_contain_text(item)
    page.locator("table.ticked tbody tr", has_text=items[1]).get_by_label("Thiếu").check()
    page.get_by_label("Nhân viên bưu chính").fill("Hoàng Văn Bưu")
    page.get_by_role("button", name="Ký biên bản giao nhận").click()
    expect(page.locator(".flash.ok")).to_contain_text("Đã ký biên bản giao nhận số")
    expect(page).to_have_url(re.compile(r"/handovers/\d+$"))
    return page.url.removeprefix(base)


def _desk_flows(page: Page, base: str, findings: dict[str, list[str]]) -> None:
    """The desk's other forms, submitted empty and then filled: the supplement of the
    dossier received incomplete, results handed to the post."""
    page.goto(f"{base}/handovers/supplements")
    page.get_by_label("Nhân viên bưu chính").fill("Hoàng Văn Bưu")
    page.get_by_role("button", name="Ký biên bản bổ sung").click()
    expect(page.locator(".flash.error")).to_be_visible()
    findings["supplement, nothing ticked"] = page_problems(page)
    page.locator("table.data tbody tr").first.get_by_label("Đủ").check()
    page.get_by_label("Nhân viên bưu chính").fill("Hoàng Văn Bưu")
    page.get_by_role("button", name="Ký biên bản bổ sung").click()
    expect(page.locator(".flash.ok")).to_be_visible()
    findings["supplement signed"] = page_problems(page)

    page.goto(f"{base}/results")
    page.get_by_role("button", name="Tạo lệnh trả kết quả qua bưu điện").click()
    findings["results, nothing ticked"] = page_problems(page)
    page.goto(f"{base}/results")
    page.locator("input[name=dossier]").first.check()
    page.get_by_role("button", name="Tạo lệnh trả kết quả qua bưu điện").click()
    expect(page.locator(".flash").first).to_be_visible()
    findings["results ordered"] = page_problems(page)


def test_staff_and_admin_see_only_vietnamese_on_every_page_they_reach(
    sandbox_app: FastAPI, sandbox_ctx: SyncContext, american: Page, engine: Engine
) -> None:
    items = _seed(engine, sandbox_ctx)
    page = american
    with Session(engine) as session:
        mismatched = session.exec(select(Leg).order_by(col(Leg.id))).first()
    assert mismatched is not None
    findings: dict[str, list[str]] = {}
    walks: list[Walk] = []
    for base in _serve(sandbox_app):
        page.goto(f"{base}/login")
        findings["login"] = page_problems(page)
        log_in(page, base, *STAFF)
        record = _receive_a_round(page, base, items)
        _desk_flows(page, base, findings)
        staff = walk(page, base, ["/", f"/legs/{mismatched.id}", record])
        page.get_by_role("button", name="Đăng xuất").click()
        log_in(page, base, *ADMIN)
        admin = walk(page, base, ["/", "/admin/quarantine/1", "/admin/audit?action=user."])
        walks += [staff, admin]
        for role, seen in (("staff", staff), ("admin", admin)):
            findings |= {f"{role} {where}": found for where, found in seen.findings.items()}
    assert not any(findings.values()), described(findings)

    reached = [url for seen in walks for url in [*seen.opened, *seen.files]]
    missing = [
        path
        for path, pattern in console_pages(sandbox_app).items()
        if not any(pattern.match(url) for url in reached)
    ]
    assert missing == [], "console pages the walk did not reach from the navigation"
    failed = {
        url: answer for seen in walks for url, answer in seen.files.items() if answer[0] != 200
    }
    assert failed == {}, "file exports that did not answer"
    kinds = {url.rsplit(".", 1)[-1].split("?")[0] for seen in walks for url in seen.files}
    assert {"pdf", "xlsx", "csv", "html"} <= kinds


def _answer(page: Page, what: str, findings: dict[str, list[str]]) -> None:
    findings[what] = page_problems(page)


def test_wrong_input_and_error_pages_are_answered_in_vietnamese_on_the_page(
    app: FastAPI, american: Page, published_list: int, tmp_path: Path
) -> None:
    """Wrong passwords, dates typed the American way or not at all, a duplicate account, a
    short password past an old browser's checks, a blank token name, a forged form, a
    list with bad rows, then a good one published over the past, a too-large upload, an
    unknown page, a page above one's role, a lost session."""
    page = american
    findings: dict[str, list[str]] = {}
    for base in _serve(app):
        page.goto(f"{base}/login")
        page.get_by_label("Tên đăng nhập").fill("admin")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.locator(".flash.error")).to_contain_text("không đúng")
        _answer(page, "wrong password", findings)

        log_in(page, base, *ADMIN)
        for query, said in (
            ("from=12/31/2026", "«12/31/2026» không hợp lệ"),
            ("from=01/02/2026&to=01/01/2026", "trước ngày bắt đầu"),
            ("quarter=2026Q7", "«2026Q7» không hợp lệ"),
            ("quarter=2026Q1&year=2026", "Chỉ chọn một cách"),
            ("from=01/01/0001", "năm 2000 đến 2100"),
        ):
            page.goto(f"{base}/reports/delivery?{query}")
            expect(page.locator(".flash.error")).to_contain_text(said)
            # the page repeats what was typed; the rest must be Vietnamese
            findings[f"report {query}"] = [
                p for p in page_problems(page) if "mm/dd/yyyy" not in p or "«12/31" not in p
            ]
        page.goto(f"{base}/admin/audit?from=13/13/2026")
        expect(page.locator(".flash.error")).to_contain_text("«13/13/2026» không hợp lệ")
        _answer(page, "audit bad date", findings)

        for username, password, said in (
            ("staff", "mat-khau-dai-1", "đã có"),
            ("Sai Tên!", "mat-khau-dai-1", "không hợp lệ"),
            ("lan2", "ngan", "ít nhất"),
        ):
            page.goto(f"{base}/admin/users")
            form = page.locator("form[action='/admin/users']")
            form.evaluate(
                "f => f.querySelectorAll('[minlength]')"
                ".forEach(e => e.removeAttribute('minlength'))"
            )
            form.get_by_label("Tên đăng nhập").fill(username)
            form.locator("input[name=password]").fill(password)
            form.locator("button[type=submit]").click()
            expect(page.locator(".flash.error")).to_contain_text(said)
            expect(page.locator("form[action='/admin/users'] input[name=username]")).to_have_value(
                username
            )
            _answer(page, f"user {username}", findings)

        page.goto(f"{base}/admin/tokens")
        form = page.locator("form[action='/admin/tokens']")
        form.locator("input[name=name]").fill("   ")
        form.locator("button[type=submit]").click()
        expect(page.locator(".flash.error")).to_contain_text("Tên khóa API")
        _answer(page, "blank token name", findings)
        page.goto(f"{base}/admin/tokens")
        form = page.locator("form[action='/admin/tokens']")
        form.locator("input[name=name]").fill("Hệ thống một cửa")
        form.locator("button[type=submit]").click()
        _answer(page, "token shown once", findings)
        revoke = page.locator("form[action$='/revoke']").first
        revoke.evaluate("f => f.action = f.action.replace(/\\/\\d+\\/revoke$/, '/99999/revoke')")
        revoke.locator("button").click()
        _answer(page, "revoke an unknown token", findings)

        page.goto(f"{base}/admin/tokens")
        forged = page.locator("form[action='/admin/tokens'] input[name=csrf_token]")
        forged.evaluate("e => e.value = 'gia-mao'")
        page.locator("form[action='/admin/tokens'] input[name=name]").fill("Giả mạo")
        page.locator("form[action='/admin/tokens'] button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("Biểu mẫu không hợp lệ")
        _answer(page, "forged form (CSRF)", findings)

        page.goto(f"{base}/admin/catalog/upload")
        token = page.locator("input[name=csrf_token]").first.input_value()
        answer = page.request.post(
            f"{base}/admin/catalog/upload",
            multipart={
                "csrf_token": token,
                "effective_from": "01/08/2026",
                "file": {"name": "to.csv", "mimeType": "text/csv", "buffer": b"a,b\n" * 3_000_000},
            },
        )
        assert answer.status == 413
        page.set_content(answer.text())
        _answer(page, "upload too large (413)", findings)

        _upload(page, base, _broken_list(tmp_path))
        expect(page.locator(".flash.error")).to_contain_text("chưa có gì được lưu")
        _answer(page, "upload with row errors", findings)
        _upload(page, base, defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-07.csv")
        expect(page.locator("table.diff")).to_be_visible()
        _answer(page, "upload diff", findings)
        page.get_by_role("button", name="Công bố danh mục").click()
        expect(page.get_by_role("button", name="Xác nhận công bố")).to_be_visible()
        _answer(page, "publish, asked to confirm", findings)
        page.get_by_role("button", name="Xác nhận công bố").click()
        expect(page.locator(".flash.ok")).to_contain_text("Đã công bố danh mục")
        _answer(page, "published", findings)
        page.goto(f"{base}/admin/catalog?code=1.001193")
        _answer(page, "a procedure's history", findings)

        page.goto(f"{base}/khong-co-trang-nay")
        expect(page.get_by_role("link", name="Tổng quan", exact=True)).to_be_visible()
        _answer(page, "404", findings)
        page.get_by_role("button", name="Đăng xuất").click()

        log_in(page, base, *STAFF)
        page.goto(f"{base}/admin/users")
        expect(page.locator("h1")).to_contain_text("Không có quyền")
        _answer(page, "403", findings)
        page.context.clear_cookies()
        page.goto(f"{base}/reports")
        expect(page).to_have_url(re.compile("/login"))
        _answer(page, "session gone", findings)
    assert not any(findings.values()), described(findings)


@pytest.mark.parametrize(
    "sample",
    [
        "no procedure code in the postal record; link it to a dossier",
        "Đăng nhập: user.login_failed",
        "Ký lúc 2026-01-15 09:30",
        "Ngày 12/31/2026",
        "Số quyết định 78/Q\\u0110-UBND",
        "dùng --force",
        "lúc 02:30:00+00:00",
    ],
)
def test_the_walk_flags_what_it_looks_for(sample: str) -> None:
    assert problems(sample), sample


def test_the_walk_lets_vietnamese_through() -> None:
    sample = (
        "Tổng quan hôm nay 20 / 28 Xem tất cả Báo cáo PDF Excel CSV HTML "
        "Ký lúc 15/01/2026 09:30 Quyết định 125/QĐ-UBND In biên bản Số hiệu bưu gửi EB123456785VN"
    )
    assert problems(sample) == []
