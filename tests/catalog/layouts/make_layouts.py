"""Type the layout fixtures by hand, cell by cell, as a clerk would in Excel and Word.

    .venv/bin/python tests/catalog/layouts/make_layouts.py

Each annex below is spelled out literally (title blocks, merged ranges, bold section rows,
two- and three-row headers, two lists by membership, the decision's Word file); nothing is
produced by postlink's own writers. The produced .xlsx and .docx files are committed beside
this script, and ``tests/catalog/test_layouts.py`` checks what postlink reads from them
against values typed by hand there. Procedure codes and names are the real ones of the
domain brief §4.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from docx import Document
from docx.shared import Pt
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent
BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
ANNEX_OF_1450 = (
    "(Ban hành kèm theo Quyết định số 1450/QĐ-UBND ngày 20 tháng 6 năm 2026 "
    "của Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng)"
)


def put(sheet: Worksheet, row: int, cells: Sequence[object], *, bold: bool = False) -> None:
    """Type ``cells`` from column A of ``row`` (None leaves a cell empty)."""
    for column, value in enumerate(cells, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=column, value=value)
        if bold:
            cell.font = BOLD


def section(sheet: Worksheet, row: int, marker: str, title: str, first: int, last: int) -> None:
    """A section row: ``marker`` in column ``first - 1``, ``title`` merged ``first``..``last``."""
    if marker:
        sheet.cell(row=row, column=first - 1, value=marker).font = BOLD
    sheet.cell(row=row, column=first, value=title).font = BOLD
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def title_block(sheet: Worksheet, lines: Sequence[str], width: int) -> None:
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def marker_and_merged_title() -> None:
    """The issue's layout: the marker in STT, the title in the next cell merged to the end;
    a two-row header with "Hình thức thực hiện qua BCCI" over the two marks; a numbering row."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh mục"
    title_block(
        sheet,
        [
            "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG",
            "DANH MỤC THỦ TỤC HÀNH CHÍNH TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ "
            "QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH",
            ANNEX_OF_1450,
        ],
        8,
    )
    put(sheet, 5, ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Cơ quan thực hiện"], bold=True)
    put(sheet, 5, [None, None, None, None, "Hình thức thực hiện qua BCCI", None, "Lý do"])
    put(sheet, 6, [None, None, None, None, "Tiếp nhận hồ sơ", "Trả kết quả"], bold=True)
    for column in (1, 2, 3, 4, 7):
        sheet.merge_cells(start_row=5, start_column=column, end_row=6, end_column=column)
    sheet.merge_cells(start_row=5, start_column=5, end_row=5, end_column=6)
    put(sheet, 7, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    section(sheet, 8, "A", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH", 2, 7)
    section(sheet, 9, "I", "Lĩnh vực Đất đai", 2, 7)
    put(
        sheet,
        10,
        [
            1,
            "1.012786",
            "Cấp lại Giấy chứng nhận do bị mất",
            "Sở Nông nghiệp và Môi trường",
            "X",
            "X",
        ],
    )
    put(
        sheet,
        11,
        [2, "1.012784", "Tách thửa hoặc hợp thửa đất", "Văn phòng đăng ký đất đai", "", "X"],
    )
    section(sheet, 12, "II", "Lĩnh vực Người có công", 2, 7)
    put(sheet, 13, [3, "1.010772", "Cấp Bằng Tổ quốc ghi công", "Sở Nội vụ", "X", "X"])
    section(sheet, 14, "B", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", 2, 7)
    section(sheet, 15, "I", "Lĩnh vực Hộ tịch", 2, 7)
    put(sheet, 16, [4, "1.001193", "Đăng ký khai sinh", "UBND cấp xã", "X", "X"])
    put(
        sheet,
        17,
        [
            5,
            "1.000894",
            "Đăng ký kết hôn",
            "UBND cấp xã",
            "",
            "",
            "Hai bên nam, nữ phải có mặt khi đăng ký kết hôn",
        ],
    )
    put(sheet, 18, [6, "1.000656", "Đăng ký khai tử", "UBND cấp xã", "X", "X"])
    put(
        sheet,
        19,
        [
            7,
            "1.000110",
            "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
            "UBND cấp xã",
            "X",
            "X",
        ],
    )
    section(sheet, 20, "II", "Lĩnh vực Chứng thực", 2, 7)
    put(
        sheet,
        21,
        [
            8,
            "2.000815.000.00.00.H14",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
            "UBND cấp xã",
            "",
            "",
            "Người yêu cầu phải xuất trình bản chính",
        ],
    )
    put(
        sheet,
        22,
        [
            9,
            "2.000884",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "UBND cấp xã",
            "",
            "",
            "Người yêu cầu phải ký trước mặt người thực hiện chứng thực",
        ],
    )
    section(sheet, 23, "III", "Lĩnh vực Bảo trợ xã hội", 2, 7)
    put(
        sheet,
        24,
        [
            10,
            "1.001731",
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
            "UBND cấp xã",
            "X",
            "X",
        ],
    )
    section(sheet, 25, "IV", "Lĩnh vực Giáo dục", 2, 7)
    put(
        sheet,
        26,
        [11, "1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", "UBND cấp xã", "X", "X"],
    )
    section(sheet, 27, "V", "Lĩnh vực Liên thông", 2, 7)
    put(
        sheet,
        28,
        [
            12,
            "1.010824",
            "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất",
            "UBND cấp xã",
            "X",
            "X",
        ],
    )
    book.save(HERE / "marker-merged-title.xlsx")


def markers_of_every_kind() -> None:
    """A margin column, then STT; markers Phần I / PHẦN A / IV / 1 / a), unmerged, a bold
    title without marker, an upper-case title alone; header variants ("Mã số hồ sơ TTHC",
    "Tên TTHC", "Cơ quan giải quyết", "Ghi chú" for the reason)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "PL"
    sheet.cell(row=1, column=2, value="PHỤ LỤC").font = BOLD
    sheet.cell(
        row=2,
        column=2,
        value="DANH MỤC THỦ TỤC HÀNH CHÍNH TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA DỊCH VỤ BCCI",
    )
    sheet.cell(
        row=3,
        column=2,
        value="(Kèm theo Quyết định số 78/QĐ-UBND ngày 05/02/2026 của UBND tỉnh Cao Bằng)",
    )
    put(
        sheet,
        5,
        [
            None,
            "STT",
            "Mã số hồ sơ TTHC",
            "Tên TTHC",
            "Cơ quan giải quyết",
            "Tiếp nhận hồ sơ qua dịch vụ BCCI",
            "Trả kết quả qua dịch vụ BCCI",
            "Ghi chú",
        ],
        bold=True,
    )
    put(sheet, 6, [None, "Phần I", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH"], bold=True)
    put(sheet, 7, [None, "IV", "Người có công"])
    put(sheet, 8, [None, 1, "1.010772", "Cấp Bằng Tổ quốc ghi công", "Sở Nội vụ", "x", "x"])
    put(sheet, 9, [None, None, "Đất đai"], bold=True)
    put(
        sheet,
        10,
        [
            None,
            2,
            "1.012786",
            "Cấp lại Giấy chứng nhận do bị mất",
            "Sở Nông nghiệp và Môi trường",
            "",
            "x",
            "Chỉ trả kết quả qua BCCI",
        ],
    )
    put(sheet, 11, [None, "PHẦN A. THỦ TỤC HÀNH CHÍNH CẤP XÃ"], bold=True)
    put(sheet, 12, [None, 1, "Hộ tịch"], bold=True)
    put(sheet, 13, [None, 3, "1.000656", "Đăng ký khai tử", "UBND xã, phường", "Có", "Có"])
    put(
        sheet,
        14,
        [
            None,
            4,
            "2.000806",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            "UBND xã, phường",
            "",
            "",
            "Hai bên phải có mặt",
        ],
    )
    put(sheet, 15, [None, "a)", "Nuôi con nuôi"])
    put(
        sheet,
        16,
        [
            None,
            5,
            "2.001263",
            "Đăng ký việc nuôi con nuôi trong nước",
            "UBND xã, phường",
            "",
            "",
            "Cha mẹ nuôi và con nuôi phải có mặt",
        ],
    )
    sheet.cell(row=17, column=2, value="CHỨNG THỰC")
    sheet.merge_cells("B17:H17")
    put(
        sheet,
        18,
        [
            None,
            6,
            "2.000884",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "UBND xã, phường",
            "",
            "",
            "Ký trước mặt người chứng thực",
        ],
    )
    book.save(HERE / "markers-of-every-kind.xlsx")


def two_sheets_by_membership() -> None:
    """Phụ lục I "thực hiện" and Phụ lục II "không thực hiện" on two sheets, no X columns;
    a "Ghi chú" saying "Chỉ trả kết quả"; a third sheet of instructions."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Phụ lục I"
    title_block(
        first,
        [
            "Phụ lục I",
            "DANH MỤC THỦ TỤC HÀNH CHÍNH THỰC HIỆN TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ "
            "QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH",
            ANNEX_OF_1450,
        ],
        5,
    )
    put(
        first,
        5,
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Cơ quan thực hiện", "Ghi chú"],
        bold=True,
    )
    section(first, 6, "A", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH", 2, 5)
    put(
        first,
        7,
        [
            1,
            "1.012786",
            "Cấp lại Giấy chứng nhận do bị mất",
            "Sở Nông nghiệp và Môi trường",
            "Chỉ trả kết quả",
        ],
    )
    put(first, 8, [2, "1.010772", "Cấp Bằng Tổ quốc ghi công", "Sở Nội vụ", ""])
    section(first, 9, "B", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", 2, 5)
    section(first, 10, "I", "Lĩnh vực Hộ tịch", 2, 5)
    put(first, 11, [3, "1.001193", "Đăng ký khai sinh", "UBND cấp xã", ""])
    put(first, 12, [4, "1.000656", "Đăng ký khai tử", "UBND cấp xã", "Chỉ tiếp nhận hồ sơ"])
    second = book.create_sheet("Phụ lục II")
    title_block(
        second,
        [
            "Phụ lục II",
            "DANH MỤC THỦ TỤC HÀNH CHÍNH KHÔNG THỰC HIỆN TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ "
            "QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH",
            ANNEX_OF_1450,
        ],
        4,
    )
    put(second, 5, ["STT", "Mã thủ tục", "Tên thủ tục hành chính", "Lý do"], bold=True)
    section(second, 6, "I", "Lĩnh vực Hộ tịch", 2, 4)
    put(second, 7, [1, "1.000894", "Đăng ký kết hôn", "Hai bên nam, nữ phải có mặt"])
    put(
        second,
        8,
        [
            2,
            "1.000080",
            "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới",
            "Các bên phải có mặt",
        ],
    )
    section(second, 9, "II", "Lĩnh vực Chứng thực", 2, 4)
    put(
        second,
        10,
        [
            3,
            "2.000884",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "Người yêu cầu phải ký trước mặt người thực hiện chứng thực",
        ],
    )
    notes = book.create_sheet("Hướng dẫn")
    notes["A1"] = "Ghi chú: danh mục được niêm yết tại Trung tâm Phục vụ hành chính công tỉnh."
    book.save(HERE / "two-sheets-by-membership.xlsx")


def one_sheet_two_tables() -> None:
    """Two titled tables on one sheet, each with its own header; the first with a scope
    column ("Phạm vi thực hiện qua BCCI") instead of X columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    title_block(sheet, ["ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", ANNEX_OF_1450], 5)
    sheet.cell(
        row=4, column=1, value="I. DANH MỤC TTHC THỰC HIỆN TIẾP NHẬN HỒ SƠ/TRẢ KẾT QUẢ QUA BCCI"
    ).font = BOLD
    sheet.merge_cells("A4:E4")
    put(
        sheet,
        5,
        ["STT", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Phạm vi thực hiện qua BCCI"],
        bold=True,
    )
    put(sheet, 6, [1, "1.001193", "Đăng ký khai sinh", "Hộ tịch", "Tiếp nhận hồ sơ và trả kết quả"])
    put(
        sheet,
        7,
        [
            2,
            "1.001731",
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
            "Bảo trợ xã hội",
            "Trả kết quả",
        ],
    )
    put(
        sheet,
        8,
        [3, "1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", "Giáo dục", "Tiếp nhận hồ sơ"],
    )
    sheet.cell(
        row=10,
        column=1,
        value="II. DANH MỤC TTHC KHÔNG THỰC HIỆN TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA BCCI",
    ).font = BOLD
    sheet.merge_cells("A10:E10")
    put(
        sheet,
        11,
        ["STT", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Lý do không thực hiện qua dịch vụ BCCI"],
        bold=True,
    )
    put(sheet, 12, [1, "1.000894", "Đăng ký kết hôn", "Hộ tịch", "Hai bên phải có mặt"])
    put(
        sheet,
        13,
        [
            2,
            "1.000094",
            "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
            "Hộ tịch",
            "Hai bên phải có mặt",
        ],
    )
    book.save(HERE / "one-sheet-two-tables.xlsx")


def three_row_header() -> None:
    """A header typed over three rows: "Mã số" / "TTHC", "Tên thủ tục" / "hành chính", a
    group title over "Tiếp nhận" / "hồ sơ" and "Trả kết quả" / "cho tổ chức, cá nhân"."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    title_block(sheet, ["DANH MỤC THỦ TỤC HÀNH CHÍNH THỰC HIỆN QUA DỊCH VỤ BCCI NĂM 2026"], 7)
    put(
        sheet,
        3,
        [
            "STT",
            "Mã số",
            "Tên thủ tục",
            "Cấp thực hiện",
            "Thực hiện qua dịch vụ bưu chính công ích",
            None,
            "Lý do",
        ],
        bold=True,
    )
    put(sheet, 4, [None, "TTHC", "hành chính", None, "Tiếp nhận", "Trả kết quả"], bold=True)
    put(sheet, 5, [None, None, None, None, "hồ sơ", "cho tổ chức, cá nhân"], bold=True)
    sheet.merge_cells("E3:F3")
    for column in "ADG":
        sheet.merge_cells(f"{column}3:{column}5")
    put(sheet, 6, [1, "1.012784", "Tách thửa hoặc hợp thửa đất", "Tỉnh", "X", "X"])
    put(sheet, 7, [2, "1.001193", "Đăng ký khai sinh", "Xã", "X", "X"])
    put(sheet, 8, [3, "1.000894", "Đăng ký kết hôn", "Xã", "", "", "Phải có mặt"])
    book.save(HERE / "three-row-header.xlsx")


def _word_row(table: object, cells: Sequence[str], *, bold: bool = False) -> None:
    row = table.add_row()  # type: ignore[attr-defined]
    for cell, text in zip(row.cells, cells, strict=False):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = bold


def _word_section(table: object, marker: str, title: str, first: int) -> None:
    """A section row as typed in Word: cells ``first``.. merged, then the title typed once
    into the merged cell (and the marker, if any, in the cell before it)."""
    row = table.add_row()  # type: ignore[attr-defined]
    cells = row.cells
    merged = cells[first].merge(cells[-1])
    merged.text = title
    merged.paragraphs[0].runs[0].bold = True
    if marker:
        cells[first - 1].text = marker
        cells[first - 1].paragraphs[0].runs[0].bold = True


def decision_docx() -> None:
    """The decision as published on the provincial portal: a layout table for the title
    block, the articles, then Phụ lục I (X columns, a group title merged over them, section
    rows merged across) and Phụ lục II (membership "không thực hiện", a field title alone
    merged across the whole row)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(13)
    head = document.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 1450/QĐ-UBND"
    head.cell(1, 1).text = "Cao Bằng, ngày 20 tháng 6 năm 2026"
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph(
        "Về việc công bố Danh mục thủ tục hành chính thực hiện và không thực hiện tiếp nhận "
        "hồ sơ, trả kết quả qua dịch vụ bưu chính công ích trên địa bàn tỉnh Cao Bằng"
    )
    document.add_paragraph("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CAO BẰNG")
    document.add_paragraph(
        "Căn cứ Quyết định số 45/2016/QĐ-TTg ngày 19 tháng 10 năm 2016 của Thủ tướng Chính "
        "phủ về việc tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính qua dịch vụ "
        "bưu chính công ích;"
    )
    document.add_paragraph("QUYẾT ĐỊNH:")
    document.add_paragraph(
        "Điều 1. Công bố kèm theo Quyết định này Danh mục thủ tục hành chính thực hiện (Phụ "
        "lục I) và không thực hiện (Phụ lục II) tiếp nhận hồ sơ, trả kết quả qua dịch vụ bưu "
        "chính công ích."
    )
    document.add_paragraph("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày 01/7/2026.")
    document.add_paragraph("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    document.add_page_break()

    document.add_paragraph("Phụ lục I")
    document.add_paragraph(
        "DANH MỤC THỦ TỤC HÀNH CHÍNH THỰC HIỆN TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA DỊCH VỤ BƯU "
        "CHÍNH CÔNG ÍCH"
    )
    document.add_paragraph(ANNEX_OF_1450)
    annex = document.add_table(rows=2, cols=6)
    annex.style = "Table Grid"
    top, bottom = annex.rows[0].cells, annex.rows[1].cells
    for index, title in enumerate(["STT", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực"]):
        top[index].text = title
        top[index].merge(bottom[index])  # vertically merged over the two header rows
    group = top[4].merge(top[5])
    group.text = "Hình thức thực hiện qua dịch vụ BCCI"
    bottom[4].text = "Tiếp nhận hồ sơ"
    bottom[5].text = "Trả kết quả"
    _word_section(annex, "A", "THỦ TỤC HÀNH CHÍNH CẤP TỈNH", 1)
    _word_row(annex, ["1", "1.012786", "Cấp lại Giấy chứng nhận do bị mất", "Đất đai", "X", "X"])
    _word_row(annex, ["2", "1.012784", "Tách thửa hoặc hợp thửa đất", "Đất đai", "X", "X"])
    _word_section(annex, "B", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", 1)
    _word_row(annex, ["3", "1.001193", "Đăng ký khai sinh", "Hộ tịch", "X", "X"])
    _word_row(annex, ["4", "1.000656", "Đăng ký khai tử", "Hộ tịch", "X", ""])
    _word_row(
        annex,
        [
            "5",
            "2.000815",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
            "Chứng thực",
            "",
            "X",
        ],
    )

    document.add_paragraph("Phụ lục II")
    document.add_paragraph(
        "DANH MỤC THỦ TỤC HÀNH CHÍNH KHÔNG THỰC HIỆN TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA DỊCH "
        "VỤ BƯU CHÍNH CÔNG ÍCH"
    )
    document.add_paragraph(ANNEX_OF_1450)
    excluded = document.add_table(rows=1, cols=4)
    excluded.style = "Table Grid"
    for cell, title in zip(
        excluded.rows[0].cells, ["STT", "Mã TTHC", "Tên TTHC", "Lý do"], strict=True
    ):
        cell.text = title
    _word_section(excluded, "", "Lĩnh vực Hộ tịch", 0)
    _word_row(excluded, ["1", "1.000894", "Đăng ký kết hôn", "Hai bên nam, nữ phải có mặt"])
    _word_row(
        excluded,
        [
            "2",
            "1.000094",
            "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
            "Hai bên phải có mặt",
        ],
    )
    document.add_paragraph("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    document.save(str(HERE / "decision-1450.docx"))


if __name__ == "__main__":
    marker_and_merged_title()
    markers_of_every_kind()
    two_sheets_by_membership()
    one_sheet_two_tables()
    three_row_header()
    decision_docx()
