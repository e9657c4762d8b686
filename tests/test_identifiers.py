"""Tests for postlink.identifiers: domain.md §3 examples and properties of generated codes."""

import datetime
import itertools
import string
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postlink.identifiers import (
    AgencyCode,
    DossierCode,
    IdentifierError,
    ItemNumber,
    ProcedureCode,
    canonical_procedure_code,
    clean,
    find_dossier_code,
    find_procedure_code,
    parse_agency_code,
    parse_dossier_code,
    parse_item_number,
    parse_procedure_code,
    s10_check_digit,
)

NBSP, FIGURE_SPACE, NARROW_NBSP, ZWSP, BOM = "\u00a0", "\u2007", "\u202f", "\u200b", "\ufeff"
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)

# --- clean ---------------------------------------------------------------------------------------


def test_clean_composes_nfd_vietnamese() -> None:
    nfd = "Đăng ky\u0301 khai sinh"  # "ký" as k, y, combining acute, as macOS writes it
    assert clean(nfd) == "Đăng ký khai sinh"
    assert len(clean(nfd)) == len("Đăng ký khai sinh")


@pytest.mark.parametrize("space", [NBSP, FIGURE_SPACE, NARROW_NBSP, ZWSP, BOM, "\t", "\n"])
def test_clean_treats_space_like_characters_as_spaces(space: str) -> None:
    assert clean(f"{space}TTHC{space}{space}1.001193 {space}") == "TTHC 1.001193"


def test_clean_collapses_internal_whitespace_and_trims() -> None:
    assert clean("  Cao   Bằng \r\n tỉnh ") == "Cao Bằng tỉnh"
    assert clean("") == ""
    assert clean(f"{NBSP}{ZWSP}") == ""


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)


# --- procedure codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.001193", ProcedureCode("1.001193")),
        ("1.001193.02", ProcedureCode("1.001193", suffix="02")),
        ("2.000815.000.00.00.H55", ProcedureCode("2.000815", agency="000.00.00.H55")),
        ("2.000815.000.00.00.h55", ProcedureCode("2.000815", agency="000.00.00.H55")),
        ("1.001193.h14.12", ProcedureCode("1.001193", agency="H14.12")),
        (f"{NBSP}1. 001193{ZWSP}", ProcedureCode("1.001193")),
    ],
)
def test_parse_procedure_code(value: str, expected: ProcedureCode) -> None:
    assert parse_procedure_code(value) == expected


def test_procedure_code_text_is_the_normal_form() -> None:
    code = parse_procedure_code(" 2.000815.000.00.00.h55 ")
    assert code.text == str(code) == "2.000815.000.00.00.H55"
    assert str(parse_procedure_code("1.001193.02")) == "1.001193.02"


@pytest.mark.parametrize(
    "value",
    ["1.00119", "1.0011934", "11.001193", "1.001193.0234", "1,001193", "TTHC 1.001193", "a.bcdefg"],
)
def test_parse_procedure_code_rejects_with_a_message(value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_procedure_code(value)
    assert (caught.value.code, caught.value.params) == ("procedure.code", {"value": value})
    assert str(caught.value) == f"Mã thủ tục «{value}» không hợp lệ: dạng đúng như 1.001193."


def test_procedure_code_constructor_rejects_a_badly_split_code() -> None:
    with pytest.raises(IdentifierError, match=r"«1\.001193\.02» chưa ở dạng chuẩn"):
        ProcedureCode("1.001193.02")
    with pytest.raises(IdentifierError, match=r"«1\.001193\.H14\.02» chưa ở dạng chuẩn"):
        ProcedureCode("1.001193", suffix="02", agency="H14")  # reads back as agency H14.02


# The combined form: a province's localisation of a variant (issue 13 §6), typed by hand.
@pytest.mark.parametrize(
    ("value", "expected", "text"),
    [
        (
            "2.000815.000.00.00.H55.02",
            ProcedureCode("2.000815", suffix="02", agency="000.00.00.H55"),
            "2.000815.000.00.00.H55.02",
        ),
        (
            f"2.000815.000.00.12.h14.1{NBSP}",
            ProcedureCode("2.000815", suffix="1", agency="000.00.12.H14"),
            "2.000815.000.00.12.H14.1",
        ),
        (
            "1.001193.000.00.00.G01.003",
            ProcedureCode("1.001193", suffix="003", agency="000.00.00.G01"),
            "1.001193.000.00.00.G01.003",
        ),
    ],
)
def test_parse_localised_variant_procedure_code(
    value: str, expected: ProcedureCode, text: str
) -> None:
    code = parse_procedure_code(value)
    assert code == expected
    assert code.text == text
    assert canonical_procedure_code(value) == expected.base


def test_find_localised_variant_procedure_code_in_free_text() -> None:
    found = find_procedure_code("TTHC 2.000815.000.00.00.H55.02: Chứng thực bản sao")
    assert found == ProcedureCode("2.000815", suffix="02", agency="000.00.00.H55")


@pytest.mark.parametrize(
    "value",
    [
        "2.000815.000.00.00.H55.0234",  # a variant has 1 to 3 digits
        "2.000815.02.000.00.00.H55",  # the variant comes after the agency, not before
        "2.000815.000.00.00.H55.02.03",
        "2.000815.000.00.00.X55.02",  # X opens no level-1 code
    ],
)
def test_parse_localised_variant_rejects_other_shapes(value: str) -> None:
    with pytest.raises(IdentifierError, match=r"^Mã thủ tục «"):
        parse_procedure_code(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TTHC 1.001193: Đăng ký khai sinh", "1.001193"),
        (f"TTHC{NBSP}1.001193.02 - Đăng ký lại khai sinh", "1.001193.02"),
        ("Thủ tục 2.000815.000.00.00.h55.", "2.000815.000.00.00.H55"),
        ("(1.001193)", "1.001193"),
        ("số 21.001193 và 1.0011934, rồi 1.000894", "1.000894"),
        ("Hồ sơ 000.00.12.H14-250715-0007, TTHC 1.001193", "1.001193"),
    ],
)
def test_find_procedure_code_in_free_text(text: str, expected: str) -> None:
    found = find_procedure_code(text)
    assert found is not None
    assert found.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Đăng ký khai sinh",
        "",
        "000.00.12.H14-250715-0007-R2",
        "H14.12-250715-0007-P1",
        "phiên bản 1.001193.2024",
        "giá 1.0011930 đồng",
    ],
)
def test_find_procedure_code_finds_none(text: str) -> None:
    assert find_procedure_code(text) is None


# --- agency codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text", "province"),
    [
        ("000.00.00.H14", "000.00.00.H14", "H14"),
        ("000.00.12.h14", "000.00.12.H14", "H14"),
        ("H14.12", "H14.12", "H14"),
        ("h14.12.3", "H14.12.3", "H14"),
        ("H14", "H14", "H14"),
        ("000.00.00.G01", "000.00.00.G01", None),
        ("000.00.00.g22", "000.00.00.G22", None),
        ("g01.3", "G01.3", None),
    ],
)
def test_parse_agency_code(value: str, text: str, province: str | None) -> None:
    code = parse_agency_code(value)
    assert code == AgencyCode(text)
    assert str(code) == text
    assert code.province == province


@pytest.mark.parametrize(
    "value",
    [
        "00.00.00.H14",
        "000.00.00.14",
        "H1",
        "H14.1234",
        "H14.1.2.3.4",
        "000.00.00.HH4",
        # QCVN 102:2016 opens a level-1 code with G (ministries) or H (provinces) only.
        "000.00.12.A14",
        "000.00.12.O14",  # an O typed for a zero
        "000.00.00.I01",  # an I typed for a one
        "000.00.12.K14",
        "X14.12",
        "z14",
    ],
)
def test_parse_agency_code_rejects_with_a_message(value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_agency_code(value)
    assert (caught.value.code, caught.value.params) == ("identifier.agency", {"value": value})
    assert str(caught.value).startswith(f"«{value}» không phải mã cơ quan: dạng đúng như")


# --- dossier codes -------------------------------------------------------------------------------


def test_parse_dossier_code_right_to_left_unit() -> None:
    code = parse_dossier_code("000.00.12.H14-250715-0007")
    assert code == DossierCode(AgencyCode("000.00.12.H14"), datetime.date(2025, 7, 15), 7)
    assert code.text == str(code) == "000.00.12.H14-250715-0007"


def test_parse_dossier_code_left_to_right_unit_and_sloppy_input() -> None:
    code = parse_dossier_code(f"{NBSP}h14.12 - 250715 - 0007 ")
    assert code == DossierCode(AgencyCode("H14.12"), datetime.date(2025, 7, 15), 7)
    assert code.text == "H14.12-250715-0007"
    assert code.unit.province == "H14"


def test_parse_dossier_code_rejects_an_impossible_date() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_dossier_code("000.00.12.H14-251332-0007")
    assert str(caught.value) == (
        "Mã hồ sơ «000.00.12.H14-251332-0007» không hợp lệ: «251332» không phải ngày có thật "
        "(dạng YYMMDD, ví dụ 250715 là ngày 15/07/2025)."
    )


def test_parse_dossier_code_rejects_29_february_of_a_common_year() -> None:
    assert parse_dossier_code("H14-240229-0001").received == datetime.date(2024, 2, 29)
    with pytest.raises(IdentifierError, match="«250229» không phải ngày có thật"):
        parse_dossier_code("H14-250229-0001")


def test_parse_dossier_code_rejects_sequence_zero() -> None:
    with pytest.raises(IdentifierError, match="số thứ tự 0000 không được dùng"):
        parse_dossier_code("000.00.12.H14-250715-0000")


@pytest.mark.parametrize(
    "value",
    [
        "000.00.12.H14-250715-007",
        "000.00.12.H14-25071-0007",
        "000.00.12.H14-250715",
        "000.00.12.H14-25O715-0007",
        "000.00.12.H14-250715-0007-P1",
        "H14/12-250715-0007",
    ],
)
def test_parse_dossier_code_rejects_other_shapes(value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_dossier_code(value)
    assert (caught.value.code, caught.value.params) == ("api.dossier_code", {"value": value})
    assert str(caught.value) == (
        f"Mã hồ sơ «{value}» không hợp lệ: dạng đúng như 000.00.12.H14-250715-0007 "
        "(Thông tư 01/2018/TT-VPCP)."
    )


def test_dossier_code_constructor_guards_the_text_form() -> None:
    unit = AgencyCode("H14")
    with pytest.raises(IdentifierError, match="chỉ từ năm 2000 đến 2099"):
        DossierCode(unit, datetime.date(1999, 12, 31), 1)
    with pytest.raises(IdentifierError, match="Số thứ tự 10000 không hợp lệ"):
        DossierCode(unit, datetime.date(2025, 7, 15), 10000)
    with pytest.raises(IdentifierError, match="«h14» chưa ở dạng chuẩn"):
        AgencyCode("h14")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("000.00.12.H14-250715-0007-P1", "000.00.12.H14-250715-0007"),
        ("000.00.12.H14-250715-0007-R2", "000.00.12.H14-250715-0007"),
        ("Hồ sơ số H14.12-250715-0007, TTHC 1.001193", "H14.12-250715-0007"),
        (
            "sai 000.00.12.H14-251332-0001, đúng 000.00.12.H14-251231-0002",
            "000.00.12.H14-251231-0002",
        ),
    ],
)
def test_find_dossier_code_in_free_text(text: str, expected: str) -> None:
    found = find_dossier_code(text)
    assert found is not None
    assert found.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "TTHC 1.001193: Đăng ký khai sinh",
        "",
        "000.00.12.H14-250715-00071",
        "X000.00.12.H14-250715-0007",
        "000.00.12.H14-250715-0000-P1",
    ],
)
def test_find_dossier_code_finds_none(text: str) -> None:
    assert find_dossier_code(text) is None


# --- UPU S10 item numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["EB123456785VN", "RR004172332VN", "CP388012450VN", "EB999999995VN"]
)
def test_published_valid_item_numbers_pass_the_check(value: str) -> None:
    assert parse_item_number(value) == ItemNumber(value, check_digit_ok=True)


def test_wrong_check_digit_is_a_flag_not_an_error() -> None:
    assert parse_item_number("EB123456784VN") == ItemNumber("EB123456784VN", check_digit_ok=False)


def test_parse_item_number_normalises_case_and_spaces() -> None:
    assert parse_item_number(f" eb 1234 5678 5 vn{NBSP}").text == "EB123456785VN"


def test_s10_check_digit_mapping_of_10_and_11() -> None:
    assert s10_check_digit("12345678") == 5  # S = 204 = 18 * 11 + 6, C = 11 - 6
    assert s10_check_digit("10000000") == 3  # S = 8, C = 11 - 8
    assert s10_check_digit("00000008") == 0  # S = 56 = 5 * 11 + 1, C = 10, written 0
    assert s10_check_digit("99999999") == 5  # S = 396 = 36 * 11, C = 11, written 5


@pytest.mark.parametrize(
    "value",
    ["EB12345678VN", "EB1234567855VN", "E123456785VN", "EB123456785V", "EB12345678XVN", "12"],
)
def test_parse_item_number_rejects_other_shapes(value: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_item_number(value)
    assert (caught.value.code, caught.value.params) == ("identifier.item", {"value": value})
    assert str(caught.value) == (
        f"«{value}» không phải số hiệu bưu gửi: 2 chữ cái, 8 chữ số, 1 số kiểm tra, 2 chữ cái, "
        "ví dụ EB123456785VN."
    )


@pytest.mark.parametrize("serial", ["1234567", "123456789", "1234567x", "١٢٣٤٥٦٧٨"])
def test_s10_check_digit_rejects_other_serials(serial: str) -> None:
    with pytest.raises(IdentifierError, match="cần 8 chữ số"):
        s10_check_digit(serial)


# --- strategies ----------------------------------------------------------------------------------

upper_letters = st.sampled_from(string.ascii_uppercase)
space_like = st.sampled_from(["", " ", NBSP, FIGURE_SPACE, NARROW_NBSP, ZWSP, BOM])


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


def number_strings(min_digits: int, max_digits: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=min_digits, max_size=max_digits)


agency_letters = st.sampled_from("GHgh")  # QCVN 102:2016's level-1 letters
level1 = st.builds("{}{}".format, agency_letters, digits(2))
agency_rtl = st.builds("{}.{}.{}.{}".format, digits(3), digits(2), digits(2), level1)
agency_ltr = st.builds(
    lambda head, rest: ".".join([head, *rest]),
    level1,
    st.lists(number_strings(1, 3), max_size=3),
)
agency_texts = st.one_of(agency_rtl, agency_ltr)
procedure_texts = st.builds(
    lambda base, tail: base + tail,
    st.builds("{}.{}".format, digits(1), digits(6)),
    st.one_of(
        st.just(""),
        number_strings(1, 3).map(".{}".format),
        agency_texts.map(".{}".format),
        st.builds(".{}.{}".format, agency_rtl, number_strings(1, 3)),
    ),
)
dossier_texts = st.builds(
    "{}-{:%y%m%d}-{:04d}".format,
    agency_texts,
    st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(1, 9999),
)


@st.composite
def padded(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """A code as people type it: space-like characters around it."""
    return draw(space_like) + draw(texts) + draw(space_like)


# --- round trips ---------------------------------------------------------------------------------


@given(padded(procedure_texts))
def test_procedure_code_text_reparses_to_an_equal_code(value: str) -> None:
    code = parse_procedure_code(value)
    assert parse_procedure_code(code.text) == code
    assert code.text == clean(value).upper()


@given(padded(agency_texts))
def test_agency_code_text_reparses_to_an_equal_code(value: str) -> None:
    code = parse_agency_code(value)
    assert parse_agency_code(code.text) == code
    assert code.text == clean(value).upper()
    assert code.province is None or code.province.startswith("H")


@given(padded(dossier_texts))
def test_dossier_code_text_reparses_to_an_equal_code(value: str) -> None:
    code = parse_dossier_code(value)
    assert parse_dossier_code(code.text) == code
    assert code.text == clean(value).upper()


@given(dossier_texts, st.sampled_from(["-P1", "-R2", " ", ", TTHC 1.001193"]))
def test_find_dossier_code_reads_our_sale_order_codes(code: str, tail: str) -> None:
    found = find_dossier_code(f"Mã: {code}{tail}")
    assert found == parse_dossier_code(code)


@given(procedure_texts)
def test_find_procedure_code_reads_content_notes(code: str) -> None:
    assert find_procedure_code(f"TTHC {code}: Đăng ký khai sinh") == parse_procedure_code(code)


# --- S10 properties ------------------------------------------------------------------------------


def s10_remainder(serial: str) -> int:
    return sum(w * int(d) for w, d in zip(WEIGHTS, serial, strict=True)) % 11


@st.composite
def valid_item_numbers(draw: st.DrawFn) -> str:
    prefix = draw(upper_letters) + draw(upper_letters)
    serial = draw(digits(8))
    country = draw(st.one_of(st.just("VN"), st.builds("{}{}".format, upper_letters, upper_letters)))
    return f"{prefix}{serial}{s10_check_digit(serial)}{country}"


@given(valid_item_numbers())
def test_generated_valid_item_numbers_pass_the_check(number: str) -> None:
    assert parse_item_number(number) == ItemNumber(number, check_digit_ok=True)
    assert parse_item_number(number.lower()).check_digit_ok


# The S10 check digit does NOT catch every single-digit error. A substitution at a serial position
# of weight w changes S by w * delta with 1 <= |delta| <= 9; 11 is prime and divides neither w nor
# delta, so the remainder r = S mod 11 always changes. But the map from r to the check digit is not
# one-to-one: C = 11 - r gives 11 for r = 0, written 5 (the 11 -> 5 rule), while r = 6 also gives
# C = 5. So a substitution that moves r between 0 and 6 keeps the check digit, e.g. EB999999995VN
# (S = 396, r = 0) and EB799999995VN (S = 380, r = 6) both pass. The 10 -> 0 rule (r = 1) collides
# with nothing, since no r gives 11 - r = 0. Every other serial substitution is caught, and so is
# every change of the check digit itself, since it is a function of the serial.


def test_the_only_check_digit_collision_is_remainders_0_and_6() -> None:
    """Exhaustive over the eleven remainders, which is all the check digit depends on."""

    def check_digit(remainder: int) -> int:
        return {10: 0, 11: 5}.get(11 - remainder, 11 - remainder)

    collisions = {
        frozenset((r1, r2))
        for r1, r2 in itertools.combinations(range(11), 2)
        if check_digit(r1) == check_digit(r2)
    }
    assert collisions == {frozenset((0, 6))}
    # Every weight can turn a remainder 0 into 6 with some digit change, so the gap is real.
    for w in WEIGHTS:
        assert any((w * delta) % 11 == 6 for delta in range(-9, 10))
    assert parse_item_number("EB799999995VN").check_digit_ok


@given(valid_item_numbers())
def test_single_digit_substitutions_fail_the_check_except_between_remainders_0_and_6(
    number: str,
) -> None:
    serial = number[2:10]
    for position, digit in itertools.product(range(8), string.digits):
        if digit == serial[position]:
            continue
        changed = serial[:position] + digit + serial[position + 1 :]
        undetectable = {s10_remainder(serial), s10_remainder(changed)} == {0, 6}
        result = parse_item_number(number[:2] + changed + number[10:])
        assert result.check_digit_ok is undetectable, (number, position, digit)
    for digit in string.digits:
        if digit != number[10]:
            changed_check = number[:10] + digit + number[11:]
            assert parse_item_number(changed_check).check_digit_ok is False


# --- robustness ----------------------------------------------------------------------------------

PARSERS: list[Callable[[str], object]] = [
    parse_procedure_code,
    parse_agency_code,
    parse_dossier_code,
    parse_item_number,
    s10_check_digit,
]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda parse: parse.__name__)
@given(text=st.text())
def test_parsers_raise_only_identifier_error(parse: Callable[[str], object], text: str) -> None:
    try:
        parse(text)
    except IdentifierError as error:
        message = str(error)
    else:
        return
    assert f"«{text}»" in message  # the user sees which value was refused


@given(st.text())
def test_finders_never_raise(text: str) -> None:
    procedure = find_procedure_code(text)
    dossier = find_dossier_code(text)
    assert procedure is None or parse_procedure_code(procedure.text) == procedure
    assert dossier is None or parse_dossier_code(dossier.text) == dossier


def test_an_identifier_error_is_typed_and_worded_in_english_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14 §1: a code and its parameters below the presenters, worded when shown."""
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    with pytest.raises(IdentifierError) as caught:
        parse_dossier_code("H14-250229-0001")
    assert caught.value.code == "identifier.dossier_date"
    assert caught.value.params == {"value": "H14-250229-0001", "digits": "250229"}
    assert str(caught.value) == (
        "«H14-250229-0001» is not a dossier code: «250229» is not a real date "
        "(YYMMDD, e.g. 250715 for 15/07/2025)."
    )
