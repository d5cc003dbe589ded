"""Outreach's Celery tasks: thin interfaces over the services."""

from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def send_due() -> int:
    """Send the outreach messages that are due (first messages and follow-ups)."""
    return services.send_due()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=3)
def poll_replies() -> dict:
    """Take in the replies waiting in the INBOUND_IMAP_URL mailbox (nothing when it is unset)."""
    from . import imap

    return imap.poll()
