"""Per-user limits on exports and searches: a clear 429 page past them; other users are not affected."""

import pytest
from django.test import Client

from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings, monkeypatch):
    # One fixed moment: a window boundary falling between the requests would start a new count (a flaky test).
    monkeypatch.setattr("config.ratelimit._now", lambda: 1_800_000_030.0)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (2, 600), "search": (3, 60)}


def test_exports_past_the_limit_answer_429(tight, marketer_client, marketer):
    campaign = CampaignFactory(brand=marketer.memberships.get().brand)
    assert marketer_client.get("/creators/export.csv").status_code == 200
    assert marketer_client.get(f"/campaigns/{campaign.pk}/export.csv").status_code == 200
    refused = marketer_client.get("/creators/export.csv")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "many exports" in refused.content.decode()
    other = Client()
    other.force_login(UserFactory(username="someone-else"))
    assert other.get("/creators/export.csv").status_code == 200  # per user


def test_searches_past_the_limit_answer_429_and_the_plain_directory_still_opens(tight, marketer_client):
    for n in range(3):
        assert marketer_client.get(f"/creators/?q=a{n}").status_code == 200
    refused = marketer_client.get("/creators/?q=more")
    assert refused.status_code == 429 and "many searches" in refused.content.decode()
    assert marketer_client.get("/creators/").status_code == 200


def test_without_the_cache_requests_are_allowed(tight, marketer_client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "incr", down)
    for _ in range(5):
        assert marketer_client.get("/creators/export.csv").status_code == 200


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(marketer_client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = marketer_client.post("/shortlists/", {"name": "x" * 5000})
    assert response.status_code == 413 and "nothing was read" in response.content.decode()
