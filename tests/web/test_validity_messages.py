"""The browser's own form checks speak Vietnamese whatever its locale (issue 14 §1).

A required field, a date typed the American way or a short password is caught by Chromium
before the form is sent, in a bubble worded by the browser: "Please fill out this field." in
an English Chromium. ``templates/web/static/validity.js`` words each check; these tests read
the sentence Chromium would show (``validationMessage``) in an en-US browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page

from tests.web.conftest import ADMIN
from tests.web.test_console_vietnamese import american
from tests.web.test_e2e import _serve, chromium, log_in

__all__ = ["american", "chromium"]


@pytest.fixture
def base(app: FastAPI) -> Iterator[str]:
    yield from _serve(app)


def _bubble(page: Page, selector: str) -> str:
    """The sentence Chromium shows for ``selector`` once the form is submitted."""
    return str(
        page.locator(selector).evaluate("f => (f.form.reportValidity(), f.validationMessage)")
    )


def test_an_empty_login_is_told_in_vietnamese(american: Page, base: str) -> None:
    american.goto(f"{base}/login")
    american.get_by_role("button", name="Đăng nhập").click()
    assert american.url == f"{base}/login"
    assert _bubble(american, "input[name=username]") == "Vui lòng điền ô này."
    american.locator("input[name=username]").fill("quantri")
    assert _bubble(american, "input[name=username]") == ""
    assert _bubble(american, "input[name=password]") == "Vui lòng điền ô này."


def test_an_american_date_and_a_short_password_are_told_in_vietnamese(
    american: Page, base: str
) -> None:
    log_in(american, base, *ADMIN)
    american.goto(f"{base}/admin/audit")
    american.locator("input[name=from]").fill("15.07.2026")
    said = _bubble(american, "input[name=from]")
    assert said.startswith("Không đúng dạng."), said
    assert "dd/mm/yyyy" in said
    american.locator("input[name=from]").fill("15/07/2026")
    assert _bubble(american, "input[name=from]") == ""
    american.goto(f"{base}/admin/users")
    american.get_by_label("Tên đăng nhập").fill("hoa")
    american.get_by_label("Mật khẩu (ít nhất 8 ký tự)").fill("abc")
    american.get_by_role("button", name="Tạo tài khoản").click()
    assert american.url == f"{base}/admin/users"
    said = american.get_by_label("Mật khẩu (ít nhất 8 ký tự)").evaluate("f => f.validationMessage")
    assert said == "Vui lòng nhập ít nhất 8 ký tự (hiện có 3)."
