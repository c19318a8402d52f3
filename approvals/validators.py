"""Validators for the numbers that identify a subject.

Check digits per GB 11643 (resident ID card) and GB 32100 (unified social credit code), computed
by python-stdnum; we only translate its exceptions into messages a person at the counter understands."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def _normalise(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def validate_id_card_number(value: str) -> str:
    """Return the normalised 18-character ID card number or raise ValidationError naming the reason."""
    number = _normalise(value)
    try:
        if len(number) != 18:  # the 15-digit first-generation card is no longer valid
            raise InvalidLength()
        return ric.validate(number)
    except InvalidLength:
        raise ValidationError(
            _("ID card number: must be 18 characters long, this one has %(length)d."),
            code="length",
            params={"length": len(number)},
        )
    except InvalidFormat:
        raise ValidationError(
            _("ID card number: must be 17 digits followed by a digit or the letter X."), code="format"
        )
    except InvalidChecksum:
        raise ValidationError(
            _("ID card number: the check digit (last character) does not match; please check for a typing error."),
            code="checksum",
        )
    except (InvalidComponent, KeyError):  # stdnum 2.2 raises KeyError for a prefecture-level region code
        raise ValidationError(
            _("ID card number: the region code or the date of birth in it is not valid."), code="component"
        )


# GB 32100-2015 table 1: registration authority -> organisation categories (stdnum checks neither)
USCC_CATEGORIES = {
    "1": "1239", "2": "19", "3": "1234579", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19", "9": "123",
}
# first two digits of an administrative division code (GB/T 2260)
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
}


def validate_credit_code(value: str) -> str:
    """Return the normalised unified social credit code or raise ValidationError naming the reason."""
    number = _normalise(value)
    try:
        uscc.validate(number) if len(number) != 18 or not number[:8].isdigit() else None
        if number[1] not in USCC_CATEGORIES.get(number[0], "") or number[2:4] not in PROVINCES:
            raise InvalidComponent()
        return uscc.validate(number)
    except InvalidLength:
        raise ValidationError(
            _("Unified social credit code: must be 18 characters long, this one has %(length)d."),
            code="length",
            params={"length": len(number)},
        )
    except InvalidFormat:
        raise ValidationError(
            _("Unified social credit code: may contain only digits and the capital letters used by GB 32100 (not I, O, S, V, Z)."),
            code="format",
        )
    except InvalidChecksum:
        raise ValidationError(
            _("Unified social credit code: the check character (last character) does not match; please check for a typing error."),
            code="checksum",
        )
    except InvalidComponent:
        raise ValidationError(
            _("Unified social credit code: the registration authority, organisation category or region code in it is not valid."),
            code="component",
        )
