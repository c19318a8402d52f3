"""The one masking helper: stored identifiers are shown in full only on staff pages."""

MASK = "*"


def mask_number(value: str | None) -> str:
    """ID card number or credit code: keep the first 4 and last 4 characters (1101**********002X)."""
    value = value or ""
    if len(value) <= 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_name(value: str | None) -> str:
    """A person's name: keep the first character, and the last when three or more (张*丰, 李*)."""
    value = value or ""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + MASK
    return value[0] + MASK * (len(value) - 2) + value[-1]


def mask_phone(value: str | None) -> str:
    value = value or ""
    if len(value) < 7:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]
