"""Matching a leg against the list in force on its J date, every class."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from postlink.catalog.resolve import Resolver
from postlink.legs.match import judge
from postlink.models import LegKind, MatchClass

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("leg", "code", "registered", "on", "expected"),
    [
        (LegKind.PICKUP, "1.001193", None, date(2026, 3, 2), MatchClass.ELIGIBLE),
        (LegKind.RETURN, "1.000894", None, date(2026, 3, 2), MatchClass.EXCLUDED),
        (LegKind.PICKUP, "9.999999", None, date(2026, 3, 2), MatchClass.UNKNOWN_PROCEDURE),
        (LegKind.PICKUP, None, None, date(2026, 3, 2), MatchClass.UNKNOWN_PROCEDURE),
        (LegKind.PICKUP, "1.001193", None, date(2025, 12, 31), MatchClass.NO_LIST_IN_FORCE),
        (LegKind.PICKUP, "1.001193", "1.000656", date(2026, 3, 2), MatchClass.INVALID),
        (LegKind.PICKUP, "1.0011", None, date(2026, 3, 2), MatchClass.INVALID),
        (LegKind.PICKUP, None, "1.001193", date(2026, 3, 2), MatchClass.ELIGIBLE),
    ],
)
def test_every_class(
    engine: Engine,
    published_list: int,
    leg: LegKind,
    code: str | None,
    registered: str | None,
    on: date,
    expected: MatchClass,
) -> None:
    match = judge(
        Resolver(engine),
        leg=leg,
        procedure_code=code,
        registered_procedure=registered,
        agency_code="",
        on=on,
        tz=VIETNAM,
    )
    assert match.match_class == expected
    if expected == MatchClass.EXCLUDED:
        assert match.version_id == published_list
        assert "có mặt" in match.reason
        assert match.legal_basis
    if expected in (MatchClass.INVALID, MatchClass.UNKNOWN_PROCEDURE):
        assert match.reason
