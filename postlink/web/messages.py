"""The console's and the API's own sentences, in Vietnamese, each under a stable code.

Gathered here (rather than written where they are raised) so that the message catalogue of
issue 14 §1 can take them over mechanically: each entry becomes one msgid, ``say`` becomes
the catalogue's lookup. Services below ``web/`` word their errors for the command line (in
English, naming its flags); the web layer never shows those words but says one of these,
chosen by the exception's type (``errors``) or by a check made before calling the service.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Input no page accepts, whatever the route (``inputs``).
    "input.nul": "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Hãy nhập lại.",
    "input.too_large": "Nội dung gửi lên quá lớn (tối đa {limit} byte).",
    "input.invalid": "Thiếu hoặc sai thông tin; hãy nhập lại.",
    "input.invalid_api": "Yêu cầu không hợp lệ: thiếu, thừa hoặc sai trường dữ liệu.",
    "input.unknown_field": "Trường không được hỗ trợ",
    # Dates typed dd/mm/yyyy (domain brief §7).
    "date.invalid": "Ngày {field} «{value}» không hợp lệ: nhập theo dạng dd/mm/yyyy.",
    "date.out_of_range": (
        "Ngày {field} «{value}» nằm ngoài khoảng postlink lưu trữ (năm {first} đến {last})."
    ),
    "period.reversed": (
        "Khoảng thời gian không hợp lệ: ngày kết thúc {end} trước ngày bắt đầu {start}."
    ),
    "period.several": (
        "Chỉ chọn một cách tính kỳ báo cáo: từ ngày–đến ngày, hoặc quý, hoặc 6 tháng, hoặc năm."
    ),
    "period.year": "Năm «{value}» không hợp lệ: nhập năm từ {first} đến {last}.",
    "period.quarter": "Quý «{value}» không hợp lệ: nhập dạng 2026Q1 (năm 2000 đến 2100).",
    "period.half": "Kỳ 6 tháng «{value}» không hợp lệ: nhập dạng 2026H1 (năm 2000 đến 2100).",
    # Accounts and tokens (``accounts.AccountError.code``).
    "account.bad_username": (
        "Tên đăng nhập «{value}» không hợp lệ: dùng 1–100 ký tự gồm chữ thường không dấu, "
        "chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
    ),
    "account.exists": "Tài khoản {value} đã có. Muốn đổi mật khẩu, dùng nút Đặt lại.",
    "account.short_password": "Mật khẩu phải có ít nhất {value} ký tự.",
    "account.bad_role": "Vai trò «{value}» không hợp lệ: chọn Cán bộ hoặc Quản trị.",
    "account.self_demote": (
        "Không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của chính mình."
    ),
    "account.no_user": "Không có tài khoản {value}.",
    "token.bad_name": "Tên khóa API phải có từ 1 đến 100 ký tự (ghi rõ hệ thống nào dùng).",
    "token.not_active": "Không có khóa API số {value} đang hoạt động.",
    # Logging in and out.
    "login.wrong": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "login.throttled": "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {wait} giây.",
    # The counter.
    "desk.scan_unknown": (
        "Không có bưu gửi số hiệu {value} trong danh sách chờ nhận (có thể đã nhận, "
        "hoặc bưu điện chưa báo đến)."
    ),
    "desk.scan_done": "Đã đánh dấu Đủ: {value}.",
    "desk.scan_again": "Bưu gửi {value} đã được đánh dấu trước đó.",
    "desk.state_invalid": "Tình trạng hồ sơ không hợp lệ.",
    "desk.nothing_ticked": "Chưa chọn hồ sơ nào để đưa vào biên bản.",
    "desk.nothing_results": "Chưa chọn kết quả nào để giao.",
    "desk.no_worker": "Nhập họ tên nhân viên bưu chính ký biên bản.",
    "desk.item_unknown": "Không tìm thấy bưu gửi {value}.",
    "desk.already_handed": (
        "Có hồ sơ vừa được ký nhận trong một biên bản khác nên đã được bỏ khỏi danh sách "
        "đã đánh dấu; hãy kiểm tra lại rồi ký."
    ),
    # A failure of a service below the web layer with no more precise wording here.
    "service.refused": "Không thực hiện được thao tác này. Hãy kiểm tra lại thông tin đã nhập.",
    # The inbound API.
    "api.dossier_code": (
        "Mã hồ sơ «{value}» không hợp lệ: dạng đúng như 000.00.12.H14-250715-0007 "
        "(Thông tư 01/2018/TT-VPCP)."
    ),
    "procedure.code": "Mã thủ tục «{value}» không hợp lệ: dạng đúng như 1.001193.",
    "api.no_citizen": "Yêu cầu không hợp lệ: thiếu họ tên hoặc địa chỉ công dân.",
    "api.conflict": "Hồ sơ {dossier} đã được đăng ký với thông tin khác.",
    "api.busy": "Hồ sơ {dossier} đang được đăng ký bởi một yêu cầu khác; hãy gửi lại sau giây lát.",
}


def say(code: str, /, **params: object) -> str:
    """The sentence for ``code`` with its parameters filled in."""
    return MESSAGES[code].format(**params)
