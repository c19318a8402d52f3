"""The browser fixtures live in tests/browser/fixtures.py (registered for every directory by tests/conftest.py)."""

import pytest

from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, SIZES, _unavailable  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """load_demo hashes five passwords per test; PBKDF2 would spend most of the suite's time on that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
