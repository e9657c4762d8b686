"""The invitation rule of TT 17/2017 art. 5 cl. 2 point h, on days counted by hand.

Every expected day below was counted on a printed 2026 calendar with the holidays the
government announced: Tết from Monday 16/02 to Friday 20/02 (with the weekends around it,
14/02–22/02 off), the Hùng Kings' day on Sunday 26/04 moved to Monday 27/04, 30/04 and
01/05 (Thursday and Friday). 01/03/2026 is a Sunday.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from postlink import defaults
from postlink.legs.calendar import WorkingCalendar
from postlink.legs.deadlines import load_policy
from postlink.legs.invitations import InvitationRule, InvitationVerdict

RULE = InvitationRule(minimum=2, days_apart=2, calendar=WorkingCalendar())
DUE = InvitationVerdict.COMPLIANT
UNDUE = InvitationVerdict.RETURNED_WITHOUT_DUE_INVITATIONS


@pytest.mark.parametrize(
    ("invited", "returned", "verdict", "codes"),
    [
        # Monday 02/03 then Wednesday 04/03: two working days apart; back on Friday 06/03.
        ((date(2026, 3, 2), date(2026, 3, 4)), date(2026, 3, 6), DUE, ["invite.reason.apart"]),
        # Monday then Tuesday: one working day apart.
        (
            (date(2026, 3, 2), date(2026, 3, 3)),
            date(2026, 3, 5),
            UNDUE,
            ["invite.reason.too_close"],
        ),
        # One invitation only, then back to the office.
        ((date(2026, 3, 2),), date(2026, 3, 5), UNDUE, ["invite.reason.too_few"]),
        # Returned without any invitation at all.
        ((), date(2026, 3, 5), UNDUE, ["invite.reason.too_few"]),
        # Friday 06/03 then Monday 09/03: the weekend does not count, one working day.
        (
            (date(2026, 3, 6), date(2026, 3, 9)),
            date(2026, 3, 11),
            UNDUE,
            ["invite.reason.too_close"],
        ),
        # Thursday 05/03 then Monday 09/03: Friday and Monday, two working days.
        ((date(2026, 3, 5), date(2026, 3, 9)), date(2026, 3, 11), DUE, ["invite.reason.apart"]),
        # Thursday 12/02 then Monday 23/02: Friday 13/02, Tết, then Monday: two.
        ((date(2026, 2, 12), date(2026, 2, 23)), date(2026, 2, 25), DUE, ["invite.reason.apart"]),
        # Friday 13/02 then Monday 23/02: only Monday counts across Tết.
        (
            (date(2026, 2, 13), date(2026, 2, 23)),
            date(2026, 2, 25),
            UNDUE,
            ["invite.reason.too_close"],
        ),
        # Wednesday 29/04 then Monday 04/05: 30/04 and 01/05 are holidays, one working day.
        (
            (date(2026, 4, 29), date(2026, 5, 4)),
            date(2026, 5, 6),
            UNDUE,
            ["invite.reason.too_close"],
        ),
        # Three invitations, the last two too close: the first pair does not save it.
        (
            (date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5)),
            date(2026, 3, 9),
            UNDUE,
            ["invite.reason.apart", "invite.reason.too_close"],
        ),
    ],
)
def test_returned_leg_is_judged_on_its_invitations(
    invited: tuple[date, ...], returned: date, verdict: InvitationVerdict, codes: list[str]
) -> None:
    judgement = RULE.judge(invited, returned)
    assert judgement.verdict is verdict
    assert [reason.code for reason in judgement.reasons] == codes


def test_reasons_carry_the_days_compared() -> None:
    judgement = RULE.judge([date(2026, 2, 23), date(2026, 2, 13)], date(2026, 2, 25))
    (reason,) = judgement.reasons
    assert reason.params == {
        "first": date(2026, 2, 13),
        "second": date(2026, 2, 23),
        "earliest": date(2026, 2, 24),
        "days": 2,
    }
    assert judgement.invited_on == (date(2026, 2, 13), date(2026, 2, 23))


def test_a_leg_not_taken_back_has_no_verdict_yet() -> None:
    judgement = RULE.judge([date(2026, 3, 2)], None)
    assert judgement.verdict is None
    assert judgement.reasons == ()


def test_invitations_after_the_return_do_not_count() -> None:
    judgement = RULE.judge([date(2026, 3, 2), date(2026, 3, 6)], date(2026, 3, 4))
    assert judgement.verdict is UNDUE
    assert judgement.invited_on == (date(2026, 3, 2),)


def test_the_configured_minimum_is_the_rule() -> None:
    three = InvitationRule(minimum=3, days_apart=2, calendar=WorkingCalendar())
    judgement = three.judge([date(2026, 3, 2), date(2026, 3, 4)], date(2026, 3, 6))
    assert judgement.verdict is UNDUE
    assert judgement.reasons[-1].params == {"count": 2, "minimum": 3}


@pytest.mark.parametrize(
    ("invited", "last_day"),
    [
        # Friday 13/02, before Tết: may wait until Tuesday 24/02.
        ((date(2026, 2, 13),), date(2026, 2, 24)),
        # Monday 02/03 and Wednesday 04/03: the item must be back by Friday 06/03.
        ((date(2026, 3, 2), date(2026, 3, 4)), date(2026, 3, 6)),
        # Wednesday 29/04, before 30/04 and 01/05: until Tuesday 05/05.
        ((date(2026, 4, 29),), date(2026, 5, 5)),
    ],
)
def test_the_wait_the_rule_allows(invited: tuple[date, ...], last_day: date) -> None:
    assert RULE.wait_ends(invited) == last_day


def test_no_wait_without_an_invitation_or_beyond_the_minimum() -> None:
    assert RULE.wait_ends([]) is None
    assert RULE.wait_ends([date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 6)]) is None


def test_what_a_leg_stores() -> None:
    waiting = RULE.of_leg([date(2026, 2, 13)], None, closed=False)
    assert (waiting.last_on, waiting.wait_until, waiting.verdict) == (
        date(2026, 2, 13),
        date(2026, 2, 24),
        None,
    )
    back = RULE.of_leg([date(2026, 3, 2)], date(2026, 3, 5), closed=False)
    assert (back.wait_until, back.verdict) == (None, UNDUE)
    delivered = RULE.of_leg([date(2026, 3, 2)], None, closed=True)
    assert (delivered.last_on, delivered.wait_until, delivered.verdict) == (
        date(2026, 3, 2),
        None,
        None,
    )
    never = RULE.of_leg([], None, closed=False)
    assert (never.last_on, never.wait_until, never.verdict) == (None, None, None)


def test_the_configured_invitations_setting_is_the_minimum(tmp_path: Path) -> None:
    """``[failed_delivery] invitations`` in config/deadlines.toml, once unused, is the rule."""
    table = defaults.DEADLINES_FILE.read_text(encoding="utf-8").replace(
        "invitations = 2", "invitations = 3"
    )
    (tmp_path / "deadlines.toml").write_text(table, encoding="utf-8")
    rule = load_policy(tmp_path / "deadlines.toml").invitation_rule
    assert (rule.minimum, rule.days_apart) == (3, 2)
    judgement = rule.judge([date(2026, 3, 2), date(2026, 3, 4)], date(2026, 3, 6))
    assert judgement.verdict is UNDUE
    assert load_policy(defaults.DEADLINES_FILE).invitation_rule.minimum == 2
