"""Demo messages: the demo logins get e-mail addresses, so what the authority sent them shows in the product
(the bell) and on the console (the embedded e-mail backend prints each e-mail). Safe to run again: an address
already set is kept, and each message and delivery exists once (their keys)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from approvals.models import Subject

from notifications.models import Channel, Delivery, Message
from notifications.reminders import digest_run, reminders_run
from notifications.services import enqueue

# username -> e-mail of the demo logins (load_demo), and the demo persons by name
USER_EMAILS = {"window": "window@demo.gov.cn", "supervisor": "supervisor@demo.gov.cn",
               "inspector": "inspector@demo.gov.cn", "admin": "admin@demo.gov.cn"}
SUBJECT_EMAILS = {"张伟": "zhangwei@example.cn", "德州市示范小餐饮有限公司": "office@restaurant.example.cn",
                  "陈刚": "chengang@example.cn"}


class Command(BaseCommand):
    help = "Give the demo logins e-mail addresses and send them their messages (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for username, email in USER_EMAILS.items():
            User.objects.filter(username=username, email="").update(email=email)
        for name, email in SUBJECT_EMAILS.items():
            Subject.objects.filter(name=name, email="").update(email=email)
        # messages written before the demo addresses existed get their e-mail now (once: one per channel)
        added = []
        addresses = {**{s.pk: ("subject", s.email) for s in Subject.objects.exclude(email="")}}
        users = dict(User.objects.exclude(email="").values_list("pk", "email"))
        missing = Message.objects.exclude(deliveries__channel=Channel.EMAIL).filter(
            Q(subject__in=list(addresses)) | Q(subject__isnull=True, recipient__in=list(users)))
        for message in missing:
            email = addresses[message.subject_id][1] if message.subject_id else users.get(message.recipient_id)
            if email:
                added.append(Delivery(message=message, channel=Channel.EMAIL, address=email,
                                      next_attempt_at=timezone.now()))
        Delivery.objects.bulk_create(added, ignore_conflicts=True)
        ids = list(Delivery.objects.filter(status="pending").values_list("pk", flat=True))
        transaction.on_commit(lambda: enqueue(ids), robust=True)
        reminders = reminders_run(today=timezone.localdate())
        digests = digest_run(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(
            f"demo notifications: {Message.objects.count()} messages, {len(added)} e-mails added, "
            f"{sum(reminders.values())} reminders, {digests} digests"))
