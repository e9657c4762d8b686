"""The audit view words each action from the catalogue's ``value.action.*`` (issue 14 §1.6)."""

from __future__ import annotations

import pytest

from postlink.settings import get_settings
from postlink.web.audit_view import AuditWords


def test_audit_actions_are_worded_in_either_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTLINK_LANGUAGE", raising=False)
    get_settings.cache_clear()
    assert AuditWords.action("user.login_failed") == "Đăng nhập không thành công"
    assert AuditWords.action("catalog.publish") == "Công bố danh mục"
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    assert AuditWords.action("user.login_failed") == "Failed login"
    assert AuditWords.action("catalog.publish") == "Published a list"
    # An action of a newer release, read from a shared database, is shown as stored.
    assert AuditWords.action("catalog.archive") == "catalog.archive"
