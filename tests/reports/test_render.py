"""Every format of every report: safe against hostile names, and visibly rendered.

A citizen named ``<script>alert(1)</script>`` or ``=HYPERLINK("x")`` must come out as inert
text in HTML, CSV and XLSX (issue 6). Pages are screenshotted with headless Chromium and a
PDF page is rasterised with pdftoppm; the images are checked to be non-blank and kept
under ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.legs.handover import ItemSpec, create_handover
from postlink.models import Direction, Dossier
from postlink.reports.document import Report
from postlink.reports.filters import ReportFilter
from postlink.reports.formatting import FORMULA_TRIGGERS
from postlink.reports.render import Format, render
from tests.reports.conftest import FORMULA_NAME, XSS_NAME, Scenario, local

Build = Callable[[str, ReportFilter], Report]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
)


@pytest.fixture
def handover_id(engine: Engine, scenario: Scenario) -> int:
    """A signed record of the dossiers whose citizens have hostile names."""
    with Session(engine) as session:
        refs = []
        for role in ("tet_overdue", "failed_pickup", "d1"):
            dossier = session.exec(
                select(Dossier).where(Dossier.code == scenario.codes[role])
            ).one()
            refs.append(dossier.code)
        handover = create_handover(
            session,
            direction=Direction.IN,
            items=[ItemSpec(ref) for ref in refs],
            officer="Lê Văn Tiếp",
            postal_worker="Hoàng Thị Bưu",
            signed_at=local(date(2026, 2, 25), 9, 30),
            office=scenario.settings.office_name,
            actor="tester",
        )
        session.commit()
        assert handover.id is not None
        return handover.id


def _all_reports(scenario: Scenario, report_of: Build, handover_id: int) -> dict[str, Report]:
    flt = scenario.filter(full_contact=True, handover_id=handover_id)
    return {name: report_of(name, flt) for name in ("exclusions", "delivery", "handover", "period")}


def test_html_is_inert_and_self_contained(
    scenario: Scenario, report_of: Build, handover_id: int
) -> None:
    for name, report in _all_reports(scenario, report_of, handover_id).items():
        page = render(report, Format.HTML, scenario.settings).decode("utf-8")
        assert "<script" not in page, name
        for external in ("<link", " src=", "@import", "url("):
            assert external not in page, (name, external)
        if name in ("delivery", "handover"):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name


def _cells_are_inert(cells: list[str]) -> None:
    assert "'" + FORMULA_NAME in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]


def test_csv_has_bom_and_neutralised_cells(
    scenario: Scenario, report_of: Build, handover_id: int
) -> None:
    report = _all_reports(scenario, report_of, handover_id)["delivery"]
    data = render(report, Format.CSV, scenario.settings)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    _cells_are_inert(cells)
    assert XSS_NAME in cells  # plain text in a CSV: nothing there runs HTML
    assert "Báo cáo tình trạng tiếp nhận hồ sơ và trả kết quả qua bưu chính" in cells


def test_xlsx_has_no_formulas(scenario: Scenario, report_of: Build, handover_id: int) -> None:
    report = _all_reports(scenario, report_of, handover_id)["delivery"]
    book = load_workbook(io.BytesIO(render(report, Format.XLSX, scenario.settings)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    _cells_are_inert([cell.value for cell in cells if isinstance(cell.value, str)])
    overdue = next(sheet for sheet in book.worksheets if "Quá hạn" in sheet.title)
    deadline_cells = [row[8] for row in overdue.iter_rows(min_row=5)]
    assert all(cell.number_format == "dd/mm/yyyy" for cell in deadline_cells)


def _non_blank(png: Path) -> None:
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        inked = sum(count for count, colour in colours if colour != (255, 255, 255))
        assert len(colours) > 16, f"{png} has {len(colours)} colours"
        assert inked / (rgb.width * rgb.height) > 0.01, f"{png} is almost blank"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_screenshot_of_each_html_report(
    engine: Engine, scenario: Scenario, report_of: Build, handover_id: int, tmp_path: Path
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("pages do not depend on the backend (their numbers are tested on both)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots, browsers = [], []
    for name, report in _all_reports(scenario, report_of, handover_id).items():
        page = tmp_path / f"{name}.html"
        page.write_bytes(render(report, Format.HTML, scenario.settings))
        shots.append(ARTIFACTS / f"{name}.png")
        command = [
            str(shutil.which("chromium")),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / name}",
            "--window-size=1240,1600",
            f"--screenshot={shots[-1]}",
            page.as_uri(),
        ]
        browsers.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    for browser in browsers:
        assert browser.wait(timeout=60) == 0
    for shot in shots:
        _non_blank(shot)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pdf_page_and_vietnamese_text(
    engine: Engine, scenario: Scenario, report_of: Build, handover_id: int, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reports = _all_reports(scenario, report_of, handover_id)
    pdf = tmp_path / "handover.pdf"
    pdf.write_bytes(render(reports["handover"], Format.PDF, scenario.settings))
    prefix = ARTIFACTS / f"{engine.dialect.name}-handover-pdf"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        timeout=60,
    )
    _non_blank(prefix.with_suffix(".png"))
    extracted = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    # NFC, and without the line breaks a narrow table cell puts inside a name.
    words = "".join(unicodedata.normalize("NFC", extracted).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN GIAO NHẬN HỒ SƠ",
        "Hoàng Thị Bưu",
        "Lê Văn Tiếp",
        "<script>alert(1)</script>",
    ):
        assert "".join(expected.split()) in words, expected
    period_pdf = render(reports["period"], Format.PDF, scenario.settings)
    assert period_pdf.startswith(b"%PDF")
