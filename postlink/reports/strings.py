"""Every word the reports show, in one place.

Staff read Vietnamese (domain brief §7), so the catalogue below is Vietnamese; an English
rendering is a second catalogue with the same keys, chosen by ``language``. Templates reach
the strings through ``t('key')``; Python code through ``text('key')``.
"""

from __future__ import annotations

VI: dict[str, str] = {
    # Report titles and headings
    "app_name": "postlink",
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "title.exclusions": "Báo cáo thủ tục hành chính không thực hiện qua dịch vụ bưu chính công ích",
    "title.delivery": "Báo cáo tình trạng tiếp nhận hồ sơ và trả kết quả qua bưu chính",
    "title.handover.in": "Biên bản giao nhận hồ sơ",
    "title.handover.out": "Biên bản giao nhận kết quả giải quyết thủ tục hành chính",
    "title.period": "Báo cáo tình hình tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính"
    " qua dịch vụ bưu chính công ích",
    "title.daily_index": "Báo cáo hằng ngày",
    "title.archive_index": "Lưu trữ báo cáo theo ngày",
    "basis.exclusions": "Căn cứ Quyết định số 45/2016/QĐ-TTg, Điều 1 khoản 2 và Điều 18",
    "basis.delivery": "Thời hạn J + n ngày làm việc theo Điều 7 Thông tư số 17/2017/TT-BTTTT",
    "basis.handover": "Theo Điều 7 Quyết định số 45/2016/QĐ-TTg",
    "basis.period": "Theo Điều 13 Thông tư số 17/2017/TT-BTTTT",
    # Periods and filters
    "period_quarter": "Quý {q} năm {year}",
    "period_half": "6 tháng {h} năm {year}",
    "period_year": "Năm {year}",
    "period_range": "Từ ngày {start} đến ngày {end}",
    "label.period": "Kỳ báo cáo",
    "label.agency": "Cơ quan",
    "label.all_agencies": "Tất cả cơ quan",
    "label.leg": "Chiều",
    "label.both_legs": "Cả hai chiều",
    "label.as_of": "Tính đến ngày",
    "label.generated_at": "Lập lúc",
    "label.list_on": "Danh mục có hiệu lực ngày",
    "label.contact_masked": "Số điện thoại đã được che một phần"
    " (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15).",
    "label.contact_full": "Báo cáo có đầy đủ thông tin liên hệ: chỉ lưu hành nội bộ"
    " (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15).",
    "label.empty": "Không có dữ liệu trong kỳ.",
    "label.total": "Tổng cộng",
    "label.none": "—",
    "label.no_list": "Không có danh mục nào có hiệu lực ngày {day}.",
    "label.decision_of": "{decision}, hiệu lực từ {day}",
    "label.daily_for": "Báo cáo ngày {day}",
    # Legs, statuses, match classes
    "leg.pickup": "Tiếp nhận hồ sơ (công dân → cơ quan)",
    "leg.return": "Trả kết quả (cơ quan → công dân)",
    "leg_short.pickup": "Hồ sơ",
    "leg_short.return": "Kết quả",
    "status.draft": "Lưu nháp",
    "status.created": "Đã tạo đơn",
    "status.pickup_scheduled": "Chờ thu gom",
    "status.pickup_in_progress": "Đang thu gom",
    "status.pickup_failed_attempt": "Thu gom không thành công (lần)",
    "status.pickup_failed": "Thu gom thất bại",
    "status.picked_up": "Đã thu gom",
    "status.accepted": "Bưu cục đã nhận",
    "status.in_transit": "Đang vận chuyển",
    "status.at_delivery_office": "Đến bưu cục phát",
    "status.out_for_delivery": "Đang phát",
    "status.delivery_failed_attempt": "Phát không thành công (lần)",
    "status.delivered": "Đã phát",
    "status.partially_delivered": "Phát một phần",
    "status.return_pending": "Chờ chuyển hoàn",
    "status.returning": "Đang chuyển hoàn",
    "status.returned": "Đã chuyển hoàn",
    "status.cancelled": "Đã hủy",
    "status.payment": "Thanh toán",
    "status.unknown": "Không xác định",
    "level.tinh": "Cấp tỉnh",
    "level.huyen": "Cấp huyện (cũ)",
    "level.xa": "Cấp xã",
    "level.none": "Chưa xác định cấp",
    "excluded.submission": "Không tiếp nhận hồ sơ qua BCCI",
    "excluded.return": "Không trả kết quả qua BCCI",
    "excluded.both": "Không tiếp nhận hồ sơ và không trả kết quả qua BCCI",
    "source.leg": "Đơn bưu chính",
    "source.refused": "Lệnh bị từ chối",
    # What staff must do (QĐ 45/2016 art. 1 cl. 2: the person must come in person)
    "action.pickup": "Liên hệ công dân đến nộp hồ sơ trực tiếp tại Bộ phận Một cửa;"
    " hồ sơ gửi qua bưu chính không được tiếp nhận.",
    "action.return_open": "Đề nghị bưu điện dừng phát, chuyển hoàn kết quả;"
    " mời công dân đến nhận trực tiếp.",
    "action.return_closed": "Kiểm tra việc nhận kết quả; ghi nhận và báo cáo trường hợp"
    " đã phát qua bưu chính.",
    "action.refused": "Không gửi qua bưu chính; mời công dân đến Bộ phận Một cửa"
    " để thực hiện trực tiếp.",
    # Section titles
    "section.list": "I. Danh mục thủ tục không thực hiện qua BCCI",
    "section.cases": "II. Hồ sơ, kết quả của thủ tục không thực hiện qua BCCI đã đến bưu chính",
    "section.by_procedure": "Số trường hợp theo thủ tục",
    "section.by_agency": "Số trường hợp theo cơ quan",
    "section.status_counts": "Số lượng theo trạng thái",
    "section.on_time": "Tỷ lệ đúng hạn",
    "section.overdue": "Quá hạn chưa hoàn thành (cũ nhất trước)",
    "section.failed_delivery": "Phát không thành công và số lần mời nhận",
    "section.returned": "Kết quả chuyển hoàn về cơ quan",
    "section.failed_pickup": "Thu gom hồ sơ thất bại",
    "section.handover_items": "Danh sách",
    "section.procedures": "I. Thủ tục hành chính đã thực hiện qua BCCI",
    "section.volumes": "II. Số lượng theo chiều",
    "section.manual": "III. Khiếu nại, thất lạc, hư hỏng và bồi thường (đơn vị tự điền)",
    "chart.volume": "Số lượng theo ngày J",
    "chart.on_time": "Tỷ lệ đúng hạn theo ngày J",
    "chart.no_data": "Không có dữ liệu",
    # Column headings
    "col.no": "STT",
    "col.field": "Lĩnh vực",
    "col.level": "Cấp thực hiện",
    "col.procedure_code": "Mã TTHC",
    "col.procedure": "Tên thủ tục",
    "col.exclusion": "Không thực hiện",
    "col.reason": "Lý do",
    "col.legal_basis": "Căn cứ pháp lý",
    "col.decision": "Quyết định",
    "col.dossier": "Mã hồ sơ",
    "col.agency": "Cơ quan",
    "col.leg": "Chiều",
    "col.status": "Trạng thái",
    "col.source": "Nguồn",
    "col.action": "Việc cán bộ cần làm",
    "col.citizen": "Công dân",
    "col.phone": "Điện thoại",
    "col.count": "Số trường hợp",
    "col.item": "Số hiệu bưu gửi",
    "col.j_date": "Ngày J",
    "col.deadline": "Hạn (J + n)",
    "col.days_overdue": "Số ngày làm việc quá hạn",
    "col.invitations": "Số lần mời nhận",
    "col.last_event": "Cập nhật cuối",
    "col.closed_at": "Thời điểm kết thúc",
    "col.total": "Tổng số",
    "col.due": "Đến hạn",
    "col.on_time": "Đúng hạn",
    "col.late": "Trễ hạn",
    "col.on_time_rate": "Tỷ lệ đúng hạn",
    "col.complete": "Đầy đủ",
    "col.note": "Ghi chú",
    "col.pickups": "Hồ sơ nhận qua BCCI",
    "col.returns": "Kết quả trả qua BCCI",
    "col.fees": "Cước (đồng)",
    "col.fees_known": "Số đơn có cước",
    "col.delivered": "Đã phát",
    "col.open": "Đang thực hiện",
    "col.failed": "Thất bại",
    "col.returned": "Chuyển hoàn",
    "col.cancelled": "Hủy",
    "col.unresolved_late": "Quá hạn chưa có kết quả",
    "col.item_name": "Nội dung",
    "col.value": "Số liệu",
    # Period report manual fields (TT 17/2017 art. 13)
    "manual.complaints": "Số đơn khiếu nại, phản ánh đã nhận",
    "manual.complaints_resolved": "Số đơn khiếu nại, phản ánh đã giải quyết",
    "manual.lost": "Số bưu gửi thất lạc",
    "manual.damaged": "Số bưu gửi hư hỏng",
    "manual.compensation": "Số tiền bồi thường (đồng)",
    "manual.note": "Các ô trống do đơn vị điền trước khi gửi Sở; số liệu bưu điện không ghi nhận"
    " trạng thái thất lạc, cột «Quá hạn chưa có kết quả» là các trường hợp cần kiểm tra.",
    # Handover record
    "handover.opening": "Hôm nay, vào lúc {hour} giờ {minute} phút, ngày {day} tháng {month}"
    " năm {year}, tại {office}, chúng tôi gồm:",
    "handover.giver": "Bên giao",
    "handover.receiver": "Bên nhận",
    "handover.officer": "Cán bộ tiếp nhận",
    "handover.officer_out": "Cán bộ trả kết quả",
    "handover.postal_worker": "Nhân viên bưu chính",
    "handover.agreed_in": "Đã giao nhận {count} hồ sơ theo danh sách dưới đây. Thời điểm ký biên"
    " bản này là thời điểm tiếp nhận hồ sơ (Điều 7 khoản 4 Quyết định số 45/2016/QĐ-TTg).",
    "handover.agreed_out": "Đã giao nhận {count} kết quả giải quyết thủ tục hành chính theo danh"
    " sách dưới đây để chuyển phát đến công dân.",
    "handover.sign": "(Ký, ghi rõ họ tên)",
    "handover.record_no": "Số: {number}",
    "handover.direction.in": "Bưu chính giao hồ sơ",
    "handover.direction.out": "Cơ quan giao kết quả",
    "sign.preparer": "Người lập biểu",
    "sign.head": "Thủ trưởng đơn vị",
    "sign.head_note": "(Ký, ghi rõ họ tên, đóng dấu)",
    "state.complete": "Đủ",
    "state.incomplete": "Thiếu",
    "state.missing": "Không có",
    "index.reports": "Báo cáo",
    "index.handovers": "Biên bản giao nhận trong ngày",
    "index.none": "Không có biên bản giao nhận trong ngày.",
    "index.dates": "Các ngày đã lập báo cáo",
}

CATALOGUES: dict[str, dict[str, str]] = {"vi": VI}


def text(key: str, language: str = "vi") -> str:
    """The string ``key`` in ``language``; a missing key is a programming error."""
    try:
        return CATALOGUES[language][key]
    except KeyError:
        raise KeyError(f"no UI string {key!r} for language {language!r}") from None


def label(prefix: str, value: str | None, language: str = "vi") -> str:
    """A coded value's label, e.g. ``label('status', 'delivered')``; the code when unknown."""
    if value is None:
        return text("label.none", language)
    return CATALOGUES[language].get(f"{prefix}.{value}", value)
