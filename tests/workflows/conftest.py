import logging

import pytest


@pytest.fixture(autouse=True)
def _process_never_out_of_step(caplog):
    """The listener logs (and swallows) an error when the process cannot follow; in these tests that is a failure."""
    caplog.set_level(logging.INFO, logger="workflows")
    yield
    errors = [r for r in caplog.records if r.name.startswith("workflows") and r.levelno >= logging.ERROR]
    assert not errors, "\n".join(r.getMessage() + "\n" + (r.exc_text or "") for r in errors)
