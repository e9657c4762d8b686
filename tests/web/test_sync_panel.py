"""The dashboard's sync panel says what is wrong: the state, each problem with its count and
first reason, and the unknown carrier codes with how many legs carry them (issue 16)."""

from __future__ import annotations

import html
from collections import Counter

from fastapi import FastAPI
from sqlalchemy import Engine

from postlink.legs.apply import SyncContext
from postlink.sync.pull import pull
from tests.postal.fixtures import SandboxHandle
from tests.web.conftest import STAFF, MakeBrowser


def test_the_panel_names_unknown_codes_with_their_legs(
    sandbox_app: FastAPI,
    sandbox_ctx: SyncContext,
    sandbox_server: SandboxHandle,
    browser_for: MakeBrowser,
    engine: Engine,
) -> None:
    pull(sandbox_ctx, Counter())
    carrying = sum(
        any(str(e["code"]) == "99" for e in order["events"])
        for order in sandbox_server.control.truth()["orders"]
    )
    assert carrying
    page = html.unescape(browser_for(*STAFF, on=sandbox_app).get("/").text)
    assert 'Tình trạng: <span class="badge late">Ngừng trệ</span>' in page  # no job ran yet
    assert "Mã trạng thái chưa biết" in page
    assert f"mã trạng thái chưa biết: 99 — {carrying} bưu gửi" in page
    assert "Xem bản ghi cách ly" not in page  # nothing quarantined, and staff are not admins
