from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_it_answers_503_when_the_database_does_not(client):
    with mock.patch("config.health.database_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_a_broker_that_does_not_answer_is_reported_but_not_fatal(client, settings):
    with mock.patch("config.health.app.connection_for_write", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_favicon_ico(client):
    # Issue 15, defect 7: /favicon.ico answered 404 on every page.
    from django.contrib.staticfiles import finders

    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("img/favicon.svg")
