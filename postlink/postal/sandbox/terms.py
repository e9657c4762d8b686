"""What the sandbox knows of the post, written from the brief, not from postlink's client.

The sandbox plays the post, so it must not share the client's code (issue 11): a mistake
in the client's reading of the brief would otherwise be repeated here and a contract test
would pass on both sides of it. Everything below is typed from
``../shared/docs/postal-api.md`` (§1, §1b, §3) and the domain brief (§3, the S10 item
number), independently of ``postlink.postal.models``, ``myvnpost/`` and ``identifiers``.
A test walks the sandbox's imports and fails if one reaches the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from enum import StrEnum

#: The post writes Vietnam time without an offset (postal brief §1).
VIETNAM = timezone(timedelta(hours=7))
#: Two-level addresses (after 2025): the district field carries this literal (brief §1).
NO_DISTRICT = "VNPOST"


class Leg(StrEnum):
    """Which way an order goes for the office (brief §1b): the dossier comes in (pickup),
    or the result goes out (return)."""

    PICKUP = "pickup"
    RETURN = "return"


@dataclass(frozen=True, slots=True)
class Person:
    """A sender or receiver as an order names them (brief §1 party fields)."""

    name: str
    phone: str
    address: str
    province_code: str = ""
    commune_code: str = ""


_SUFFIX = re.compile(r"-([PR])[1-9][0-9]{0,2}$")


def leg_of_reference(reference: str) -> Leg | None:
    """``<dossier>-P<n>`` is a pickup, ``-R<n>`` a return (brief §1b); else unknown."""
    match = _SUFFIX.search(reference)
    if match is None:
        return None
    return Leg.PICKUP if match.group(1) == "P" else Leg.RETURN


#: S10 check digit weights over the 8 serial digits (domain brief §3).
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """C = 11 − (S mod 11), with 10 → 0 and 11 → 5 (domain brief §3)."""
    total = sum(int(digit) * weight for digit, weight in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


#: Vietnamese labels of the MyVNPost status codes (postal brief §3). The brief names the
#: money events in English only; their labels here are the sandbox's own wording.
STATUS_LABELS = {
    0: "Lưu nháp",
    1: "Đã tạo",
    3: "Chờ xác nhận",
    2: "Bưu tá nhận yêu cầu thu gom",
    4: "Đang lấy hàng",
    5: "Lấy hàng không thành công",
    8: "Lấy hàng thất bại",
    6: "Đã lấy hàng",
    7: "Bưu cục đã nhận hàng",
    10: "Đang vận chuyển",
    13: "Chuyển tiếp",
    11: "Đã đến bưu cục phát",
    12: "Đang giao hàng",
    15: "Giao không thành công",
    14: "Đã giao hàng",
    23: "Giao hàng thành công 1 phần",
    16: "Chờ để chuyển hoàn",
    17: "Đã duyệt hoàn",
    18: "Bắt đầu chuyển hoàn",
    24: "Đang chuyển hoàn",
    19: "Trả hàng thành công",
    20: "Đã trả hàng 1 phần",
    9: "Hủy thu gom",
    22: "Huỷ giao hàng",
    -8: "Đã xóa",
    21: "Đã trả tiền thu hộ (COD)",
    28: "Đã thanh toán cước",
    29: "Đã thanh toán phí hủy",
}
#: What the post calls a code it has just added (the sandbox's unknown code).
NEW_STATUS_LABEL = "Trạng thái mới"


def status_label(code: int) -> str:
    return STATUS_LABELS.get(code, NEW_STATUS_LABEL)
