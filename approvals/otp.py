"""One-time codes for re-authentication before signing, through a pluggable sender.

A sender is a class with `send(user, code, purpose)`. The development backend writes to the log;
a real SMS gateway is a class named in settings.OTP_SENDER."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("approvals.otp")


class LogSender:
    def send(self, user, code: str, purpose: str) -> None:
        logger.warning("one-time code for %s (%s): %s", user.get_username(), purpose, code)


class MemorySender:
    """For tests: keeps what it sent."""

    outbox: list[tuple[str, str, str]] = []

    def send(self, user, code: str, purpose: str) -> None:
        self.outbox.append((user.get_username(), code, purpose))


def get_sender():
    return import_string(settings.OTP_SENDER)()
