import logging
import socket

from celery import shared_task
from django.utils import timezone

from .logs import current_request_id

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def heartbeat(name: str = "scheduler") -> str:
    """Sent by beat every minute (CELERY_BEAT_SCHEDULE): its arrival shows that beat and a worker both run;
    /readyz and `doctor` warn when it is late. Returns the request id it ran under (logged too)."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now(), "hostname": socket.gethostname()})
    logger.info("heartbeat %s", name)
    return current_request_id()
