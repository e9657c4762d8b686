"""Every console page speaks Vietnamese (issue 14 §1): rendered for a logged-in admin on
seeded data, no page shows an English sentence, a command-line flag, a UTC time or a raw
JSON escape. Each template under ``templates/web/`` is reached by at least one request
below, and a template without one fails the test, so a new page cannot be left out.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import defaults
from postlink.db import session_scope
from postlink.models import AuditEntry, Dossier, JobRun, OutboxCommand, Quarantined
from postlink.reports.render import TEMPLATES_DIR
from postlink.timeutil import utcnow
from postlink.web.templating import vietnamese_part
from tests.web.conftest import ADMIN, Browser, MakeBrowser
from tests.web.seed import arrivals

WEB_TEMPLATES = TEMPLATES_DIR / "web"
#: Templates only ever included in, or extended by, others.
#: Parts included by pages and rendered with them (the dossier page's deadline explanation
#: and its invitations).
PARTS = {"base.html", "_macros.html", "_deadline_explain.html", "_invitations.html"}

#: English a console page must not say: common words of English sentences and of the
#: services' command-line wording. Vietnamese has none of them as words.
_ENGLISH = re.compile(
    r"\b(the|is|are|was|not|and|with|use|must|cannot|already|there|expected|invalid|"
    r"error|please|should|found|required|missing|give|only|swap|items?|none|true|false|"
    r"field|value|failed|unknown)\b",
    re.IGNORECASE,
)
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
_UTC = re.compile(r"\bUTC\b|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\+00:00|Z)\b")
_JSON_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")


class _Visible(HTMLParser):
    """The text a person reads: element text and the attributes shown to them."""

    SHOWN = ("title", "placeholder", "aria-label", "alt", "value")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        kinds = dict(attrs)
        if tag == "input" and kinds.get("type") in ("hidden", "password"):
            return
        self.parts += [v for k, v in attrs if k in self.SHOWN and v and k != "value"]
        if tag == "input" and kinds.get("type") in ("submit", "button"):
            self.parts.append(kinds.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str) -> list[str]:
    found = []
    for name, pattern in (
        ("English", _ENGLISH),
        ("flag", _FLAG),
        ("UTC time", _UTC),
        ("JSON escape", _JSON_ESCAPE),
    ):
        found += [
            f"{name}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
            for m in pattern.finditer(text)
        ]
    return found


@pytest.mark.parametrize(
    "sample",
    [
        "the period ends (01/02/2026) before it starts; swap --from and --to",
        "Ký lúc 2026-01-15T02:30:00+00:00",
        "Quyết định 78/Q\\u0110-UBND",
        "item 'EB1' is already on handover 3 signed 2026-01-15 09:30 UTC",
    ],
)
def test_the_checks_catch_what_they_look_for(sample: str) -> None:
    assert problems(sample), sample


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (
            "lastUpdateTime='hôm qua': không đọc được thời gian (not a time: dd/mm/YYYY HH:MM)",
            "lastUpdateTime='hôm qua': không đọc được thời gian",
        ),
        ("3 bản ghi bị cách ly / 3 records were quarantined", "3 bản ghi bị cách ly"),
        ("Đăng ký (khai sinh)", "Đăng ký (khai sinh)"),
        ("Chứng thực (bản sao) / Chứng thực", "Chứng thực (bản sao) / Chứng thực"),
        ("HTTP 503", "HTTP 503"),
        (
            "webhook: bưu điện không biết bưu gửi X — the API does not know X",
            "webhook: bưu điện không biết bưu gửi X",
        ),
    ],
)
def test_the_console_shows_the_vietnamese_half_of_a_stored_text(stored: str, shown: str) -> None:
    assert vietnamese_part(stored) == shown


def _seed(engine: Engine, staff: Browser) -> tuple[str, int]:
    """A day at the office: a list in force, a round received and signed, a result waiting
    for the post after two failed sends, the sync jobs' runs."""
    items = arrivals(engine, 30)
    with Session(engine) as session:
        dossier = session.exec(select(Dossier).order_by(Dossier.id)).first()  # type: ignore[arg-type]
    assert dossier is not None
    page = staff.get("/handovers/receive").text
    staff.post("/handovers/receive", {"scan": items[0], "action": "scan"})
    form = dict(re.findall(r'name="(item-\d+)" value="(\w+)" checked', page))
    form.update(
        {re.findall(r'name="(item-\d+)"', page)[0]: "complete"},
        postal_worker="Hoàng Văn Bưu",
        action="sign",
    )
    signed = staff.post("/handovers/receive", form)
    assert signed.status_code == 303, signed.text
    handover_id = int(signed.headers["location"].rsplit("/", 1)[1])
    now = utcnow()
    with session_scope(engine) as session:
        session.add(
            OutboxCommand(
                kind="create",
                reference=f"{dossier.code}-R1",
                dossier_code=dossier.code,
                leg_kind="return",
                payload={},
                attempts=2,
                last_error="PostalUnavailable: the post did not answer (HTTP 503)",
            )
        )
        for job, outcome in (("pull", "ok"), ("push", "error"), ("deadlines", "running")):
            session.add(
                JobRun(
                    job=job,
                    instance="web-1",
                    started_at=now - timedelta(minutes=1),
                    finished_at=now,
                    outcome=outcome,
                    error="ValueError: boom" if outcome == "error" else "",
                )
            )
        session.add(
            Quarantined(
                adapter="myvnpost",
                source="feed NHAN",
                reason="lastUpdateTime='hôm qua': không đọc được thời gian"
                " (not a time: dd/mm/YYYY HH:MM)",
                raw='{"orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94", "status": 10,'
                ' "lastUpdateTime": "hôm qua"}',
            )
        )
    return dossier.code, handover_id


def test_every_console_page_speaks_vietnamese(
    browser_for: MakeBrowser, engine: Engine, published_list: int
) -> None:
    admin = browser_for(*ADMIN)
    code, handover_id = _seed(engine, admin)
    admin.post("/admin/users", {"username": "Sai Tên!", "password": "ngan", "role": "staff"})
    admin.post("/admin/tokens", {"name": "Hệ thống một cửa"})
    admin.post("/logout")
    admin = browser_for(*ADMIN)
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).first() is not None
    pages = {
        "/": "dashboard.html",
        "/lists/arrivals": "list.html",
        "/lists/pending-results": "list.html",
        f"/search?q={code}": "search.html",
        "/search?q=khong-co": "search.html",
        f"/dossiers/{code}": "dossier.html",
        "/handovers/receive": "receive.html",
        "/handovers/supplements": "supplements.html",
        f"/handovers/{handover_id}": "handover.html",
        "/results": "results.html",
        "/reports": "reports.html",
        "/reports/delivery?from=01/01/2026&to=31/01/2026": "reports.html",
        "/reports/delivery?from=31/01/2026&to=01/01/2026": "reports.html",
        "/reports/period?quarter=2026Q5": "reports.html",
        "/reports/period?quarter=2026Q1&year=2026": "reports.html",
        "/reports/delivery?from=32/01/2026": "reports.html",
        "/reports/period?from=&to=&quarter=&half=&year=1999&leg=&as_of=": "reports.html",
        "/khong-co-trang-nay": "error.html",
        "/dossiers/000.00.12.H14-260115-9999": "error.html",
        "/admin/audit": "admin/audit.html",
        "/admin/audit?from=01/01/0001": "admin/audit.html",
        "/admin/catalog?code=1.001193": "admin/catalog.html",
        "/admin/catalog?code=' OR 1=1 --": "admin/catalog.html",
        f"/admin/catalog/versions/{published_list}": "admin/draft.html",
        "/admin/catalog/upload": "admin/upload.html",
        "/admin/users": "admin/users.html",
        "/admin/tokens": "admin/tokens.html",
        "/admin/quarantine": "admin/quarantine.html",
        "/admin/quarantine/1": "admin/quarantine_record.html",
    }
    shown: dict[str, str] = {path: admin.get(path).text for path in pages}
    july = (defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-07.csv").read_bytes()
    upload = {"effective_from": "01/02/2026", "decision": "1450/QĐ-UBND", "reason": "QĐ 1450"}
    drafted = admin.post("/admin/catalog/upload", upload, files={"file": ("t7.csv", july)})
    assert drafted.is_success, drafted.text
    draft_id = int(re.findall(r"/admin/catalog/versions/(\d+)/publish", drafted.text)[0])
    shown["POST publish (back-dated)"] = admin.post(
        f"/admin/catalog/versions/{draft_id}/publish"
    ).text
    assert "Xác nhận công bố" in shown["POST publish (back-dated)"]
    shown["POST /admin/users (refused)"] = admin.post(
        "/admin/users", {"username": "Sai Tên!", "password": "mat-khau-dai", "role": "staff"}
    ).text
    shown["POST /admin/users (short password)"] = admin.post(
        "/admin/users", {"username": "lan2", "password": "ngan", "role": "staff"}
    ).text
    shown["POST /admin/tokens (refused)"] = admin.post("/admin/tokens", {"name": " "}).text
    shown["POST /admin/tokens/99/revoke"] = admin.post("/admin/tokens/99/revoke").text
    shown["login"] = browser_for().get("/login").text
    shown["login (wrong)"] = browser_for().login("admin", "sai-mat-khau").text
    covered = set(pages.values()) | {"login.html", "admin/publish_confirm.html"}
    templates = {
        str(path.relative_to(WEB_TEMPLATES))
        for path in WEB_TEMPLATES.rglob("*.html")
        if path.name not in PARTS
    }
    assert templates <= covered, f"pages not rendered by this test: {templates - covered}"

    found = {where: problems(visible_text(html)) for where, html in shown.items()}
    assert {where: p for where, p in found.items() if p} == {}
    assert "Tổng quan" in shown["/khong-co-trang-nay"], "the 404 page keeps the navigation"
    assert (
        "Quyết định 125/QĐ-UBND" in visible_text(shown["/admin/audit"])
        or "125/QĐ-UBND" in (shown["/admin/audit"])
    )
