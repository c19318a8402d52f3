"""GB 11643 ID card numbers and GB 32100 credit codes: valid ones pass, every single-character
substitution of a valid one is rejected, and each refusal names the field and the reason in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from approvals.validators import validate_credit_code, validate_id_card_number

VALID_IDS = ["11010519491231002X", "440524188001010014", "371402198503120012"]
VALID_CODES = ["91110000600037341L", "91350100M000100Y43"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_known_valid_numbers_pass_and_are_normalised():
    assert validate_id_card_number(" 11010519491231002x ") == "11010519491231002X"
    assert validate_credit_code("91110000600037341l") == "91110000600037341L"


@pytest.mark.parametrize("valid", VALID_IDS)
def test_every_single_character_substitution_of_an_id_number_is_rejected(valid):
    for position in range(18):
        alphabet = "0123456789X" if position == 17 else "0123456789"
        for replacement in alphabet:
            if replacement == valid[position]:
                continue
            wrong = valid[:position] + replacement + valid[position + 1:]
            with pytest.raises(ValidationError):
                validate_id_card_number(wrong)


@pytest.mark.parametrize("valid", VALID_CODES)
def test_every_single_character_substitution_of_a_credit_code_is_rejected(valid):
    for position in range(18):
        for replacement in USCC_ALPHABET:
            if replacement == valid[position]:
                continue
            wrong = valid[:position] + replacement + valid[position + 1:]
            with pytest.raises(ValidationError):
                validate_credit_code(wrong)


@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(["110105", "310104", "371402", "440305"]))
    birth = draw(st.dates(min_value=__import__("datetime").date(2000, 1, 1), max_value=__import__("datetime").date(2015, 12, 31)))
    serial = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


@given(id_numbers(), st.integers(0, 17), st.data())
@settings(max_examples=300, deadline=None)
def test_generated_id_numbers_pass_and_their_substitutions_fail(number, position, data):
    assert validate_id_card_number(number) == number
    alphabet = [c for c in ("0123456789X" if position == 17 else "0123456789") if c != number[position]]
    replacement = data.draw(st.sampled_from(alphabet))
    with pytest.raises(ValidationError):
        validate_id_card_number(number[:position] + replacement + number[position + 1:])


@st.composite
def credit_codes(draw):
    authority, category = draw(st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53", "31"]))
    region = draw(st.sampled_from(["110000", "310104", "371402", "440305", "540100"]))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    code = f"{authority}{category}{region}{body}"
    return code + uscc.calc_check_digit(code)


@given(credit_codes(), st.integers(0, 17), st.data())
@settings(max_examples=300, deadline=None)
def test_generated_credit_codes_pass_and_their_substitutions_fail(code, position, data):
    assert validate_credit_code(code) == code
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    with pytest.raises(ValidationError):
        validate_credit_code(code[:position] + replacement + code[position + 1:])


@pytest.mark.parametrize(
    "value, code, words",
    [
        ("11010519491231002", "length", ["身份证号码", "18"]),
        ("1101051949123100XX", "format", ["身份证号码"]),
        ("110105194912310021", "checksum", ["身份证号码", "校验"]),
        ("110105194913310021", "component", ["身份证号码", "出生日期"]),
    ],
)
def test_id_number_refusals_name_the_field_and_reason_in_chinese(value, code, words):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        validate_id_card_number(value)
    assert raised.value.code == code
    message = raised.value.messages[0]
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    "value, code, words",
    [
        ("9111000060003734", "length", ["统一社会信用代码", "18"]),
        ("91110000600037341I", "format", ["统一社会信用代码"]),
        ("91110000600037341K", "checksum", ["统一社会信用代码", "校验"]),
        ("97110000600037341L", "component", ["统一社会信用代码", "登记管理部门"]),
        ("91990000600037341L", "component", ["统一社会信用代码", "行政区划"]),
    ],
)
def test_credit_code_refusals_name_the_field_and_reason_in_chinese(value, code, words):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        validate_credit_code(value)
    assert raised.value.code == code
    for word in words:
        assert word in raised.value.messages[0], raised.value.messages[0]
