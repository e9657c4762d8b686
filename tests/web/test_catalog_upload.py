"""The console's list upload takes the decision's Word file and refuses bombs (issue 12,
issue 14 §3), and publishing a back-dated list asks for confirmation first."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink import defaults
from postlink.models import ListVersion
from postlink.settings import get_settings
from tests.catalog import crafted
from tests.catalog.conftest import csv_bytes, table
from tests.catalog.test_districts import DISTRICT_ROWS, HEADER, ROWS
from tests.web.conftest import ADMIN, MakeBrowser

LAYOUTS = Path(__file__).parents[1] / "catalog" / "layouts"
FIELDS = {"effective_from": "2026-07-01", "reason": "Quyết định 1450/QĐ-UBND"}


def test_a_word_decision_uploads_with_the_number_from_its_title(
    browser_for: MakeBrowser, engine: Engine
) -> None:
    admin = browser_for(*ADMIN)
    word = (LAYOUTS / "decision-1450.docx").read_bytes()
    draft = admin.post("/admin/catalog/upload", FIELDS, files={"file": ("qd-1450.docx", word)})
    assert draft.status_code == 200, draft.text
    assert "Danh mục 1450/QĐ-UBND" in draft.text
    again = admin.post("/admin/catalog/upload", FIELDS, files={"file": ("qd-1450.docx", word)})
    assert "dùng lại bản nháp đó, không tạo bản mới" in again.text
    with Session(engine) as session:
        versions = session.exec(select(ListVersion)).all()
    assert [(v.decision, str(v.signed_on), v.entry_count) for v in versions] == [
        ("1450/QĐ-UBND", "2026-06-20", 7)
    ]


def test_an_expanding_workbook_and_a_pdf_are_refused_in_vietnamese(
    browser_for: MakeBrowser, engine: Engine, tmp_path: Path
) -> None:
    admin = browser_for(*ADMIN)
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(LAYOUTS / "marker-merged-title.xlsx", bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/image1.bin", b"\0" * (8 * 1024 * 1024))
    answer = admin.post(
        "/admin/catalog/upload", FIELDS, files={"file": ("bomb.xlsx", bomb.read_bytes())}
    )
    assert answer.status_code == 422
    assert "giải nén ra" in answer.text
    pdf = admin.post(
        "/admin/catalog/upload", FIELDS, files={"file": ("qd.pdf", io.BytesIO(b"%PDF-1.7"))}
    )
    assert pdf.status_code == 422
    assert "không đọc được bảng trong tệp PDF" in pdf.text
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ListVersion)).one() == 0


def test_publishing_a_back_dated_list_shows_what_changes_then_publishes(
    browser_for: MakeBrowser, engine: Engine, published_list: int
) -> None:
    admin = browser_for(*ADMIN)
    july = (defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-07.csv").read_bytes()
    fields = FIELDS | {"decision": "1234/QĐ-UBND"}
    assert admin.post("/admin/catalog/upload", fields, files={"file": ("t7.csv", july)}).is_success
    with Session(engine) as session:
        draft_id = session.exec(select(func.max(ListVersion.id))).one()
    asked = admin.post(f"/admin/catalog/versions/{draft_id}/publish")
    assert asked.status_code == 200
    assert "Xác nhận công bố" in asked.text
    assert "sẽ kết thúc ngày 01/07/2026" in asked.text
    with Session(engine) as session:
        assert session.get(ListVersion, draft_id).status == "draft"  # type: ignore[union-attr]
    done = admin.post(f"/admin/catalog/versions/{draft_id}/publish", {"confirm": "true"})
    assert done.status_code == 303
    with Session(engine) as session:
        assert session.get(ListVersion, draft_id).status == "published"  # type: ignore[union-attr]


def test_a_large_diff_shows_its_first_changes_and_all_on_demand(
    browser_for: MakeBrowser, engine: Engine, published_list: int
) -> None:
    admin = browser_for(*ADMIN)
    lines = ["STT,Mã TTHC,Tên thủ tục hành chính,Tiếp nhận hồ sơ qua BCCI,Trả kết quả qua BCCI"]
    lines += [f"{n},1.9{n:05d},Thủ tục thử {n},X,X" for n in range(1, 251)]
    body = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    fields = FIELDS | {"decision": "250/QĐ-UBND"}
    draft = admin.post("/admin/catalog/upload", fields, files={"file": ("250.csv", body)})
    assert draft.status_code == 200, draft.text
    assert draft.text.count('<tr class="change-') == 200
    assert "Đang hiện 200 thay đổi đầu tiên trong 317" in draft.text
    with Session(engine) as session:
        draft_id = session.exec(select(func.max(ListVersion.id))).one()
    everything = admin.get(f"/admin/catalog/versions/{draft_id}?all=1")
    assert everything.text.count('<tr class="change-') == 317


def test_the_preview_warns_of_district_rows_in_a_list_after_july_2025(
    browser_for: MakeBrowser,
) -> None:
    """Issue 13 §6: the admin sees, before publishing, each row still naming a district."""
    admin = browser_for(*ADMIN)
    annex = csv_bytes(table(*ROWS, header=HEADER))
    fields = FIELDS | {"decision": "1450/QĐ-UBND"}
    draft = admin.post("/admin/catalog/upload", fields, files={"file": ("pl.csv", annex)})
    assert draft.status_code == 200, draft.text
    assert draft.text.count("cấp huyện đã chấm dứt từ 01/07/2025") == len(DISTRICT_ROWS)
    for row in DISTRICT_ROWS:
        assert f"Dòng {row}" in draft.text


def test_a_costly_workbook_within_the_limits_is_refused_naming_the_sheet_and_limit(
    browser_for: MakeBrowser, engine: Engine, tmp_path: Path
) -> None:
    """A cell in Excel's last column on every row (openpyxl padded each row to 16,384
    cells and held the worker for the whole 60 s deadline): refused in Vietnamese, naming
    the sheet, the row and the limit; nothing stored."""
    admin = browser_for(*ADMIN)
    path = crafted.far_right(tmp_path / "danh-muc.xlsx")
    answer = admin.post(
        "/admin/catalog/upload", FIELDS, files={"file": ("danh-muc.xlsx", path.read_bytes())}
    )
    assert answer.status_code == 422
    assert "vượt quá cột 256" in answer.text
    assert "trang tính «Trang 1»" in answer.text
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ListVersion)).one() == 0


def test_upload_refusals_and_field_names_follow_the_language(
    browser_for: MakeBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 §1.5: the route's own sentences come from the catalogue, so English mode
    shows no Vietnamese and the default keeps the same Vietnamese text."""
    admin = browser_for(*ADMIN)
    text_file = {"file": ("list.txt", io.BytesIO(b"a,b"))}
    vietnamese = admin.post("/admin/catalog/upload", FIELDS, files=text_file)
    assert "Tệp «list.txt» không phải .xlsx hoặc .csv, cũng không phải .docx." in vietnamese.text
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    english = admin.post("/admin/catalog/upload", FIELDS, files=text_file)
    assert "The file «list.txt» is not .xlsx, .csv or .docx." in english.text
    undated = admin.post(
        "/admin/catalog/upload", {**FIELDS, "effective_from": "31/02/2026"}, files=text_file
    )
    assert "Date effective from «31/02/2026» is invalid" in undated.text
