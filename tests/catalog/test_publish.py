"""Publishing and withdrawing: one timeline of windows that never overlap (QĐ 45/2016 art. 18)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from postlink.catalog.publish import NoChangesError, publish, withdraw
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import AuditEntry, ListVersion
from tests.catalog.helpers import add_draft, entry, published_windows

JAN, APR, JUL = date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)


def publish_new(effective: date, *codes: str, force: bool = False) -> int:
    """Import-free: a draft with ``codes`` (or one code named after the date), published."""
    with session_scope() as session:
        entries = [entry(code) for code in codes] or [entry(f"1.{effective:%y%m%d}")]
        version = add_draft(session, effective, *entries)
        publish(session, version, actor="admin", force=force, confirm=True)
        assert version.id is not None
        return version.id


def status_of(version_id: int) -> tuple[str, date, date | None]:
    with session_scope() as session:
        version = session.get(ListVersion, version_id)
        assert version is not None
        return version.status, version.effective_from, version.effective_to


def test_a_later_list_ends_the_window_of_the_one_before(engine: Engine) -> None:
    first = publish_new(JAN)
    second = publish_new(JUL)
    assert status_of(first) == ("published", JAN, JUL)
    assert status_of(second) == ("published", JUL, None)


def test_same_day_replacement_supersedes_with_an_empty_window(engine: Engine) -> None:
    first = publish_new(JAN)
    replaced = publish_new(JUL)
    replacement = publish_new(JUL, "1.000894")
    assert status_of(replaced) == ("superseded", JUL, JUL)
    assert status_of(first) == ("published", JAN, JUL)
    assert status_of(replacement) == ("published", JUL, None)


def test_an_earlier_start_covers_a_later_published_list(engine: Engine) -> None:
    first = publish_new(JAN)
    planned = publish_new(JUL)
    earlier = publish_new(APR)
    assert status_of(first) == ("published", JAN, APR)
    assert status_of(planned) == ("superseded", JUL, JUL)
    assert status_of(earlier) == ("published", APR, None)


def test_future_effective_date_is_allowed(engine: Engine) -> None:
    current = publish_new(JAN)
    future = publish_new(date(2031, 1, 1))
    assert status_of(current) == ("published", JAN, date(2031, 1, 1))
    assert status_of(future)[0] == "published"


def test_identical_list_needs_force(engine: Engine) -> None:
    first = publish_new(JAN, "1.001193")
    with pytest.raises(NoChangesError, match=f"giống hệt phiên bản {first}"):
        publish_new(JUL, "1.001193")
    assert published_windows_now() == [(first, JAN, None)]
    second = publish_new(JUL, "1.001193", force=True)
    assert published_windows_now() == [(first, JAN, JUL), (second, JUL, None)]


def published_windows_now() -> list[tuple[int | None, date, date | None]]:
    with session_scope() as session:
        return published_windows(session)


def test_only_drafts_can_be_published(engine: Engine) -> None:
    first = publish_new(JAN)
    with session_scope() as session:
        version = session.get(ListVersion, first)
        assert version is not None
        with pytest.raises(
            PostlinkError, match="trạng thái «Đang áp dụng»; chỉ công bố được bản nháp"
        ):
            publish(session, version, actor="admin")


def withdraw_version(
    version_id: int, reason: str = "Quyết định bị thu hồi", *, confirm: bool = True
) -> None:
    with session_scope() as session:
        version = session.get(ListVersion, version_id)
        assert version is not None
        withdraw(session, version, actor="admin", reason=reason, confirm=confirm)


def test_withdrawn_window_goes_back_to_the_version_before(engine: Engine) -> None:
    first, second, third = publish_new(JAN), publish_new(APR), publish_new(JUL)
    withdraw_version(second)
    assert status_of(second)[0] == "withdrawn"
    assert published_windows_now() == [(first, JAN, JUL), (third, JUL, None)]
    withdraw_version(third)
    assert published_windows_now() == [(first, JAN, None)]
    withdraw_version(first)
    assert published_windows_now() == []


def test_withdrawing_the_first_list_leaves_no_list_before_the_next(engine: Engine) -> None:
    first, second = publish_new(JAN), publish_new(JUL)
    withdraw_version(first)
    assert published_windows_now() == [(second, JUL, None)]


def test_withdraw_rules(engine: Engine) -> None:
    first = publish_new(JAN)
    publish_new(JAN, "1.000894")  # same day: the first is superseded
    with pytest.raises(PostlinkError, match="Thu hồi danh mục cần nêu lý do"):
        withdraw_version(first, reason="  ")
    with pytest.raises(
        PostlinkError, match="trạng thái «Đã được thay thế»; chỉ thu hồi được bản nháp hoặc"
    ):
        withdraw_version(first)
    with session_scope() as session:
        draft = add_draft(session, JUL)
        withdraw(session, draft, actor="admin", reason="nhập nhầm tệp")
        assert draft.status == "withdrawn"
        with pytest.raises(
            PostlinkError, match="trạng thái «Đã thu hồi»; chỉ công bố được bản nháp"
        ):
            publish(session, draft, actor="admin")


def test_every_window_change_is_audited(engine: Engine) -> None:
    first = publish_new(JAN)
    second = publish_new(JUL)
    withdraw_version(second, reason="Sai số hiệu quyết định")
    with Session(engine) as session:
        rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    assert [(r.action, r.entity_id) for r in rows] == [
        ("catalog.publish", str(first)),
        ("catalog.shorten", str(first)),
        ("catalog.publish", str(second)),
        ("catalog.extend", str(first)),
        ("catalog.withdraw", str(second)),
    ]
    shorten, withdrawn = rows[1], rows[4]
    assert shorten.before is not None
    assert shorten.after is not None
    assert (shorten.before["effective_to"], shorten.after["effective_to"]) == (None, "2026-07-01")
    assert shorten.reason == f"Phiên bản {second} (0701/QĐ-UBND) áp dụng từ 01/07/2026"
    assert withdrawn.after is not None
    assert (withdrawn.after["status"], withdrawn.reason) == ("withdrawn", "Sai số hiệu quyết định")


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), st.integers(0, 40)),
        st.tuples(st.just("withdraw"), st.integers(0, 10)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_published_windows_never_overlap_and_leave_no_gaps(
    engine: Engine, operations: list[tuple[str, int]]
) -> None:
    with session_scope() as session:
        for version in session.exec(select(ListVersion)).all():
            version.status = "withdrawn"  # earlier examples' versions leave the timeline
            session.add(version)
    for operation, number in operations:
        with session_scope() as session:
            if operation == "publish":
                draft = add_draft(
                    session, JAN + timedelta(days=30 * number), entry(f"1.{number:06d}")
                )
                publish(session, draft, actor="admin", force=True, confirm=True)
            else:
                live = published_windows(session)
                if live:
                    version = session.get(ListVersion, live[number % len(live)][0])
                    assert version is not None
                    withdraw(session, version, actor="admin", reason="thử", confirm=True)
        with session_scope() as session:
            windows = published_windows(session)
        for (_, start, end), (_, next_start, _) in itertools.pairwise(windows):
            assert end == next_start  # contiguous: no overlap, no gap
            assert start < next_start
        if windows:
            assert windows[-1][2] is None
