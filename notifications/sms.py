"""SMS senders. The class named by settings.NOTIFICATIONS_SMS_BACKEND sends every SMS.

Interface for a real gateway (subclass BaseSMSBackend, name it in NOTIFICATIONS_SMS_BACKEND):

    class MyGateway(BaseSMSBackend):
        def send(self, *, phone: str, text: str) -> str:
            ...  # call the gateway; return its message id
            # raise SMSError (or any exception) when the gateway refuses or cannot be reached:
            # the delivery is retried with backoff, then shown on the failed-deliveries page

A sender is built once per delivery attempt with no arguments; read its credentials from settings/env."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class SMSError(Exception):
    """The gateway refused or could not be reached; the delivery will be retried."""


class BaseSMSBackend:
    def send(self, *, phone: str, text: str) -> str:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """The embedded default: writes each SMS to the log (logger "notifications.sms") instead of sending it."""

    def send(self, *, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return ""


def sms_backend() -> BaseSMSBackend:
    return import_string(settings.NOTIFICATIONS_SMS_BACKEND)()
