"""The route table: the shipped sample loads, and every bad entry is named with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlink import defaults
from postlink.errors import ConfigError
from postlink.legs.route_table import load_route_table

#: A small table typed by hand: two areas, an office unit, a special commune, one major city.
SMALL = """
[province]
code = "04"
name = "Cao Bằng"

[rows.local]
label = "Cùng khu vực"
days = 1
with_slip = 2
[rows.intra_province]
label = "Khác khu vực"
days = 2
with_slip = 4
[rows.inter_province_major]
label = "Thành phố lớn"
days = 3
with_slip = 6
[rows.inter_province]
label = "Ngoại tỉnh"
days = 4
with_slip = 8

[major_cities]
provinces = ["01", "79"]

[[communes]]
code = "01654"
name = "xã Hòa An"
area = "Hòa An"

[[communes]]
code = "01290"
name = "xã Bảo Lâm"
area = "Bảo Lâm"

[[offices]]
unit = "000.00.12.H14"
commune = "01654"

[[special]]
commune = "01290"
days = 3
with_slip = 5
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sample_lists_the_fourteen_communes_of_the_domain_brief() -> None:
    table = load_route_table(defaults.ROUTES_FILE)
    assert table.province_code == "04"
    assert sorted(table.communes) == [
        "01273", "01279", "01288", "01290", "01321", "01438", "01477",
        "01558", "01576", "01654", "01726", "01786", "01807", "01822",
    ]  # fmt: skip
    assert {row.name: (row.days, row.with_slip) for row in table.rows.values()} == {
        "local": (1, 2),
        "intra_province": (2, 4),
        "inter_province_major": (3, 6),
        "inter_province": (4, 8),
    }
    assert "DỮ LIỆU MẪU" in defaults.ROUTES_FILE.read_text(encoding="utf-8")


def test_a_small_table_reads_offices_special_communes_and_major_cities(tmp_path: Path) -> None:
    table = load_route_table(_write(tmp_path, SMALL))
    office = table.office_commune("000.00.12.h14")
    assert office is not None
    assert office.name == "xã Hòa An"
    assert table.special["01290"].n(appointment_slip=True) == 5
    assert table.major_city_provinces == {"01", "79"}


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        (('code = "01654"', 'code = "1654"'), "communes[1].code", "5 chữ số"),
        (('code = "01290"', 'code = "01654"'), "communes[2].code", "đã có"),
        (('area = "Hòa An"', 'area = ""'), "communes[1].area", "chuỗi không rỗng"),
        (("days = 4\n", "days = 0\n"), "rows.inter_province.days", "từ 1 trở lên"),
        (("with_slip = 4", "with_slip = 1"), "rows.intra_province.with_slip", "không được ngắn"),
        (("[rows.local]", "[rows.same_district]"), "rows.same_district", "không phải một dòng"),
        (('unit = "000.00.12.H14"', 'unit = "12"'), "offices[1].unit", "mã đơn vị"),
        (('commune = "01654"', 'commune = "01999"'), "offices[1].commune", "không có trong"),
        (('["01", "79"]', '["1"]'), "major_cities.provinces[1]", "mã tỉnh GSO"),
        (('code = "04"', "code = 4"), "province.code", "mã tỉnh GSO"),
    ],
)
def test_a_bad_entry_is_named_with_its_field_value_and_reason(
    tmp_path: Path, change: tuple[str, str], where: str, reason: str
) -> None:
    assert change[0] in SMALL
    path = _write(tmp_path, SMALL.replace(*change, 1))
    with pytest.raises(ConfigError) as caught:
        load_route_table(path)
    message = str(caught.value)
    assert message.startswith(f"Bảng tuyến {path}: {where} = ")
    assert reason in message


def test_a_missing_or_broken_file_says_which_and_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="POSTLINK_ROUTES_FILE"):
        load_route_table(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="không phải TOML hợp lệ"):
        load_route_table(_write(tmp_path, "[province\n"))
