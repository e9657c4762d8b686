"""The audit log's words (``postlink.web.audit_view``): what an admin reads for a row."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from postlink.web.audit_view import AuditWords
from postlink.web.templating import word

WORDS = AuditWords(ZoneInfo("Asia/Ho_Chi_Minh"), word)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("lan", "lan"), ("cli:root", "root (dòng lệnh)"), ("anonymous", "(không rõ)")],
)
def test_the_actor_is_worded(stored: str, shown: str) -> None:
    assert WORDS.actor(stored) == shown


def test_rematch_counts_name_the_match_classes() -> None:
    label = WORDS.field("eligible->excluded")
    assert label == "Số bưu gửi chuyển Đúng danh mục → Không thực hiện qua BCCI"
