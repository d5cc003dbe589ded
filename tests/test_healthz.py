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
