"""Scheduled jobs of the workspace: thin interfaces over the services."""

from celery import shared_task
from django.db import DatabaseError

from . import notifications, searches


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def saved_searches_refresh() -> int:
    return searches.saved_searches_refresh()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def notifications_refresh() -> int:
    """What needs someone now (hourly; each notice is made once per user and subject)."""
    return notifications.notifications_refresh()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def digests_send() -> int:
    """The daily e-mail of those who asked for one."""
    return notifications.digests_send()
