"""The sandbox world's fixed vocabulary: Cao Bằng places, names, units and procedures.

Communes and procedure codes are the real ones of the domain brief (§3, §4). Citizens are
invented from common Vietnamese name parts; phone numbers use real mobile prefixes with
invented digits.
"""

from __future__ import annotations

#: GSO province code of Cao Bằng (province code field of a MyVNPost address).
PROVINCE = "04"

#: (GSO code, name) of Cao Bằng wards and communes after 1/7/2025 (domain brief §3).
COMMUNES = (
    ("01273", "phường Thục Phán"),
    ("01279", "phường Nùng Trí Cao"),
    ("01288", "phường Tân Giang"),
    ("01290", "xã Bảo Lâm"),
    ("01321", "xã Bảo Lạc"),
    ("01438", "xã Hà Quảng"),
    ("01477", "xã Trùng Khánh"),
    ("01558", "xã Hạ Lang"),
    ("01576", "xã Quảng Uyên"),
    ("01654", "xã Hòa An"),
    ("01726", "xã Nguyên Bình"),
    ("01786", "xã Đông Khê"),
    ("01807", "xã Thạch An"),
    ("01822", "xã Đức Long"),
)

#: The one-stop office: receiver of dossiers, sender of results.
OFFICE_NAME = "Trung tâm Phục vụ hành chính công tỉnh Cao Bằng"
OFFICE_PHONE = "02063852000"
OFFICE_ADDRESS = "Số 011 Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng"
OFFICE_COMMUNE = "01273"

#: Receiving units of dossier codes (QCVN 102:2016 form, province H14).
UNITS = tuple(f"000.00.{n:02d}.H14" for n in range(1, 21))

#: Procedures handled through the post (domain brief §4).
ELIGIBLE = (
    ("1.001193", "Đăng ký khai sinh"),
    ("1.000656", "Đăng ký khai tử"),
    ("2.000806", "Đăng ký kết hôn có yếu tố nước ngoài"),
    ("1.000110", "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới"),
    ("1.000094", "Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới"),
    ("2.001263", "Đăng ký việc nuôi con nuôi trong nước"),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp",
    ),
    ("1.010824", "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất"),
    ("1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
    ("1.001622", "Hỗ trợ ăn trưa đối với trẻ em mẫu giáo"),
    ("1.012784", "Tách thửa hoặc hợp thửa đất"),
    ("1.012786", "Cấp lại Giấy chứng nhận do bị mất"),
    ("1.010772", "Cấp Bằng Tổ quốc ghi công"),
)

#: Procedures excluded from the post: the person must appear (QĐ 45/2016 art. 1 cl. 2).
EXCLUDED = (
    ("1.000894", "Đăng ký kết hôn"),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản"),
)

#: Well-formed codes no list knows.
UNKNOWN = (
    ("1.999901", "Thủ tục không có trong danh mục"),
    ("2.999902", "Thủ tục thử nghiệm"),
)

FAMILY = ("Nguyễn", "Hoàng", "Nông", "Lương", "Bế", "Đàm", "Lục", "Triệu", "Lý", "Hà", "Vi")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Hữu", "Kim")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Quân", "Thảo", "Vân")
MOBILE = ("086", "096", "097", "098", "032", "033", "091", "094", "088", "070", "079")

#: Where events happen, by stage.
HUB = "Trung tâm khai thác Cao Bằng"
TRANSIT = ("Trung tâm khai thác Cao Bằng", "Bưu cục khai thác Hòa An", "Bưu cục Quảng Uyên")
