"""Celery tasks of the brand workspace: thin interfaces over the services."""

from celery import shared_task
from django.db import DatabaseError

from . import reminders


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(DatabaseError,), retry_backoff=2, max_retries=8)
def partnership_reminders() -> int:
    """Refresh every partnership's health and e-mail renewal reminders (each at most once)."""
    return reminders.send_due_reminders()
