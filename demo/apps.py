from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data across all apps (`manage.py load_demo`); sits above every other app."""

    name = "demo"
