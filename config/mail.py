"""E-mail from the app: sent by a Celery task after the transaction commits (CONTRACT section 9)."""

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

log = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_kwargs={"max_retries": 5})
def send_email(self, *, subject: str, body: str, to: list[str], html: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_after_commit(*, subject: str, body: str, to: list[str], html: str = "") -> None:
    """Queue the message once the current transaction commits; sent at once when the broker is unreachable."""
    kwargs = {"subject": subject, "body": body, "to": to, "html": html}

    def queue() -> None:
        try:
            send_email.delay(**kwargs)
        except Exception:  # the broker is down: a user waiting for a sign-in e-mail should still get it
            log.warning("mail queue unavailable; sending %r directly", subject)
            send_email.run(**kwargs)

    transaction.on_commit(queue)
