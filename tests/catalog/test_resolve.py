"""Resolution: the entry and version in force at an instant, fast and never stale for long."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine

from postlink.catalog.publish import publish, withdraw
from postlink.catalog.resolve import Outcome, Resolver, resolve_code
from postlink.db import session_scope
from postlink.identifiers import IdentifierError
from postlink.models import ListVersion
from tests.catalog.conftest import JANUARY_XLSX, JULY_CSV, ImportFn
from tests.catalog.helpers import add_draft, entry

HANOI = timezone(timedelta(hours=7))
MARCH = datetime(2026, 3, 1, 10, tzinfo=HANOI)
AUGUST = datetime(2026, 8, 1, 10, tzinfo=HANOI)


@pytest.fixture
def two_lists(engine: Engine, do_import: ImportFn) -> Resolver:
    do_import(JANUARY_XLSX, publish_now=True)
    do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=date(2026, 7, 1), publish_now=True)
    return Resolver(engine)


def decision_at(resolver: Resolver, code: str, at: datetime) -> str:
    version = resolver.resolve(code, at).version
    assert version is not None
    return version.decision


def test_marriage_is_excluded_with_its_reason(two_lists: Resolver) -> None:
    answer = two_lists.resolve("1.000894", MARCH)
    assert answer.outcome is Outcome.FOUND
    assert answer.entry is not None
    assert answer.version is not None
    assert (answer.entry.postal_submission, answer.entry.postal_return) == (False, False)
    assert answer.entry.reason == "Hai bên nam, nữ phải cùng có mặt khi đăng ký kết hôn"
    assert answer.entry.legal_basis == "Luật Hộ tịch số 60/2014/QH13, Điều 18 khoản 1"
    assert (answer.version.decision, answer.version.effective_to) == (
        "125/QĐ-UBND",
        date(2026, 7, 1),
    )


def test_before_and_after_the_new_effective_date(two_lists: Resolver) -> None:
    before, after = two_lists.resolve("1.012784", MARCH), two_lists.resolve("1.012784", AUGUST)
    assert before.entry is not None
    assert after.entry is not None
    assert decision_at(two_lists, "1.012784", MARCH) == "125/QĐ-UBND"
    assert (before.entry.postal_submission, before.entry.postal_return) == (False, True)
    assert decision_at(two_lists, "1.012784", AUGUST) == "1234/QĐ-UBND"
    assert (after.entry.postal_submission, after.entry.postal_return) == (True, True)


def test_the_local_date_decides_not_the_utc_one(two_lists: Resolver) -> None:
    """00:30 on 1 July in Vietnam is still 30 June in UTC: the July list applies."""
    just_after = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)
    just_before = datetime(2026, 6, 30, 16, 59, tzinfo=UTC)
    assert decision_at(two_lists, "1.012784", just_after) == "1234/QĐ-UBND"
    assert decision_at(two_lists, "1.012784", just_before) == "125/QĐ-UBND"


def test_not_on_list_and_no_list_in_force(two_lists: Resolver) -> None:
    removed = two_lists.resolve("1.990602", AUGUST)
    assert removed.outcome is Outcome.NOT_ON_LIST
    assert removed.entry is None
    assert removed.version is not None
    assert removed.version.decision == "1234/QĐ-UBND"
    assert two_lists.resolve("1.990602", MARCH).outcome is Outcome.FOUND
    too_early = two_lists.resolve("1.000894", datetime(2025, 12, 31, 23, 59, tzinfo=HANOI))
    assert (too_early.outcome, too_early.version, too_early.entry) == (
        Outcome.NO_LIST_IN_FORCE,
        None,
        None,
    )


def test_variant_and_localised_codes_fall_back_to_the_base_code(two_lists: Resolver) -> None:
    for code in ("1.000894.02", "1.000894.000.00.12.H14", " 1.000894\u00a0"):
        answer = two_lists.resolve(code, MARCH)
        assert answer.entry is not None
        assert answer.entry.code == "1.000894"


def test_agency_entry_first_then_the_general_one(two_lists: Resolver) -> None:
    office = two_lists.resolve("1.012784", MARCH, agency="000.20.31.h14")
    other = two_lists.resolve("1.012784", MARCH, agency="000.00.12.H14")
    assert office.entry is not None
    assert other.entry is not None
    assert (office.entry.agency_code, office.entry.postal_submission) == ("000.20.31.H14", True)
    assert (other.entry.agency_code, other.entry.postal_submission) == ("", False)
    garbled = two_lists.resolve("1.012784", MARCH, agency="VP ĐKĐĐ")
    assert garbled == two_lists.resolve("1.012784", MARCH)


def test_bad_input_is_refused(engine: Engine, two_lists: Resolver) -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        two_lists.resolve("1.000894", datetime(2026, 3, 1, 10))
    with pytest.raises(IdentifierError, match=r"^Mã thủ tục «"):
        two_lists.resolve("1.00089", MARCH)
    with pytest.raises(ValueError, match="refresh_seconds"):
        Resolver(engine, refresh_seconds=-1)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_sees_a_new_list_after_the_refresh_interval_or_invalidate(engine: Engine) -> None:
    with session_scope() as session:
        publish(session, add_draft(session, date(2026, 1, 1), entry("1.001193")), actor="a")
    clock = Clock()
    resolver = Resolver(engine, refresh_seconds=10, clock=clock)
    assert resolver.resolve("1.001193", AUGUST).entry is not None
    with session_scope() as session:
        july = add_draft(session, date(2026, 7, 1), entry("1.000656"))
        publish(session, july, actor="a", confirm=True)
    assert resolver.resolve("1.001193", AUGUST).outcome is Outcome.FOUND  # cached
    clock.now = 10.0
    assert resolver.resolve("1.001193", AUGUST).outcome is Outcome.NOT_ON_LIST
    with session_scope() as session:
        version = session.get(ListVersion, july.id)
        assert version is not None
        withdraw(session, version, actor="a", reason="thu hồi")
    assert resolver.resolve("1.001193", AUGUST).outcome is Outcome.NOT_ON_LIST  # cached
    resolver.invalidate()
    assert resolver.resolve("1.001193", AUGUST).outcome is Outcome.FOUND


def test_resolve_code_answers_from_a_session(two_lists: Resolver) -> None:
    with session_scope() as session:
        answer = resolve_code(session, "1.012784", AUGUST, agency="000.20.31.H14")
        missing = resolve_code(session, "1.234567", AUGUST)
    assert answer == two_lists.resolve("1.012784", AUGUST, agency="000.20.31.H14")
    assert missing.outcome is Outcome.NOT_ON_LIST
