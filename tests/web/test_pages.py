"""Staff and admin pages through the in-process client: reports, results, uploads, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from postlink import defaults
from postlink.db import session_scope
from postlink.models import Dossier, Event, Leg, ListVersion, OutboxCommand
from tests.web.conftest import ADMIN, STAFF, MakeBrowser

FILED = datetime(2026, 1, 12, 2, 30, tzinfo=UTC)


def test_report_page_and_its_exports_share_one_filter(browser_for: MakeBrowser) -> None:
    staff = browser_for(*STAFF)
    page = staff.get("/reports/delivery?quarter=2026Q1&leg=pickup")
    assert page.status_code == 200
    assert 'src="/reports/delivery/file.html?quarter=2026Q1&amp;leg=pickup"' in page.text
    csv = staff.get("/reports/delivery/file.csv?quarter=2026Q1&leg=pickup")
    assert csv.headers["content-type"].startswith("text/csv")
    assert 'filename="delivery-20260101-20260331.csv"' in csv.headers["content-disposition"]
    assert "Quý I năm 2026" in csv.content.decode("utf-8-sig")
    xlsx = staff.get("/reports/exclusions/file.xlsx?year=2026")
    assert xlsx.content.startswith(b"PK")
    bad = staff.get("/reports/period?from=31/02/2026")
    assert "không hợp lệ" in bad.text
    period = staff.get("/reports/period/file.html?quarter=2026Q1&compensation=1&safety=T%E1%BB%91t")
    assert '<td class="filled">1</td>' in period.text
    assert '<td class="filled">Tốt</td>' in period.text
    assert 'name="compensation"' in staff.get("/reports/period?quarter=2026Q1").text
    wrong = staff.get("/reports/period?quarter=2026Q1&compensation=ba")
    assert "Số vụ việc phải bồi thường «ba» không hợp lệ" in wrong.text


def _filed_dossier(engine: Engine, code: str, procedure: str) -> int:
    with session_scope(engine) as session:
        dossier = Dossier(
            code=code,
            procedure_code=procedure,
            procedure_code_raw=procedure,
            procedure_name="Thủ tục",
            agency_code="000.00.12.H14",
            citizen_name="Lục Văn Hòa",
            citizen_phone="0912345678",
            citizen_address="Tổ 1, phường Thục Phán, tỉnh Cao Bằng",
            filed_at=FILED,
        )
        session.add(dossier)
        session.flush()
        assert dossier.id is not None
        return dossier.id


def test_results_become_return_orders_and_excluded_ones_are_refused(
    browser_for: MakeBrowser, engine: Engine, published_list: int
) -> None:
    birth = _filed_dossier(engine, "000.00.12.H14-260112-0001", "1.001193")
    marriage = _filed_dossier(engine, "000.00.12.H14-260112-0002", "1.000894")
    staff = browser_for(*STAFF)
    listed = staff.get("/results").text
    assert "000.00.12.H14-260112-0001" in listed
    assert "0912***678" in listed
    assert staff.post("/results/orders", {"dossier": [birth, marriage]}).status_code == 303
    after = staff.get("/results").text
    assert "000.00.12.H14-260112-0001: đã tạo lệnh trả kết quả qua bưu điện." in after
    assert "000.00.12.H14-260112-0002: bị từ chối" in after
    with Session(engine) as session:
        states = dict(
            session.exec(
                select(OutboxCommand.dossier_code, OutboxCommand.state).order_by(
                    col(OutboxCommand.id)
                )
            ).all()
        )
    assert states == {
        "000.00.12.H14-260112-0001": "pending",
        "000.00.12.H14-260112-0002": "refused",
    }
    assert "000.00.12.H14-260112-0001" in staff.get("/").text, "pending on the dashboard"


def test_upload_refuses_other_types_and_oversized_files(browser_for: MakeBrowser) -> None:
    admin = browser_for(*ADMIN)
    fields = {"decision": "1/QĐ-UBND", "effective_from": "2026-07-01", "reason": "thử"}
    old_excel = admin.post(
        "/admin/catalog/upload", fields, files={"file": ("danh-muc.xls", b"\xd0\xcf\x11\xe0")}
    )
    assert old_excel.status_code == 422
    assert "không phải .xlsx hoặc .csv" in old_excel.text
    fake = admin.post(
        "/admin/catalog/upload", fields, files={"file": ("danh-muc.xlsx", b"not a zip")}
    )
    assert "không phải tệp Excel .xlsx hợp lệ" in fake.text
    huge = admin.post(
        "/admin/catalog/upload",
        fields,
        files={"file": ("big.csv", b"a,b\n" * (3 * 1024 * 1024))},
    )
    assert huge.status_code == 413


def test_admin_actions_are_audited_with_the_user_and_the_log_filters(
    browser_for: MakeBrowser,
) -> None:
    admin = browser_for(*ADMIN)
    answer = admin.post(
        "/admin/users", {"username": "hoa", "password": "hoa-password", "role": "staff"}
    )
    assert answer.status_code == 303
    assert admin.post("/admin/tokens", {"name": "một cửa"}).status_code == 200
    log = admin.get("/admin/audit?actor=admin&action=user.").text
    assert "<td>Tạo tài khoản</td>" in log
    assert "<td>Tạo khóa API</td>" not in log
    tokens = admin.get("/admin/audit?entity=api_token").text
    assert "<td>Tạo khóa API</td>" in tokens
    assert "<td>Tạo tài khoản</td>" not in tokens


def test_publishing_an_unchanged_list_says_so_in_vietnamese(
    browser_for: MakeBrowser, engine: Engine, published_list: int
) -> None:
    admin = browser_for(*ADMIN)
    fields = {"decision": "9/QĐ-UBND", "effective_from": "2026-07-01", "reason": "Chép lại"}
    same = (defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-01.csv").read_bytes()
    draft = admin.post("/admin/catalog/upload", fields, files={"file": ("lai.csv", same)})
    assert draft.status_code == 200, draft.text
    with Session(engine) as session:
        draft_id = session.exec(select(func.max(ListVersion.id))).one()
    refused = admin.post(f"/admin/catalog/versions/{draft_id}/publish")
    assert refused.status_code == 303
    shown = admin.get(refused.headers["location"]).text
    assert f"giống hệt phiên bản {published_list} (125/QĐ-UBND)" in shown
    assert "--force" not in shown


def test_account_and_token_refusals_are_shown_on_their_forms(browser_for: MakeBrowser) -> None:
    """Not a bare error page: the form again, the reason in Vietnamese, what was typed kept
    (issue 14 §1); the CLI's English wording of the same refusal never shows."""
    admin = browser_for(*ADMIN)
    taken = admin.post(
        "/admin/users",
        {"username": "staff", "password": "mat-khau-dai", "role": "admin", "full_name": "Lan B"},
    )
    assert taken.status_code == 400
    assert "Tài khoản staff đã có. Muốn đổi mật khẩu, dùng nút Đặt lại." in taken.text
    assert 'value="Lan B"' in taken.text
    assert '<option value="admin" selected>' in taken.text
    assert "postlink user passwd" not in taken.text
    assert "<h1>Tài khoản</h1>" in taken.text

    short = admin.post("/admin/users", {"username": "hoa", "password": "ngan", "role": "staff"})
    assert short.status_code == 400
    assert "Mật khẩu phải có ít nhất 8 ký tự." in short.text
    myself = admin.post("/admin/users/1", {"role": "staff", "active": "true"})
    assert myself.status_code == 400
    assert "Không thể tự bỏ quyền quản trị" in myself.text

    unnamed = admin.post("/admin/tokens", {"name": "   "})
    assert unnamed.status_code == 400
    assert "Tên khóa API phải có từ 1 đến 100 ký tự" in unnamed.text
    gone = admin.post("/admin/tokens/42/revoke")
    assert gone.status_code == 400
    assert "Không có khóa API số 42 đang hoạt động." in gone.text
    assert "<h1>Khóa API cho hệ thống một cửa</h1>" in gone.text


def test_an_unknown_page_keeps_the_navigation_for_a_logged_in_user(
    browser_for: MakeBrowser,
) -> None:
    missing = browser_for(*STAFF).get("/khong-co")
    assert missing.status_code == 404
    assert '<a href="/search">Tra cứu</a>' in missing.text
    assert "Không tìm thấy." in missing.text
    beyond = browser_for(*STAFF).get(f"/legs/{2**63}")
    assert beyond.status_code == 404
    assert '<a href="/search">Tra cứu</a>' in beyond.text
    anonymous = browser_for().get("/khong-co")
    assert anonymous.status_code == 404
    assert '<a href="/search">' not in anonymous.text


def test_dossier_page_flags_a_return_without_due_invitations(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    """TT 17/2017 art. 5 cl. 2 point h, shown with the article and the reasons."""
    dossier_id = _filed_dossier(engine, "000.00.12.H14-260302-0001", "1.001193")
    # Invited on Monday 02/03 (09:00 local), back at the office on Tuesday 03/03.
    invited, back = datetime(2026, 3, 2, 2, tzinfo=UTC), datetime(2026, 3, 3, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        returned = Leg(
            dossier_id=dossier_id,
            kind="return",
            adapter="myvnpost",
            reference="000.00.12.H14-260302-0001-R1",
            item_code="EB300000001VN",
            status="returned",
            status_at=back,
            closed_at=back,
            invitations=1,
            last_invitation_on=date(2026, 3, 2),
            invitation_verdict="returned_without_due_invitations",
        )
        waiting = Leg(
            dossier_id=dossier_id,
            kind="return",
            adapter="myvnpost",
            reference="000.00.12.H14-260302-0001-R2",
            status="delivery_failed_attempt",
            invitations=1,
            last_invitation_on=date(2026, 3, 2),
            invitation_wait_until=date(2026, 3, 4),
        )
        session.add_all([returned, waiting])
        session.flush()
        assert returned.id is not None
        for status, at in (("delivery_failed_attempt", invited), ("returned", back)):
            session.add(
                Event(
                    leg_id=returned.id,
                    item_code="EB300000001VN",
                    raw_code=status,
                    status=status,
                    occurred_at=at,
                )
            )
    page = browser_for(*STAFF).get("/dossiers/000.00.12.H14-260302-0001").text
    assert "hoàn trả khi chưa mời đủ" in page
    assert "điểm h khoản 2 Điều 5 Thông tư số 17/2017/TT-BTTTT" in page
    assert "1 lần, lần cuối ngày 02/03/2026" in page
    assert "chuyển hoàn đến hết ngày 04/03/2026" in page
    assert "Chỉ mời nhận 1 lần trước khi chuyển hoàn; phải mời ít nhất 2 lần." in page
