"""Write the sample Cao Bằng lists (SAMPLE DATA, not a real decision) as XLSX and CSV.

The files look like a real annex (domain brief §5): a title block naming the province, the
decision and its date; a two-row header whose first row merges "Hình thức thực hiện qua
dịch vụ BCCI" over the two eligibility columns; section rows for the level and the field.
Run it after changing the data so that every file stays in step:

    .venv/bin/python config/catalog/make_sample.py

Codes from the domain brief §4 are real, with their real exclusion reasons and legal basis;
codes of the form ``d.99dddd`` are invented placeholders, as are their agencies' details.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent
WIDTH = 10  # columns A..J

PROVINCE_LEVEL = "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH"
COMMUNE_LEVEL = "B. THỦ TỤC HÀNH CHÍNH CẤP XÃ"
COMMUNE = "UBND cấp xã"
LAND_OFFICE = "Văn phòng Đăng ký đất đai tỉnh Cao Bằng"
LAND_OFFICE_CODE = "000.20.31.H14"  # invented unit code under H14 (Cao Bằng)

HOTICH = "Luật Hộ tịch số 60/2014/QH13"
CHUNGTHUC = "Nghị định số 23/2015/NĐ-CP"
BOTH_PRESENT = "Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn"
SIGN_IN_PERSON = "Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực"
PARTIES_SIGN = "Các bên phải ký trước mặt người thực hiện chứng thực"
RECOGNITION = "Người nhận và người được nhận là cha, mẹ, con phải có mặt"
NO_PAPER_RESULT = "Thủ tục không có kết quả giấy trả cho người nộp"


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    agency: str
    submission: bool
    result: bool
    reason: str = ""
    basis: str = ""
    agency_code: str = ""


def both(code: str, name: str, agency: str) -> Row:
    return Row(code, name, agency, True, True)


def excluded(code: str, name: str, agency: str, reason: str, basis: str) -> Row:
    return Row(code, name, agency, False, False, reason, basis)


Sections = list[tuple[str, list[tuple[str, list[Row]]]]]

LIST_2026_01: Sections = [
    (
        PROVINCE_LEVEL,
        [
            (
                "I. Lĩnh vực Đất đai",
                [
                    both("1.012786", "Cấp lại Giấy chứng nhận do bị mất", LAND_OFFICE),
                    Row(
                        "1.012784",
                        "Tách thửa hoặc hợp thửa đất",
                        LAND_OFFICE,
                        True,
                        True,
                        agency_code=LAND_OFFICE_CODE,
                    ),
                    both(
                        "1.990101",
                        "Đăng ký biến động do chuyển nhượng quyền sử dụng đất",
                        LAND_OFFICE,
                    ),
                    both("1.990102", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", LAND_OFFICE),
                    both("1.990103", "Đính chính Giấy chứng nhận đã cấp", LAND_OFFICE),
                    both("1.990104", "Đăng ký thế chấp quyền sử dụng đất", LAND_OFFICE),
                ],
            ),
            (
                "II. Lĩnh vực Người có công",
                [
                    Row(
                        "1.010772",
                        "Cấp Bằng Tổ quốc ghi công",
                        "Sở Nội vụ",
                        False,
                        True,
                        "Hồ sơ đề nghị do cơ quan, đơn vị lập và chuyển theo đường công vụ",
                    ),
                    both("1.990201", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Sở Nội vụ"),
                    both("1.990202", "Cấp giấy xác nhận thân nhân của người có công", "Sở Nội vụ"),
                    both("1.990203", "Di chuyển hồ sơ người có công với cách mạng", "Sở Nội vụ"),
                ],
            ),
            (
                "III. Lĩnh vực Lý lịch tư pháp",
                [
                    both(
                        "1.990301", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Sở Tư pháp"
                    ),
                    both(
                        "1.990302",
                        "Cấp Phiếu lý lịch tư pháp cho người nước ngoài cư trú tại Việt Nam",
                        "Sở Tư pháp",
                    ),
                ],
            ),
            (
                "IV. Lĩnh vực Xây dựng",
                [
                    both(
                        "1.990601",
                        "Cấp giấy phép xây dựng mới đối với công trình cấp II",
                        "Sở Xây dựng",
                    ),
                    both(
                        "1.990602",
                        "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
                        "Sở Xây dựng",
                    ),
                    both("1.990603", "Cấp giấy phép sửa chữa, cải tạo công trình", "Sở Xây dựng"),
                    both(
                        "1.990604",
                        "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, III",
                        "Sở Xây dựng",
                    ),
                ],
            ),
            (
                "V. Lĩnh vực Thành lập và hoạt động doanh nghiệp",
                [
                    both("2.990501", "Đăng ký thành lập doanh nghiệp tư nhân", "Sở Tài chính"),
                    both(
                        "2.990502", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Sở Tài chính"
                    ),
                    Row(
                        "2.990503",
                        "Thông báo tạm ngừng kinh doanh",
                        "Sở Tài chính",
                        True,
                        False,
                        NO_PAPER_RESULT,
                    ),
                ],
            ),
            (
                "VI. Lĩnh vực Y tế",
                [
                    both("1.990701", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "Sở Y tế"),
                    both("1.990702", "Cấp giấy phép hoạt động đối với phòng khám", "Sở Y tế"),
                ],
            ),
            (
                "VII. Lĩnh vực Việc làm",
                [
                    both(
                        "2.990801",
                        "Cấp giấy phép lao động cho người lao động nước ngoài",
                        "Sở Nội vụ",
                    ),
                    both("2.990802", "Gia hạn giấy phép lao động", "Sở Nội vụ"),
                ],
            ),
            (
                "VIII. Lĩnh vực Giáo dục và Đào tạo",
                [
                    both(
                        "1.990901",
                        "Công nhận văn bằng do cơ sở giáo dục nước ngoài cấp",
                        "Sở Giáo dục và Đào tạo",
                    ),
                    both(
                        "1.990902",
                        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
                        "Sở Giáo dục và Đào tạo",
                    ),
                ],
            ),
            (
                "IX. Lĩnh vực Văn hóa",
                [
                    both(
                        "1.991001",
                        "Cấp giấy phép tổ chức lễ hội",
                        "Sở Văn hóa, Thể thao và Du lịch",
                    ),
                ],
            ),
        ],
    ),
    (
        COMMUNE_LEVEL,
        [
            (
                "I. Lĩnh vực Hộ tịch",
                [
                    both("1.001193", "Đăng ký khai sinh", COMMUNE),
                    excluded(
                        "1.000894",
                        "Đăng ký kết hôn",
                        COMMUNE,
                        BOTH_PRESENT,
                        f"{HOTICH}, Điều 18 khoản 1",
                    ),
                    both("1.000656", "Đăng ký khai tử", COMMUNE),
                    excluded(
                        "2.000806",
                        "Đăng ký kết hôn có yếu tố nước ngoài",
                        COMMUNE,
                        BOTH_PRESENT,
                        f"{HOTICH}, Điều 38",
                    ),
                    both(
                        "1.000110",
                        "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới",
                        COMMUNE,
                    ),
                    excluded(
                        "1.000094",
                        "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới",
                        COMMUNE,
                        BOTH_PRESENT,
                        "Nghị định số 123/2015/NĐ-CP (đăng ký hộ tịch tại khu vực biên giới)",
                    ),
                    excluded(
                        "1.000080",
                        "Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới",
                        COMMUNE,
                        RECOGNITION,
                        f"{HOTICH}, Điều 25 khoản 1",
                    ),
                    both("1.991102", "Đăng ký lại khai sinh", COMMUNE),
                    both("1.991104", "Cấp bản sao trích lục hộ tịch", COMMUNE),
                    both(
                        "1.991105",
                        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
                        COMMUNE,
                    ),
                    both("1.991106", "Cấp Giấy xác nhận tình trạng hôn nhân", COMMUNE),
                    excluded(
                        "1.991107",
                        "Đăng ký nhận cha, mẹ, con",
                        COMMUNE,
                        RECOGNITION,
                        f"{HOTICH}, Điều 25 khoản 1",
                    ),
                    excluded(
                        "1.991108",
                        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
                        COMMUNE,
                        RECOGNITION,
                        f"{HOTICH}, Điều 25 khoản 1",
                    ),
                ],
            ),
            (
                "II. Lĩnh vực Chứng thực",
                [
                    Row(
                        "2.000815",
                        "Chứng thực bản sao từ bản chính giấy tờ, văn bản "
                        "do cơ quan có thẩm quyền cấp",
                        COMMUNE,
                        False,
                        True,
                        "Người yêu cầu phải xuất trình bản chính để đối chiếu",
                        f"{CHUNGTHUC}, Điều 20",
                    ),
                    excluded(
                        "2.000884",
                        "Chứng thực chữ ký trong các giấy tờ, văn bản",
                        COMMUNE,
                        SIGN_IN_PERSON,
                        f"{CHUNGTHUC}, Điều 24",
                    ),
                    excluded(
                        "2.991201",
                        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
                        COMMUNE,
                        PARTIES_SIGN,
                        f"{CHUNGTHUC}, Điều 36",
                    ),
                    excluded(
                        "2.991202",
                        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
                        COMMUNE,
                        PARTIES_SIGN,
                        CHUNGTHUC,
                    ),
                    excluded(
                        "2.991203",
                        "Chứng thực chữ ký người dịch",
                        COMMUNE,
                        "Người dịch phải ký trước mặt người thực hiện chứng thực",
                        CHUNGTHUC,
                    ),
                    both(
                        "2.991204",
                        "Cấp bản sao có chứng thực từ bản chính hợp đồng, "
                        "giao dịch đã được chứng thực",
                        COMMUNE,
                    ),
                ],
            ),
            (
                "III. Lĩnh vực Nuôi con nuôi",
                [
                    excluded(
                        "2.001263",
                        "Đăng ký việc nuôi con nuôi trong nước",
                        COMMUNE,
                        "Cha mẹ nuôi, con nuôi và người giao con nuôi phải có mặt "
                        "khi giao nhận con nuôi",
                        "Luật Nuôi con nuôi số 52/2010/QH12, Điều 22",
                    ),
                    both("1.991301", "Đăng ký lại việc nuôi con nuôi trong nước", COMMUNE),
                ],
            ),
            (
                "IV. Lĩnh vực Bảo trợ xã hội",
                [
                    both(
                        "1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", COMMUNE
                    ),
                    both(
                        "1.991401",
                        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
                        COMMUNE,
                    ),
                    both(
                        "1.991402",
                        "Hỗ trợ kinh phí nhận chăm sóc đối tượng cần bảo vệ khẩn cấp",
                        COMMUNE,
                    ),
                    both(
                        "1.991403",
                        "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng",
                        COMMUNE,
                    ),
                ],
            ),
            (
                "V. Lĩnh vực Giáo dục và Đào tạo",
                [
                    both("1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", COMMUNE),
                    both(
                        "1.991501",
                        "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục",
                        COMMUNE,
                    ),
                    both("1.991502", "Chuyển trường đối với học sinh tiểu học", COMMUNE),
                    both(
                        "1.991503", "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú", COMMUNE
                    ),
                ],
            ),
            (
                "VI. Lĩnh vực Liên thông",
                [
                    both(
                        "1.010824",
                        "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất",
                        COMMUNE,
                    ),
                    both(
                        "1.991601",
                        "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
                        "cho trẻ em dưới 6 tuổi",
                        COMMUNE,
                    ),
                ],
            ),
            (
                "VII. Lĩnh vực Đất đai",
                [
                    Row(
                        "1.012784",
                        "Tách thửa hoặc hợp thửa đất",
                        COMMUNE,
                        False,
                        True,
                        "Hồ sơ nộp tại Trung tâm Phục vụ hành chính công để đối chiếu bản gốc "
                        "Giấy chứng nhận",
                    ),
                    excluded(
                        "1.991701",
                        "Hòa giải tranh chấp đất đai",
                        COMMUNE,
                        "Các bên tranh chấp phải có mặt tại buổi hòa giải",
                        "Luật Đất đai số 31/2024/QH15, Điều 235",
                    ),
                    both("1.991702", "Đăng ký đất đai lần đầu", COMMUNE),
                ],
            ),
            (
                "VIII. Lĩnh vực Thành lập và hoạt động hộ kinh doanh",
                [
                    both("2.991801", "Đăng ký thành lập hộ kinh doanh", COMMUNE),
                    both("2.991802", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", COMMUNE),
                    both("2.991803", "Chấm dứt hoạt động hộ kinh doanh", COMMUNE),
                ],
            ),
            (
                "IX. Lĩnh vực Người có công",
                [
                    both("1.991901", "Xác nhận thông tin hồ sơ liệt sĩ", COMMUNE),
                    both("1.991902", "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ", COMMUNE),
                ],
            ),
            (
                "X. Lĩnh vực Thi đua, khen thưởng",
                [
                    Row(
                        "1.992001",
                        "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
                        COMMUNE,
                        False,
                        True,
                        "Hồ sơ đề nghị do cơ quan, đơn vị lập và trình theo đường công vụ",
                    ),
                ],
            ),
            (
                "XI. Lĩnh vực Văn hóa",
                [
                    Row(
                        "1.992101",
                        "Thông báo tổ chức lễ hội cấp xã",
                        COMMUNE,
                        True,
                        False,
                        NO_PAPER_RESULT,
                    ),
                ],
            ),
        ],
    ),
]


def _changed(sections: Sections) -> Sections:
    """The July 2026 list: decision 1234/QĐ-UBND changes the January one (see README)."""
    removed = {"1.990602", "1.991902"}
    renamed = {
        "1.001622": "Hỗ trợ ăn trưa cho trẻ em mẫu giáo",
        "1.990102": "Cấp đổi Giấy chứng nhận quyền sử dụng đất, "
        "quyền sở hữu tài sản gắn liền với đất",
    }
    added = {
        "I. Lĩnh vực Đất đai": [
            both("1.990105", "Đăng ký biến động do thừa kế quyền sử dụng đất", LAND_OFFICE)
        ],
        "I. Lĩnh vực Hộ tịch": [
            both("1.991109", "Đăng ký khai sinh cho trẻ em sinh ra ở nước ngoài", COMMUNE)
        ],
        "VIII. Lĩnh vực Thành lập và hoạt động hộ kinh doanh": [
            Row(
                "2.991804",
                "Tạm ngừng kinh doanh hộ kinh doanh",
                COMMUNE,
                True,
                False,
                NO_PAPER_RESULT,
            )
        ],
    }
    result: Sections = []
    for level, fields in sections:
        new_fields = []
        for field, rows in fields:
            new_rows = []
            for row in rows:
                if row.code in removed:
                    continue
                new = replace(row, name=renamed.get(row.code, row.name))
                if row.code == "1.012784" and not row.agency_code:
                    new = replace(new, submission=True, reason="")  # eligibility: return → both
                if row.code == "1.010772":
                    new = replace(new, submission=True, reason="")  # eligibility: return → both
                if row.code == "1.991104":
                    new = replace(new, result=False, reason="Trích lục được cấp bản điện tử")
                if row.code == "2.000884":
                    new = replace(new, reason=SIGN_IN_PERSON + " và xuất trình giấy tờ tùy thân")
                new_rows.append(new)
            new_fields.append((field, new_rows + added.get(field, [])))
        result.append((level, new_fields))
    return result


@dataclass(frozen=True)
class Decision:
    number: str
    signed: str
    effective: str
    file_stem: str


JANUARY = Decision("125/QĐ-UBND", "20/12/2025", "01/01/2026", "cao-bang-2026-01")
JULY = Decision("1234/QĐ-UBND", "15/06/2026", "01/07/2026", "cao-bang-2026-07")

HEADER_TOP = [
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Cơ quan thực hiện",
    "Mã cơ quan",
    "Hình thức thực hiện qua dịch vụ BCCI",
    None,
    "Lý do không thực hiện qua dịch vụ BCCI",
    "Căn cứ pháp lý",
    "Ghi chú",
]
HEADER_BOTTOM = [None, None, None, None, None, "Tiếp nhận hồ sơ", "Trả kết quả", None, None, None]


def title_block(decision: Decision) -> list[list[str | None]]:
    return [
        ["ỦY BAN NHÂN DÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TỈNH CAO BẰNG", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [
            "DANH MỤC THỦ TỤC HÀNH CHÍNH TIẾP NHẬN HỒ SƠ, TRẢ KẾT QUẢ QUA DỊCH VỤ "
            "BƯU CHÍNH CÔNG ÍCH VÀ THỦ TỤC HÀNH CHÍNH KHÔNG THỰC HIỆN "
            "QUA DỊCH VỤ BƯU CHÍNH CÔNG ÍCH"
        ],
        [
            f"(Kèm theo Quyết định số {decision.number} ngày {decision.signed} của Chủ tịch "
            f"Ủy ban nhân dân tỉnh Cao Bằng; hiệu lực từ {decision.effective})"
        ],
        [
            "DỮ LIỆU MẪU / SAMPLE DATA cho postlink, không phải văn bản thật. Mã dạng x.99xxxx "
            "và mã cơ quan 000.20.31.H14 là giả định."
        ],
        [],
    ]


def table(sections: Sections) -> list[list[str | None]]:
    """Header rows, then section and procedure rows, numbered as an annex numbers them."""
    rows: list[list[str | None]] = [HEADER_TOP, HEADER_BOTTOM]
    number = 0
    for level, fields in sections:
        rows.append([level])
        for field, entries in fields:
            rows.append([field])
            for entry in entries:
                number += 1
                rows.append(
                    [
                        str(number),
                        entry.code,
                        entry.name,
                        entry.agency,
                        entry.agency_code,
                        "X" if entry.submission else "",
                        "X" if entry.result else "",
                        entry.reason,
                        entry.basis,
                        "",
                    ]
                )
    return rows


def csv_text(decision: Decision, sections: Sections) -> str:
    """The sheet as Excel's "CSV UTF-8" saves it: a BOM, every row padded to the width."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in title_block(decision) + table(sections):
        writer.writerow([cell or "" for cell in row] + [""] * (WIDTH - len(row)))
    return "\ufeff" + out.getvalue()


def write_xlsx(path: Path, decision: Decision, sections: Sections) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục"
    title = title_block(decision)
    for row in title + table(sections):
        sheet.append(row)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    for row_number in (3, 4, 5):
        sheet.merge_cells(
            start_row=row_number, start_column=1, end_row=row_number, end_column=WIDTH
        )
    top = len(title) + 1
    for column in (1, 2, 3, 4, 5, 8, 9, 10):
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    sheet.merge_cells(start_row=top, start_column=6, end_row=top, end_column=7)
    for row in sheet.iter_rows(min_row=top + 2):
        if row[0].value and not row[1].value:  # a section row spans the table
            sheet.merge_cells(
                start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=WIDTH
            )
            row[0].font = bold
    for row in sheet.iter_rows(min_row=1, max_row=top + 1):
        for cell in row:
            cell.font, cell.alignment = bold, wrap
    for letter, width in zip("ABCDEFGHIJ", (5, 11, 60, 28, 15, 12, 12, 40, 36, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


def main() -> None:
    july = _changed(LIST_2026_01)
    write_xlsx(HERE / f"{JANUARY.file_stem}.xlsx", JANUARY, LIST_2026_01)
    for decision, sections in ((JANUARY, LIST_2026_01), (JULY, july)):
        (HERE / f"{decision.file_stem}.csv").write_bytes(csv_text(decision, sections).encode())


if __name__ == "__main__":
    main()
