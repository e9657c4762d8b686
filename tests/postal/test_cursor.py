"""The MyVNPost feed cursor: windows overlap, a stale mid-pass cursor restarts its pass."""

from __future__ import annotations

from datetime import date

import pytest

from postlink.postal.errors import PostalError
from postlink.postal.myvnpost.cursor import FeedCursor, after_page, begin
from postlink.postal.myvnpost.mapping import FeedType

TODAY = date(2026, 1, 20)


def test_first_pass_reaches_back_the_lookback_and_past_today() -> None:
    position = begin(None, TODAY, lookback_days=30)
    assert position == FeedCursor(date(2025, 12, 21), date(2026, 1, 21), FeedType.GUI, 0)


def test_a_pass_walks_gui_then_nhan_and_ends_overlapping_its_first_day() -> None:
    position = begin(None, TODAY, lookback_days=30)
    position = after_page(position, short=False, overlap_days=1)
    assert (position.feed, position.page) == (FeedType.GUI, 1)
    position = after_page(position, short=True, overlap_days=1)
    assert (position.feed, position.page) == (FeedType.NHAN, 0)
    done = after_page(position, short=True, overlap_days=2)
    assert done == FeedCursor(start=date(2026, 1, 18))
    assert begin(done.encode(), date(2026, 1, 21), 30).start == date(2026, 1, 18)


def test_mid_pass_cursor_resumes_only_while_its_window_is_current() -> None:
    middle = FeedCursor(date(2026, 1, 10), date(2026, 1, 21), FeedType.NHAN, 4).encode()
    assert begin(middle, TODAY, 30) == FeedCursor.decode(middle)
    restarted = begin(middle, date(2026, 1, 21), 30)
    assert restarted == FeedCursor(date(2026, 1, 10), date(2026, 1, 22), FeedType.GUI, 0)


@pytest.mark.parametrize(
    "text", ["", "{}", "[1]", '{"v":2,"from":"2026-01-01","to":null,"feed":"GUI","page":0}']
)
def test_foreign_cursor_is_refused_with_what_to_do(text: str) -> None:
    with pytest.raises(PostalError) as refused:
        begin(text, TODAY, 30)
    assert refused.value.code == "postal.cursor.unreadable"
    assert "hãy xóa vị trí đã lưu để đồng bộ lại" in str(refused.value)
