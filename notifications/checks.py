"""Start-up check: every event's template renders with its sample context in every language, so a broken
template fails loudly (manage.py check, runserver, migrate, the test run) instead of at the first event."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.templates)
def event_templates_render(app_configs=None, **kwargs) -> list[Error]:
    from .events import EVENTS
    from .services import render_event

    errors = []
    for event, spec in EVENTS.items():
        for language, _name in settings.LANGUAGES:
            try:
                text = render_event(event, spec.sample, language)
            except Exception as error:  # noqa: BLE001  any failure is the finding
                errors.append(Error(f"notification template for “{event}” ({language}) does not render: {error!r}",
                                    hint=f"notifications/templates/notifications/events/{event}.txt",
                                    id="notifications.E001"))
                continue
            if not text["title"] or not text["body"] or (spec.sms and not text["sms"]):
                errors.append(Error(f"notification template for “{event}” ({language}) renders an empty "
                                    "title, body or SMS text",
                                    hint=f"notifications/templates/notifications/events/{event}.txt",
                                    id="notifications.E002"))
    return errors
