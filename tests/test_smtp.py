"""E-mail over a real SMTP connection (aiosmtpd started by the test): a creator's portal sign-in link, a brand
invitation and a notification digest, each queued as a Celery task after the transaction commits (CONTRACT §9)."""

import re

import pytest
from django.test import Client

from campaigns.models import Partnership
from tests.factories import CreatorFactory, MembershipFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_portal_sign_in_link_arrives_over_smtp_and_signs_in(
    smtp_server, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Microreach <hello@microreach.example>"
    CreatorFactory(name="Ana", email="ana@example.com")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/", {"email": "ana@example.com"})
    [message] = smtp_server.wait(1)
    assert message.envelope_to == ["ana@example.com"] and message["From"] == "Microreach <hello@microreach.example>"
    path = re.search(r"https?://[^/\s]+(/portal/link/\S+/)", body(message)).group(1)
    assert client.post(path).url == "/portal/collaborations/"


def test_an_invitation_arrives_over_smtp(smtp_server, celery_eager, django_capture_on_commit_callbacks):
    boss = UserFactory(username="boss")
    MembershipFactory(user=boss, brand__name="Verde", role="manager")
    client = Client()
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/brand/invite/", {"email": "lena@example.com", "role": "member"})
    [message] = smtp_server.wait(1)
    assert message.envelope_to == ["lena@example.com"] and "Verde" in message["Subject"]
    assert "/invitations/" in body(message)


def test_a_digest_arrives_over_smtp(smtp_server, celery_eager, django_capture_on_commit_callbacks):
    from workspace import notifications
    from workspace.models import NotificationSettings

    user = UserFactory(username="mara", email="mara@example.com")
    brand = MembershipFactory(user=user).brand
    p = PartnershipFactory(brand=brand, creator=CreatorFactory(name="Ben"))
    Partnership.objects.filter(pk=p.pk).update(health=Partnership.Health.BEHIND, health_reason="late")
    NotificationSettings.objects.create(user=user, email_digest=True)
    notifications.notifications_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.digests_send()
    [message] = smtp_server.wait(1)
    assert message.envelope_to == ["mara@example.com"] and "Ben is behind its cadence" in body(message)


def test_an_unreachable_smtp_server_is_an_error_the_task_retries(settings):
    from config.mail import send_email

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    result = send_email.apply(kwargs={"subject": "Hello", "body": "Hi", "to": ["ana@example.com"]})
    # Run in place (eagerly) the task cannot be queued again, so the error shows; a worker retries it with a back-off
    # because the error is one the task lists.
    assert isinstance(result.result, send_email.autoretry_for) and isinstance(result.result, ConnectionRefusedError)
    assert send_email.retry_kwargs["max_retries"] >= 3
