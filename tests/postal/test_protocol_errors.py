"""An answer of an unknown shape is told by its outline, never by its values (issue 14 §1,
Law 91/2025/QH15): the sentence reaches the job-run record, the dashboard and the log."""

from __future__ import annotations

from typing import Any

import pytest

from postlink import defaults
from postlink.postal.errors import PostalProtocolError
from postlink.postal.myvnpost import mapping
from postlink.postal.statuses import read_status_table
from postlink.settings import get_settings

TABLE = read_status_table(defaults.MYVNPOST_STATUS_FILE)

# An answer a misconfigured gateway might send: a person's details where the history was due.
WRONG_SHAPE: dict[str, Any] = {
    "status": "OK",
    "message": {"nguoiNhan": "Nguyễn Thị Mai Phương", "dienThoai": "0912345678"},
}


def _refusal(payload: Any) -> PostalProtocolError:
    with pytest.raises(PostalProtocolError) as caught:
        mapping.parse_history_response(payload, "EB123456789VN", TABLE)
    return caught.value


def test_the_sentence_is_vietnamese_and_names_the_outline_not_the_values() -> None:
    said = str(_refusal(WRONG_SHAPE))
    assert said == (
        "Bưu điện trả lời GetStatusHistoryOrder với nội dung không đúng dạng: "
        "cần {'data': …}, nhận object {message, status}."
    )


def test_english_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    said = str(_refusal([WRONG_SHAPE, "text"]))
    assert said == (
        "The post answered GetStatusHistoryOrder with a body of an unknown shape: "
        "expected {'data': …}, got list of 2."
    )


def test_a_flood_of_keys_is_cut() -> None:
    said = str(_refusal({f"k{n:03}" + "x" * 100: n for n in range(500)}))
    assert "k009" in said
    assert "k010" not in said
    assert ", …}" in said
    assert len(said) < 700
