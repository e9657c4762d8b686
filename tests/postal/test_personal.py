"""Masking citizens' personal data in the post's stored bodies (issue 13 §5; Law
91/2025/QH15). Bodies are typed as the post writes them (docs/postal-api.md), with a known
name, phone and address; the expected masked text is typed by hand too."""

from __future__ import annotations

import json

from postlink.postal.personal import forget_masked, mask_personal

ORDER = (
    '{"orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94", "itemCode": "EL123456785VN", '
    '"saleOrderCode": "000.00.12.H14-260105-0007-R1", "status": 10, '
    '"senderName": "Trung tâm Phục vụ hành chính công tỉnh Cao Bằng", '
    '"receiverName": "Nguyễn Thị Mai Phương", "receiverPhone": "0912345678", '
    '"receiverEmail": "phuong@example.vn", '
    '"receiverAddress": "Số 7 ngõ 12 \\"Kim Đồng\\", phường Thục Phán", '
    '"receiverProvinceCode": "04", "receiverDistrictCode": "VNPOST", '
    '"receiverCommuneCode": "01273", "statusName": "Đang vận chuyển", '
    '"contentNote": "TTHC 1.001193: Đăng ký khai sinh"}'
)
ORDER_MASKED = (
    '{"orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94", "itemCode": "EL123456785VN", '
    '"saleOrderCode": "000.00.12.H14-260105-0007-R1", "status": 10, '
    '"senderName": "***", '
    '"receiverName": "***", "receiverPhone": "***", '
    '"receiverEmail": "***", '
    '"receiverAddress": "***", '
    '"receiverProvinceCode": "04", "receiverDistrictCode": "VNPOST", '
    '"receiverCommuneCode": "01273", "statusName": "Đang vận chuyển", '
    '"contentNote": "TTHC 1.001193: Đăng ký khai sinh"}'
)


def test_an_order_keeps_everything_but_its_parties_personal_fields() -> None:
    assert mask_personal(ORDER) == ORDER_MASKED
    assert json.loads(mask_personal(ORDER))["receiverCommuneCode"] == "01273"


def test_nested_records_any_casing_padding_and_numbers_are_masked() -> None:
    webhook = (
        '{"data": [{"orderHdrId": "8a7f", "RECEIVERPHONE": 912345678, '
        '"receivername ": "Nguyễn Thị Mai Phương", "senderName": null, "senderPhone": ""}], '
        '"sendDate": "20260106081000", "signature": "***"}'
    )
    assert mask_personal(webhook) == (
        '{"data": [{"orderHdrId": "8a7f", "RECEIVERPHONE": "***", '
        '"receivername ": "***", "senderName": null, "senderPhone": ""}], '
        '"sendDate": "20260106081000", "signature": "***"}'
    )


def test_ngsp_documents_are_masked() -> None:
    document = (
        '{"_embedded": {"rh:doc": [{"_id": {"$oid": "65a1"}, "OrderNumber": '
        '"000.00.12.H14-260105-0007", "ReceiverName": "Nguyễn Thị Mai Phương", '
        '"ReceiverTel": "0912345678", "ReceiverAddress": "Thục Phán", "StatusCode": 14}]}}'
    )
    assert mask_personal(document) == (
        '{"_embedded": {"rh:doc": [{"_id": {"$oid": "65a1"}, "OrderNumber": '
        '"000.00.12.H14-260105-0007", "ReceiverName": "***", '
        '"ReceiverTel": "***", "ReceiverAddress": "***", "StatusCode": 14}]}}'
    )


def test_a_truncated_body_and_the_python_form_are_masked_too() -> None:
    cut = '{"status": 10, "receiverPhone": "0912345678", "receiverName": "Nguyễn Thị Ma…[truncated]'
    assert mask_personal(cut) == (
        '{"status": 10, "receiverPhone": "***", "receiverName": "***"…[truncated]'
    )
    python = "{'orderHdrID': 7, 'receiverName': 'Nguyễn Thị Mai Phương', 'status': 3}"
    assert mask_personal(python) == "{'orderHdrID': 7, 'receiverName': '***', 'status': 3}"


def test_a_body_kept_as_a_json_string_is_masked_inside() -> None:
    outer = json.dumps({"body": json.dumps({"receiverName": "Nguyễn", "status": 10})})
    inner = json.loads(json.loads(mask_personal(outer))["body"])
    assert inner == {"receiverName": "***", "status": 10}


def test_masking_twice_changes_nothing_more() -> None:
    assert mask_personal(ORDER_MASKED) == ORDER_MASKED


def test_forget_masked_drops_only_masked_personal_fields() -> None:
    record = json.loads(ORDER_MASKED)
    read = forget_masked({"data": [record], "signature": "***"})
    assert read["signature"] == "***"  # a secret's mask is not a party's
    (order,) = read["data"]
    assert "receiverName" not in order
    assert "receiverPhone" not in order
    assert order["receiverCommuneCode"] == "01273"
    assert order["statusName"] == "Đang vận chuyển"
