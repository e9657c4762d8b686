"""Vietnamese formatting, phone masking, formula neutralising, and statutory periods."""

from __future__ import annotations

from datetime import date

import pytest

from postlink.errors import PostlinkError
from postlink.reports.filters import choose_period, half, quarter, year
from postlink.reports.formatting import mask_phone, neutralise, number, percent


def test_numbers_use_vietnamese_separators() -> None:
    assert number(1234567) == "1.234.567"
    assert number(0) == "0"
    assert percent(0.953) == "95,3%"
    assert percent(None) == ""


def test_phone_masking() -> None:
    assert mask_phone("0912345678") == "0912***678"
    assert mask_phone("0912 345 678") == "0912***678"
    assert mask_phone("123") == "***"


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", '=HYPERLINK("x")'])
def test_formula_payloads_are_neutralised(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


def test_plain_text_is_kept() -> None:
    assert neutralise("Nguyễn Văn A") == "Nguyễn Văn A"


def test_statutory_periods() -> None:
    assert (quarter("2026Q1").start, quarter("2026Q1").end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter("2026q4").end == date(2026, 12, 31)
    assert quarter("2026Q4").label == "Quý IV năm 2026"
    assert (half("2026H2").start, half("2026H2").end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert year(2026).label == "Năm 2026"


def test_default_period_is_the_month_so_far() -> None:
    period = choose_period(
        start=None, end=None, quarter_spec=None, half_spec=None, year_value=None,
        today=date(2026, 2, 25),
    )  # fmt: skip
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 25))


def test_bad_periods() -> None:
    with pytest.raises(PostlinkError, match="2026Q5"):
        quarter("2026Q5")
    with pytest.raises(PostlinkError, match="2026H3"):
        half("2026H3")
    with pytest.raises(PostlinkError, match="Năm «1999» không hợp lệ: nhập năm từ 2000 đến 2100"):
        year(1999)
