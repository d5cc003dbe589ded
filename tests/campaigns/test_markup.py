"""Markup that assistive technology reads right (issue 15, defect 7): messages not as list items with another role,
no empty header cells, one id per element, and no empty form action."""

import re

import pytest

from tests.factories import CampaignFactory, CollaborationFactory, ShortlistEntryFactory

pytestmark = pytest.mark.django_db


def test_messages_are_a_status_region_not_list_items(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    page = alice_client.post(f"/campaigns/{campaign.pk}/add-creators/", {}, follow=True).content.decode()
    assert '<div class="messages" role="status"><p class="msg error">' in page and 'li class="msg' not in page


def test_the_collaboration_and_shortlist_pages_have_unique_ids_labelled_headers_and_real_actions(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    entry = ShortlistEntryFactory(shortlist__brand=brand_a)
    for url in (f"/collaborations/{collaboration.pk}/", f"/shortlists/{entry.shortlist_id}/"):
        page = alice_client.get(url).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (url, sorted(i for i in ids if ids.count(i) > 1))
        assert '<th scope="col"></th>' not in page and 'action=""' not in page, url
        assert "</p>\n  </p>" not in page


def test_scrollable_tables_can_be_reached_by_keyboard_and_are_named(alice_client, brand_a):
    # Issue 15, defect 7: a scrollable table region was not reachable by keyboard at 375 px (axe
    # scrollable-region-focusable).
    CampaignFactory(brand=brand_a)
    for url in ("/campaigns/", "/partnerships/", "/creators/", "/"):
        page = alice_client.get(url).content.decode()
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
        assert wraps, url
        assert all('tabindex="0"' in w and 'role="region"' in w and "aria-label=" in w for w in wraps), (url, wraps)


def test_pages_are_compressed_for_clients_that_accept_gzip(alice_client):
    import gzip

    response = alice_client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)
    assert "Content-Encoding" not in alice_client.get("/")  # a client without gzip gets plain HTML
