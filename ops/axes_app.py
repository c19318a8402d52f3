"""django-axes (the login lockout, config/settings/base.py) under a name administrators read: its admin section
was headed "Axes". INSTALLED_APPS lists this config instead of "axes"; the app stays axes (label, models,
migrations), only its verbose name is ours. Its models' and fields' names are translated in locale_vendor/."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesConfig):
    verbose_name = _("login protection")
