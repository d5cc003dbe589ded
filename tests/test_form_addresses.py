"""A form's address opened in the browser shows a page that says what happened, not Django's empty 405 (other
clients keep the plain 405); a form sent after the session ended comes back to its page after sign-in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


def next_of(response) -> str:
    """Where the login page a response sends to will send the user afterwards."""
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    return parse_qs(location.query)["next"][0]


def test_a_form_address_opened_in_the_browser_explains_itself(marketer_client):
    url = reverse("campaigns:relationship_entry_add", args=[CreatorFactory().pk])
    response = marketer_client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "This address takes a form, not a visit" in page and "send it again" in page
    assert "Content-Security-Policy" in response.headers and response["X-Frame-Options"] == "DENY"


def test_the_portal_form_addresses_explain_themselves_without_a_sign_in(client):
    response = client.get(reverse("portal:sign_out"), HTTP_ACCEPT="text/html")
    assert response.status_code == 405 and "This address takes a form" in response.content.decode()


def test_a_client_that_does_not_take_html_keeps_the_plain_405(marketer_client):
    url = reverse("campaigns:relationship_entry_add", args=[CreatorFactory().pk])
    response = marketer_client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 405 and response.content == b"" and response["Allow"] == "POST"


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page_after_sign_in(client, marketer):
    creator = CreatorFactory()
    form_page = f"/creators/{creator.pk}/?tab=log"
    url = reverse("campaigns:relationship_entry_add", args=[creator.pk])
    response = client.post(url, {"note": "Called"}, HTTP_REFERER=f"http://testserver{form_page}")
    assert response.status_code == 302 and next_of(response) == form_page
    login = client.get(response["Location"]).content.decode()
    assert "You were signed out before the form was sent: sign in, then send it again." in login
    signed_in = client.post(response["Location"], {"username": marketer.username, "password": "password"})
    assert signed_in["Location"] == form_page


@pytest.mark.parametrize(
    "referer",
    [
        "",
        "https://evil.example/creators/1/",
        "//evil.example/x",
        "javascript:alert(1)",
        "http://testserver//evil.example/",
    ],
)
def test_a_form_sent_signed_out_from_elsewhere_or_nowhere_comes_back_to_the_dashboard(client, referer):
    url = reverse("campaigns:relationship_entry_add", args=[CreatorFactory().pk])
    response = client.post(url, {"note": "Called"}, HTTP_REFERER=referer)
    assert response.status_code == 302 and next_of(response) == "/"


def test_a_page_visited_signed_out_still_comes_back_to_itself(client):
    response = client.get("/campaigns/?page=2")
    assert next_of(response) == "/campaigns/?page=2"
