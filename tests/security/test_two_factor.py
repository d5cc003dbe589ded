"""TOTP two-factor sign-in: required for superusers in production, with recovery codes that work once."""

import os
import subprocess
import sys

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": "password"}).status_code == 302
    return client


def code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def production(settings):
    settings.TWO_FACTOR_FOR_SUPERUSERS = True
    return settings


def test_production_settings_require_it_for_superusers():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60}
    script = "from django.conf import settings; print(settings.TWO_FACTOR_FOR_SUPERUSERS)"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); {script}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.stdout.strip() == "True", out.stderr


def test_a_superuser_without_a_device_must_set_one_up_and_gets_recovery_codes(production):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = login("root")
    for url in ["/", "/admin/", "/creators/import/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next="), url
    page = client.get("/accounts/two-factor/?next=/admin/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="root", confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"otp_token": "000000", "next": "/admin/"})
    assert "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    shown = client.post("/accounts/two-factor/", {"otp_token": code(device), "next": "/admin/"})
    assert shown.status_code == 200 and len(shown.context["codes"]) == 10
    assert shown["Cache-Control"] == "no-store"
    assert client.get("/admin/").status_code == 200  # verified for this session


def test_a_marketer_is_not_asked(production, marketer):
    assert login("marketer").get("/").status_code == 200


@pytest.fixture
def enrolled(production):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_a_user_with_a_device_proves_it_after_the_password(enrolled):
    _, device = enrolled
    client = login("root")
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fadmin%2F"
    assert client.post("/accounts/two-factor/verify/", {"otp_token": "123"}).status_code == 200
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/accounts/two-factor/verify/", {"otp_token": code(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_verify_page_never_redirects_off_site(enrolled):
    _, device = enrolled
    client = login("root")
    ok = client.post("/accounts/two-factor/verify/", {"otp_token": code(device), "next": "//evil.example/"})
    assert ok["Location"] == "/"


def test_a_recovery_code_works_once(enrolled):
    user, device = enrolled
    client = login("root")
    client.post("/accounts/two-factor/verify/", {"otp_token": code(device)})
    codes = client.post("/accounts/two-factor/").context["codes"]  # new recovery codes, while verified
    assert StaticToken.objects.filter(device__user=user).count() == 10
    first = Client()
    login_page = first.post("/accounts/login/", {"username": "root", "password": "password"})
    assert login_page.status_code == 302
    assert first.post("/accounts/two-factor/verify/", {"otp_token": codes[0].upper()}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = login("root")
    assert again.post("/accounts/two-factor/verify/", {"otp_token": codes[0]}).status_code == 200
    assert again.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_guessing_codes_is_throttled(enrolled):
    _, device = enrolled
    client = login("root")
    for _ in range(3):
        client.post("/accounts/two-factor/verify/", {"otp_token": "000000"})
    # After failures django-otp makes the user wait, even for the right code.
    refused = client.post("/accounts/two-factor/verify/", {"otp_token": code(device)})
    assert refused.status_code == 200 and "too many tries" in refused.content.decode()
