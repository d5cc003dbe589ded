"""Login is required everywhere but login, logout and /healthz."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROTECTED = ["/", "/creators/", "/creators/export.csv", "/creators/import/", "/campaigns/", "/partnerships/"]


@pytest.mark.parametrize("url", PROTECTED)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_admin_sends_anonymous_visitors_to_a_login_page(client):
    response = client.get("/admin/creators/creator/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_login_page_is_public_and_styled(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"css/app.css" in response.content
    assert b'<label for="id_username">' in response.content


def test_logging_in_and_out(client, marketer):
    response = client.post("/accounts/login/", {"username": "marketer", "password": "password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_a_clear_message(client, marketer):
    response = client.post("/accounts/login/", {"username": "marketer", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


@pytest.mark.parametrize("url", PROTECTED[:3] + PROTECTED[4:])
def test_a_logged_in_marketer_sees_the_pages(marketer_client, url):
    assert marketer_client.get(url).status_code == 200


def test_the_import_page_is_for_staff_only(marketer_client, admin_client):
    assert marketer_client.get("/creators/import/").status_code == 403
    assert admin_client.get("/creators/import/").status_code == 200


def test_every_response_carries_a_content_security_policy(client):
    assert "default-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]
