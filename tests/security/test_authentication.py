"""Sign-in: throttled per username and per address, unlock by time and in the admin; Argon2 hashes; validators;
sessions that expire; password reset by a queued e-mail, rate-limited."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, username="marketer", password="wrong", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_after_the_failure_limit_even_the_right_password_is_refused(client, marketer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client).status_code == 200
    assert attempt(client).status_code == 429  # the last allowed failure locks
    locked = attempt(client, password="password")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode() and "15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_count_per_username_from_any_address(marketer, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"))
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), password="password").status_code == 429


def test_failures_count_per_address_across_usernames(marketer, settings):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username=f"guess{n}")
    assert attempt(client, password="password").status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.1.1.2"), password="password").status_code == 302  # another network


def test_x_forwarded_for_is_believed_only_when_configured(marketer, settings):
    # Unconfigured, a forged header does not let an attacker spread attempts over made-up addresses.
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(REMOTE_ADDR="10.2.2.2"), username=f"g{n}", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert attempt(Client(REMOTE_ADDR="10.2.2.2"), password="password").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    behind = Client(REMOTE_ADDR="10.2.2.2")
    assert attempt(behind, password="password", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302


def test_a_lockout_ends_by_time(client, marketer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt(client, password="password").status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, marketer, admin_client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client)
    assert attempt(client, password="password").status_code == 429
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    admin_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert not AccessAttempt.objects.exists()
    assert attempt(client, password="password").status_code == 302


def test_a_success_resets_the_count(client, marketer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client)
    assert attempt(client, password="password").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client)
    assert attempt(client, password="password").status_code == 302


def test_passwords_are_argon2_and_old_hashes_are_upgraded_at_login(client):
    user = UserFactory(username="old")
    user.password = make_password("an old passphrase", hasher="pbkdf2_sha256")
    user.save()
    assert attempt(client, username="old", password="an old passphrase").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert make_password("x").startswith("argon2$")


def test_password_validators_refuse_weak_passwords(admin_client):
    user = UserFactory(username="weak")
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/", {"password1": "12345678", "password2": "12345678"}
    )
    page = response.content.decode()
    assert "too common" in page or "entirely numeric" in page


def test_sessions_expire_and_staff_sessions_end_with_the_browser(client, marketer, settings):
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    attempt(client, password="password")
    assert not client.session.get_expire_at_browser_close()
    staff = UserFactory(username="staffer", is_staff=True)
    other = Client()
    attempt(other, username=staff.username, password="password")
    assert other.session.get_expire_at_browser_close()


def test_password_reset_sends_a_queued_email_and_the_link_works(
    client, marketer, celery_eager, django_capture_on_commit_callbacks
):
    marketer.email = "m@example.com"
    marketer.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": "m@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["m@example.com"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/") :]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"},
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(pk=marketer.pk).check_password("a long new passphrase 42")


def test_password_reset_requests_are_rate_limited(client, settings, celery_eager):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": (3, 3600)}
    for _ in range(3):
        assert client.post("/accounts/password-reset/", {"email": "x@example.com"}).status_code == 302
    refused = client.post("/accounts/password-reset/", {"email": "x@example.com"})
    assert refused.status_code == 429 and "password-reset requests" in refused.content.decode()
