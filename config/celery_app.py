"""The Celery app: ``celery -A config worker`` / ``celery -A config beat``."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("microreach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_logging(*args, **kwargs) -> None:
    """Log through Django's LOGGING rather than Celery's own configuration."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
