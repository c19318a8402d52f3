from approvals.masking import mask_name, mask_number, mask_phone


def test_numbers_keep_only_first_and_last_four():
    assert mask_number("11010519491231002X") == "1101**********002X"
    assert mask_number("91110000600037341L") == "9111**********341L"
    assert mask_number("") == ""


def test_names_keep_first_and_last_character():
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_phone("13800000001") == "138****0001"
