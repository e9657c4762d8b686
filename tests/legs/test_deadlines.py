"""J + n working-day deadlines across Tết 2026, weekends and configured days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from postlink import defaults
from postlink.errors import ConfigError
from postlink.legs.calendar import WorkingCalendar
from postlink.legs.deadlines import load_policy


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    return tmp_path / "deadlines.toml"


def test_shipped_table_has_the_four_routes_of_tt17() -> None:
    policy = load_policy(defaults.DEADLINES_FILE)
    days = {name: (r.dossier_days, r.with_appointment_days) for name, r in policy.routes.items()}
    assert sorted(days.values()) == [(1, 2), (2, 4), (3, 6), (4, 8)]
    assert policy.invitations == 2
    assert policy.days_between_invitations == 2


def test_deadline_skips_the_whole_of_tet_2026() -> None:
    policy = load_policy(defaults.DEADLINES_FILE)
    # Friday 13/02/2026: J + 2 skips the weekend and Tết (16–20/02), then 21–22/02 weekend.
    assert policy.deadline(date(2026, 2, 13), "intra_province") == date(2026, 2, 24)
    assert policy.deadline(date(2026, 2, 13), "local") == date(2026, 2, 23)
    assert policy.deadline(date(2026, 2, 13), "local", appointment=True) == date(2026, 2, 24)


def test_deadline_over_a_plain_weekend() -> None:
    policy = load_policy(defaults.DEADLINES_FILE)
    # Thursday 08/01/2026 + 2 working days = Monday 12/01/2026.
    assert policy.deadline(date(2026, 1, 8)) == date(2026, 1, 12)


def test_make_up_working_day_from_the_package_counts() -> None:
    calendar = WorkingCalendar()
    # Saturday 22/08/2026 is a make-up working day for Monday 31/08/2026.
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_configured_make_up_day_and_day_off(policy_file: Path) -> None:
    text = (
        defaults.DEADLINES_FILE.read_text(encoding="utf-8")
        .replace("extra_days_off = []", "extra_days_off = [2026-01-12]")
        .replace("make_up_working_days = []", "make_up_working_days = [2026-01-10]")
    )
    policy_file.write_text(text, encoding="utf-8")
    policy = load_policy(policy_file)
    # Thursday 08/01 + 2: Friday 09/01, then Saturday 10/01 is a make-up working day.
    assert policy.deadline(date(2026, 1, 8)) == date(2026, 1, 10)
    # Friday 09/01 + 2: Saturday 10/01 (make-up), Monday 12/01 off, Tuesday 13/01.
    assert policy.deadline(date(2026, 1, 9)) == date(2026, 1, 13)


def test_second_invitation_two_working_days_after_a_failed_delivery() -> None:
    policy = load_policy(defaults.DEADLINES_FILE)
    # Failed on Friday 13/02/2026, just before Tết: next invitation on Tuesday 24/02.
    assert policy.next_invitation_due(date(2026, 2, 13)) == date(2026, 2, 24)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("dossier = 2", "dossier = -2"), "routes.intra_province.dossier=-2"),
        (('default_route = "intra_province"', 'default_route = "moon"'), "default_route='moon'"),
        (("extra_days_off = []", 'extra_days_off = ["soon"]'), "calendar.extra_days_off"),
        (("[calendar]", "[calendar"), "not valid TOML"),
    ],
)
def test_bad_table_names_the_key(policy_file: Path, change: tuple[str, str], message: str) -> None:
    policy_file.write_text(
        defaults.DEADLINES_FILE.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_policy(policy_file)


def test_unknown_route_is_a_clear_error() -> None:
    policy = load_policy(defaults.DEADLINES_FILE)
    with pytest.raises(ConfigError, match="unknown route 'sea'"):
        policy.deadline(date(2026, 1, 8), "sea")
