"""The brand's part of the creator page and the campaign board are read once and then served from the cache until
the brand's next write: fewer queries on a second view, and never a stale page after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.fragments import CSRF_PLACEHOLDER
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        page = client.get(url)
    assert page.status_code == 200
    return len(seen.captured_queries), page.content.decode()


def test_the_creator_page_reads_the_brands_part_once_and_shows_a_new_entry_at_once(alice_client, brand_a):
    creator = CreatorFactory(name="Ana")
    CollaborationFactory(campaign__brand=brand_a, creator=creator)
    url = f"/creators/{creator.pk}/"
    first, _ = queries(alice_client, url)
    second, page = queries(alice_client, url)
    assert second <= first - 6, (first, second)  # the seven reads of the brand's part are cached
    assert "No entries yet." in page
    alice_client.post(
        f"/creators/{creator.pk}/log/", {"kind": "note", "date": "2026-12-01", "summary": "Met at the expo"}
    )
    _, page = queries(alice_client, url)
    assert "Met at the expo" in page


def test_the_board_is_cached_with_each_requests_csrf_token_and_fresh_after_a_move(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    collaboration = CollaborationFactory(campaign=campaign, creator=CreatorFactory(name="Ana"))
    url = f"/campaigns/{campaign.pk}/"
    first, _ = queries(alice_client, url)
    second, page = queries(alice_client, url)
    assert second < first and CSRF_PLACEHOLDER not in page
    token = alice_client.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken" value="' in page and token
    alice_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": "negotiating"})
    _, page = queries(alice_client, url)
    assert '<option value="negotiating" selected>' in page.split(f'id="move-{collaboration.pk}"')[1][:2000]


def test_another_brands_write_does_not_show_and_the_admin_refreshes_all(alice_client, brand_a, admin_client):
    campaign = CampaignFactory(brand=brand_a, name="Spring")
    url = f"/campaigns/{campaign.pk}/"
    queries(alice_client, url)
    collaboration = CollaborationFactory(campaign=campaign, creator=CreatorFactory(name="Late Larry"))
    # A change outside the app's requests (a script) shows after the next write of the brand or an admin's.
    admin_client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", {})
    _, page = queries(alice_client, url)
    assert "Late Larry" in page and collaboration.pk
