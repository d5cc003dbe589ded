"""A form's address opened in the browser (a link, or the login's ``next`` after a session expired) shows a page
that says what happened, not Django's empty 405; other clients keep the plain 405."""

import pytest
from django.urls import reverse

from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db


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
