"""Texts about reliability shown by other apps (approvals.middleware's 503), kept in this app's catalog."""

from django.utils.translation import gettext_lazy as _

DATABASE_UNAVAILABLE = _("The database is unavailable for a moment. Nothing of this request was saved; "
                         "please try again shortly.")
SERVICE_UNAVAILABLE = _("Service temporarily unavailable")
