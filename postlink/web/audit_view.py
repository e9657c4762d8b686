"""The audit log as an admin reads it: what changed, in Vietnamese (issue 14 §1).

An audit row keeps its before and after states as JSON (``postlink.audit``); shown raw they
are English keys, ISO dates, UTC times and JSON escapes (``78/Q\\u0110-UBND``). Here each
row becomes a list of changes — the attribute's Vietnamese name, the value before and the
value after — with dates as dd/mm/yyyy, times in the office's time zone and coded values
(roles, statuses, directions, item states) by their labels. Keys without a name here are
shown as they are stored, so nothing recorded is hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from postlink.timeutil import format_local
from postlink.web.templating import word
from postlink.words import catalogue, language

#: The filter's choices beside the single actions: every action on one kind of thing.
ACTION_GROUPS = {
    "catalog.": "Mọi thao tác với danh mục",
    "user.": "Mọi thao tác với tài khoản",
    "token.": "Mọi thao tác với khóa API",
    "quarantine.": "Mọi thao tác với bản ghi cách ly",
}


def action_choices() -> dict[str, str]:
    """The audit filter's choices: the groups, then every action the catalogue words
    (``value.action.<code>``), so that a new action needs only its catalogue entry."""
    prefix = "value.action."
    singles = {
        code.removeprefix(prefix): text
        for code, text in sorted(catalogue(language()).items())
        if code.startswith(prefix)
    }
    return {**ACTION_GROUPS, **singles}


ENTITIES = {
    "list_version": "Danh mục",
    "list_entry": "Thủ tục trong danh mục",
    "handover": "Biên bản giao nhận",
    "leg": "Bưu gửi",
    "user": "Tài khoản",
    "api_token": "Khóa API",
    "quarantine": "Bản ghi cách ly",
}
FIELDS = {
    "decision": "Quyết định",
    "status": "Tình trạng",
    "effective_from": "Hiệu lực từ",
    "effective_to": "Hiệu lực đến",
    "source_name": "Tệp nguồn",
    "source_sha256": "Mã băm tệp (SHA-256)",
    "entry_count": "Số thủ tục",
    "version_id": "Danh mục số",
    "code": "Mã thủ tục",
    "agency_code": "Mã cơ quan",
    "eligibility": "Hình thức BCCI",
    "name": "Tên",
    "reason": "Lý do",
    "legal_basis": "Căn cứ pháp lý",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "note": "Ghi chú",
    "direction": "Loại biên bản",
    "signed_at": "Ký lúc",
    "officer": "Cán bộ",
    "postal_worker": "Nhân viên bưu chính",
    "items": "Bưu gửi",
    "filed": "Hồ sơ được tiếp nhận",
    "username": "Tên đăng nhập",
    "role": "Vai trò",
    "active": "Hoạt động",
    "client": "Địa chỉ máy",
    "why": "Nguyên nhân",
    "source": "Nguồn",
    "resolution": "Cách xử lý",
    "records": "Số bản ghi",
    "recovered": "Đã nhận",
    "still_failing": "Vẫn lỗi",
    "codes": "Mã trạng thái",
    "since": "Từ ngày",
    "until": "Đến ngày",
    "procedure": "Thủ tục",
    "legs": "Số bưu gửi đã xét",
    "changed": "Số bưu gửi đổi kết quả",
}
#: Coded values, by the key that holds them: the prefix of their label (``templating.word``).
CODED = {
    "status": "version",
    "role": "role",
    "direction": "direction",
    "state": "state",
    "eligibility": "eligibility",
    "why": "login",
}
#: Labels of coded values the console has nowhere else.
VALUES = {
    "login.wrong_password": "sai tên đăng nhập hoặc mật khẩu",
    "login.throttled": "bị tạm chặn vì đăng nhập sai nhiều lần",
}
#: Reasons the catalog writes itself (``catalog.publish``), in the command line's English;
#: an admin's own reason is shown as typed.
REASONS = (
    (
        re.compile(r"^version (\d+) \((.*)\) is in force from (\d{2}/\d{2}/\d{4})$"),
        "Danh mục {0} ({1}) áp dụng từ {2}",
    ),
    (
        re.compile(r"^version (\d+) \((.*)\) withdrawn: (.*)$", re.S),
        "Danh mục {0} ({1}) bị thu hồi: {2}",
    ),
    (re.compile(r"^QĐ 45/2016 art\. (\d+)$"), "Điều {0} QĐ 45/2016/QĐ-TTg"),
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


class AuditWords:
    """Words a row is shown with; ``word`` is the console's labeller of coded values."""

    def __init__(self, tz: ZoneInfo, word: Any) -> None:
        self.tz, self.word = tz, word

    def value(self, key: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, list):
            return "; ".join(self.value(key, v) for v in value)
        if isinstance(value, dict):
            if set(value) == {"ref", "state"}:  # a handover's item
                return f"{value['ref']} ({self.value('state', value['state'])})"
            return "; ".join(f"{self.field(k)}: {self.value(k, v)}" for k, v in value.items())
        if key in CODED and isinstance(value, str):
            return VALUES.get(f"{CODED[key]}.{value}") or str(self.word(CODED[key], value))
        if isinstance(value, str) and _ISO_DAY.match(value):
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        if isinstance(value, str) and _ISO_MOMENT.match(value):
            try:
                return format_local(datetime.fromisoformat(value), self.tz)
            except ValueError:
                return value
        return str(value)

    def field(self, key: str) -> str:
        if "->" in key:  # rematch counts: "eligible->excluded", match classes by their labels
            before, _, after = key.partition("->")
            return f"Số bưu gửi chuyển {self.word('match', before)} → {self.word('match', after)}"
        return FIELDS.get(key, key)

    def changes(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
        """Each attribute whose value differs (all of them for a creation or a removal)."""
        old, new = before or {}, after or {}
        keys = [*old, *(k for k in new if k not in old)]
        return [
            Change(
                self.field(k),
                self.value(k, old.get(k)) if before else "",
                self.value(k, new.get(k)),
            )
            for k in keys
            if not (before and after) or old.get(k) != new.get(k)
        ]

    @staticmethod
    def reason(text: str) -> str:
        for pattern, worded in REASONS:
            found = pattern.match(text)
            if found:
                return worded.format(*found.groups())
        return text

    @staticmethod
    def actor(name: str) -> str:
        """Who acted: an account's name as it is; a failed login without a name and a
        change made on the command line (``cli:<shell user>``, ``cli.web_cmd``) in words."""
        if name == "anonymous":
            return "(không rõ)"
        if name.startswith("cli:"):
            return f"{name.removeprefix('cli:')} (dòng lệnh)"
        return name

    @staticmethod
    def action(code: str) -> str:
        return word("action", code)  # value.action.<code>, as stored when it has none

    @staticmethod
    def entity(kind: str, ident: str) -> str:
        return f"{ENTITIES.get(kind, kind)} {ident}".strip()
