"""The notification service (issue 12): `notify()` writes one Message per recipient and one Delivery per
outward channel in the caller's transaction; after it commits a Celery task sends them. A delivery that fails is
retried with exponential backoff by the relay (a beat task, so a broker outage loses nothing), then marked
failed for staff to retry. Keys (event:object:recipient, + channel) make every send happen once."""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role
from outbox.services import insert_new

from .events import EVENTS
from .models import Channel, Delivery, DeliveryStatus, Message, Preference
from .sms import sms_backend

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Who is told: a login account, a subject (applicant, licensee, organisation), or both."""

    user: object | None = None
    subject: object | None = None
    email: str = ""
    phone: str = ""
    language: str = ""

    @property
    def key(self) -> str:
        return f"s{self.subject.pk}" if self.subject is not None else f"u{self.user.pk}"


def language_of_user(user) -> str:
    """A subject's own language, else the user's notification preference, else the default (Chinese)."""
    subject = getattr(user, "subject", None) if user is not None else None
    if subject is not None:
        return subject.language or settings.LANGUAGE_CODE
    preference = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    return preference or settings.LANGUAGE_CODE


def for_subject(subject) -> list[Recipient]:
    """The subject itself (its own e-mail/phone; its login if a person) and, for an organisation, its legal
    representative and authorised agents (they act for it: approvals.selectors.visibility). An organisation
    gets its own copy when it has its own e-mail or phone, or when none of its people has a login (then the
    copy is the record that it was told)."""
    people = [subject]
    if not subject.is_person:
        people = [subject.legal_representative, *subject.agents.all()]
        if subject.email or subject.phone or not any(p.user_id for p in people if p is not None):
            people.insert(0, subject)
    seen, recipients = set(), []
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        recipients.append(Recipient(user=person.user if person.is_person else None, subject=person,
                                    email=person.email, phone=person.phone,
                                    language=person.language or settings.LANGUAGE_CODE))
    return recipients


def for_user(user) -> Recipient:
    subject = getattr(user, "subject", None)
    return Recipient(user=user, email=user.email or (subject.email if subject else ""),
                     phone=subject.phone if subject else "", language=language_of_user(user))


def for_role(*roles: str) -> list[Recipient]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("pk")
    return [for_user(user) for user in users]


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def render_event(event: str, context: dict, language: str) -> dict[str, str]:
    """{title, body, sms} of the event's template in the language (blocks rendered one by one, no escaping)."""
    with translation.override(language):
        template = get_template(f"notifications/events/{event}.txt").template
        ctx = Context({"authority": settings.AUTHORITY_NAME, **context}, autoescape=False)
        with ctx.render_context.push_state(template), ctx.bind_template(template):
            parts = {node.name: node.render(ctx) for node in template.nodelist.get_nodes_by_type(BlockNode)}
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in parts.get("body", "").splitlines()))
    return {"title": " ".join(parts.get("title", "").split())[:200], "body": body.strip(),
            "sms": " ".join(parts.get("sms", "").split())[:300]}


def object_key(obj) -> str:
    return f"{obj._meta.model_name}:{obj.pk}" if obj is not None else "-"


def notify(*, event: str, obj, recipients: list[Recipient], context: dict, link: str = "",
           key: str = "") -> list[Message]:
    """Tell each recipient about the event, once (by event, object or `key`, recipient). Call inside the
    event's transaction; the sending starts when it commits. A failure here is logged and never breaks the act
    (savepoint): the act is the legal fact, the message its courtesy."""
    return notify_many(event=event, items=[Item(obj, recipients, context, link, key)])


@dataclass
class Item:
    obj: object
    recipients: list
    context: dict
    link: str = ""
    key: str = ""


def notify_many(*, event: str, items: list[Item]) -> list[Message]:
    """notify() for many objects of one event (a draw's assignments, a package's licences): a few queries for
    all of them."""
    try:
        with transaction.atomic():
            return _notify(event, items)
    except Exception:  # noqa: BLE001
        logger.exception("notification %s for %s object(s) could not be recorded", event, len(items))
        return []


def _notify(event: str, items: list[Item]) -> list[Message]:
    spec = EVENTS[event]
    wanted: dict[str, tuple[Recipient, Item]] = {}
    for item in items:
        base = f"{event}:{item.key or object_key(item.obj)}"
        for recipient in item.recipients:
            wanted[f"{base}:{recipient.key}"[:200]] = (recipient, item)
    if not wanted:
        return []
    existing: set[str] = set()
    keys = list(wanted)
    if len(keys) > 1:  # many (a draw, a package): skip rendering what a re-run would only find there already
        for start in range(0, len(keys), 2000):
            existing.update(Message.objects.filter(key__in=keys[start:start + 2000]).values_list("key", flat=True))
    rows = []
    for message_key, (recipient, item) in wanted.items():
        if message_key in existing:
            continue
        language = recipient.language or settings.LANGUAGE_CODE
        text = render_event(event, {**item.context, "link_url": absolute(item.link)}, language)
        obj = item.obj
        rows.append(Message(
            key=message_key, event=event, recipient=recipient.user, subject=recipient.subject,
            object_type=obj._meta.label_lower if obj is not None else "", object_id=getattr(obj, "pk", None),
            language=language, title=text["title"], body=text["body"], sms_text=text["sms"] if spec.sms else "",
            link=item.link,
        ))
    if not rows:
        return []
    # one statement per batch: a key already there (a re-run, a concurrent twin) is skipped and not told again
    created: dict[str, Message] = {m.key: m for m in insert_new(Message, rows, key="key")}
    now = timezone.now()
    deliveries = []
    for message_key, message in created.items():
        recipient = wanted[message_key][0]
        if recipient.email:
            deliveries.append(Delivery(message=message, channel=Channel.EMAIL, address=recipient.email,
                                       next_attempt_at=now))
        if recipient.phone and message.sms_text:
            deliveries.append(Delivery(message=message, channel=Channel.SMS, address=recipient.phone,
                                       next_attempt_at=now))
    if deliveries:
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
        ids = list(Delivery.objects.filter(message__in=[m.pk for m in created.values()],
                                           status=DeliveryStatus.PENDING).values_list("pk", flat=True))
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return list(created.values())


def enqueue(delivery_ids: list[int]) -> None:
    """Hand the deliveries to the worker; with the broker down they wait for the relay (they are rows)."""
    from .tasks import deliveries_send

    try:
        deliveries_send.delay(delivery_ids)
    except Exception:  # noqa: BLE001  (kombu OperationalError and the like)
        logger.warning("broker unavailable: %s deliveries left to the relay", len(delivery_ids), exc_info=True)


def _send(delivery: Delivery) -> str:
    message = delivery.message
    if delivery.channel == Channel.EMAIL:
        EmailMessage(subject=message.title, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
                     to=[delivery.address]).send(fail_silently=False)
        return ""
    return sms_backend().send(phone=delivery.address, text=message.sms_text) or ""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def delivery_send(*, delivery_id: int, now=None) -> str:
    """Send one pending delivery that is due; record the outcome. Two workers never send it twice at once
    (row lock, skip a locked row). -> its status afterwards ("" if it was not due or not pending)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(skip_locked=True, of=("self",)).select_related("message")
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return ""
        delivery.attempts += 1
        try:
            delivery.provider_id = _send(delivery)[:100]
        except Exception as error:  # noqa: BLE001  any gateway failure is retried
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
                logger.error("delivery %s failed after %s attempts: %s", delivery.pk, delivery.attempts,
                             delivery.last_error)
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        else:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error",
                                     "provider_id"])
        return delivery.status


def deliveries_relay(*, now=None, limit: int = 500) -> int:
    """Send what is pending and due: retries after their backoff, and rows whose task never ran (broker down,
    worker lost). -> how many were tried."""
    now = now or timezone.now()
    due = list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in due:
        delivery_send(delivery_id=pk, now=now)
    return len(due)


def require_delivery_staff(user) -> None:
    if not has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only staff and administrators may see and retry failed deliveries."))


@transaction.atomic
def delivery_retry(*, delivery_id: int, by) -> Delivery:
    """Staff retry a failed delivery: it is tried again at once, with a fresh round of attempts."""
    require_delivery_staff(by)
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != DeliveryStatus.FAILED:
        return delivery
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, timezone.now()
    delivery.last_error = _("retried by %(user)s; previous error: %(error)s") % {
        "user": by.get_username(), "error": delivery.last_error}
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    transaction.on_commit(partial(enqueue, [delivery.pk]), robust=True)
    logger.info("delivery %s retried by %s", delivery.pk, by.get_username())
    return delivery


def message_mark_read(*, message: Message, by) -> Message:
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.read_at = timezone.now()
    return message


def messages_mark_all_read(*, by) -> int:
    return Message.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def preference_set(*, user, language: str) -> Preference:
    if language not in dict(settings.LANGUAGES):
        from django.core.exceptions import ValidationError

        raise ValidationError({"language": _("Choose one of the offered languages.")})
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"language": language})
    return preference
