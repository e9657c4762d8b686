"""Choosing a leg's route from its two ends (TT 17/2017 art. 7), on a hand-typed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlink import defaults
from postlink.legs.route_table import RouteTable, load_route_table
from postlink.legs.routes import LegEnds, RouteChoice, choose_route
from tests.legs.test_route_table import SMALL


@pytest.fixture
def small(tmp_path: Path) -> RouteTable:
    path = tmp_path / "routes.toml"
    path.write_text(SMALL, encoding="utf-8")
    return load_route_table(path)


@pytest.fixture
def sample() -> RouteTable:
    return load_route_table(defaults.ROUTES_FILE)


def test_same_area_is_j_plus_1_and_2_with_a_slip(sample: RouteTable) -> None:
    # Thục Phán and Tân Giang: both wards of the former Cao Bằng city.
    alone = choose_route(sample, LegEnds("01273", "01288", "04"))
    assert alone == RouteChoice(
        "local", "Cùng khu vực trong tỉnh", 1, "cùng khu vực Thành phố Cao Bằng (cũ)"
    )
    slip = choose_route(sample, LegEnds("01273", "01288", "04", appointment_slip=True))
    assert slip.days == 2


def test_another_area_of_the_province_is_j_plus_2_and_4(sample: RouteTable) -> None:
    # Đông Khê and Đức Long are both in the former Thạch An district; Hòa An is not.
    assert choose_route(sample, LegEnds("01786", "01822")).route == "local"
    choice = choose_route(sample, LegEnds("01786", "01654", appointment_slip=True))
    assert (choice.route, choice.days) == ("intra_province", 4)
    assert choice.why == "khác khu vực trong tỉnh (Thạch An – Hòa An)"
    assert not choice.commune_unknown


def test_an_unknown_commune_falls_back_to_the_intra_province_row_and_says_so(
    sample: RouteTable,
) -> None:
    for ends in (LegEnds("01273", "01999", "04"), LegEnds("01273", ""), LegEnds("", "01654")):
        choice = choose_route(sample, ends)
        assert (choice.route, choice.days, choice.commune_unknown) == ("intra_province", 2, True)
        assert choice.why.startswith("không xác định được xã/phường (")
        assert choice.why.endswith(") — tính theo tuyến nội tỉnh")
    assert "01999" in choose_route(sample, LegEnds("01273", "01999")).why


def test_another_province_is_j_plus_4_and_8(sample: RouteTable) -> None:
    choice = choose_route(sample, LegEnds("01273", "", "01", appointment_slip=True))
    assert (choice.route, choice.days, choice.why) == ("inter_province", 8, "ngoại tỉnh (tỉnh 01)")


def test_between_special_or_class_i_cities_is_j_plus_3_and_6(tmp_path: Path) -> None:
    # The row applies only when both provinces are listed: list Cao Bằng itself here.
    path = tmp_path / "routes.toml"
    path.write_text(SMALL.replace('["01", "79"]', '["01", "04", "79"]'), encoding="utf-8")
    table = load_route_table(path)
    assert choose_route(table, LegEnds("01654", "", "79")).days == 3
    choice = choose_route(table, LegEnds("01654", "", "79", appointment_slip=True))
    assert (choice.route, choice.days) == ("inter_province_major", 6)
    assert "thành phố loại đặc biệt/loại I" in choice.why
    assert choose_route(table, LegEnds("01654", "", "46")).route == "inter_province"


def test_a_special_geography_commune_takes_the_posts_own_time(small: RouteTable) -> None:
    choice = choose_route(small, LegEnds("01654", "01290", "04"))
    assert (choice.route, choice.days) == ("special_area", 3)
    assert choice.why == "địa bàn đặc biệt (xã Bảo Lâm): thời gian riêng của bưu chính"
    assert choose_route(small, LegEnds("01654", "01290", appointment_slip=True)).days == 5
