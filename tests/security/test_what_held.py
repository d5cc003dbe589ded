"""What the attack found holding, kept so: no stored XSS, no javascript:/data: URLs, brand not mass-assignable,
pages and saves that survive the cache and broker going down."""

import pytest
from django.test import override_settings

from campaigns.models import Campaign, Collaboration
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    CollaborationFactory,
    CreatorFactory,
    NicheFactory,
    PartnershipFactory,
    ShortlistEntryFactory,
    SocialAccountFactory,
)

pytestmark = pytest.mark.django_db
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>"
RAW = ("<script>alert(1)", "<img src=x onerror", "<svg onload")


@pytest.fixture
def hostile(marketer):
    brand = marketer.memberships.get().brand
    marketer.memberships.update(role="manager")
    niche = NicheFactory(name=PAYLOAD[:60])
    creator = CreatorFactory(name=PAYLOAD, city=PAYLOAD[:90], notes=PAYLOAD)
    creator.niches.add(niche)
    account = SocialAccountFactory(creator=creator, handle="x" + PAYLOAD[:40].replace(" ", ""), followers=5000)
    campaign = CampaignFactory(brand=brand, name=PAYLOAD[:100], objective=PAYLOAD)
    collaboration = CollaborationFactory(campaign=campaign, creator=creator, notes=PAYLOAD)
    partnership = PartnershipFactory(brand=brand, creator=creator, notes=PAYLOAD)
    entry = ShortlistEntryFactory(shortlist__brand=brand, shortlist__name=PAYLOAD[:100], creator=creator)
    return {
        "creator": creator,
        "account": account,
        "campaign": campaign,
        "collaboration": collaboration,
        "partnership": partnership,
        "shortlist": entry.shortlist,
        "niche": niche,
    }


def test_no_stored_script_runs_on_any_page_or_chart(marketer_client, admin_client, hostile):
    c = hostile
    pages = [
        "/",
        "/creators/",
        f"/creators/?q={c['creator'].name[:10]}",
        f"/creators/{c['creator'].pk}/",
        f"/creators/{c['creator'].pk}/er.svg",
        f"/creators/{c['creator'].pk}/accounts/{c['account'].pk}/growth.svg",
        "/campaigns/",
        f"/campaigns/{c['campaign'].pk}/",
        f"/campaigns/{c['campaign'].pk}/edit/",
        f"/collaborations/{c['collaboration'].pk}/",
        "/partnerships/",
        f"/partnerships/{c['partnership'].pk}/",
        "/shortlists/",
        f"/shortlists/{c['shortlist'].pk}/",
        "/activity/",
        "/charts/scatter.svg",
        "/charts/funnel.svg",
    ]
    for url in pages:
        response = marketer_client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert not any(raw in body for raw in RAW), url
    admin_pages = [
        "/admin/creators/creator/",
        f"/admin/creators/creator/{c['creator'].pk}/change/",
        "/admin/creators/socialaccount/",
        "/admin/creators/niche/",
        "/admin/campaigns/campaign/",
        f"/admin/campaigns/campaign/{c['campaign'].pk}/change/",
        "/admin/audit/auditevent/",
    ]
    for url in admin_pages:
        body = admin_client.get(url).content.decode()
        assert not any(raw in body for raw in RAW), url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"])
def test_script_urls_are_refused_in_the_admin(admin_client, url):
    account = SocialAccountFactory()
    response = admin_client.post(
        f"/admin/creators/socialaccount/{account.pk}/change/",
        {
            "creator": account.creator_id,
            "platform": account.platform,
            "handle": account.handle,
            "followers": account.followers,
            "profile_url": url,
        },
    )
    assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()
    account.refresh_from_db()
    assert account.profile_url != url


def test_the_brand_of_a_new_campaign_cannot_be_chosen_by_the_form(marketer_client, marketer):
    other = BrandFactory(name="Other")
    response = marketer_client.post(
        "/campaigns/new/", {"name": "Mine", "status": "draft", "budget": "100", "currency": "USD", "brand": other.pk}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Campaign.objects.get(name="Mine").brand == marketer.memberships.get().brand
    assert not other.campaigns.exists()


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
)
def test_pages_and_saves_survive_the_cache_and_broker_going_down(marketer_client, marketer, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("broker down")

    monkeypatch.setattr("config.queue.enqueue", broker_down)
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=marketer.memberships.get().brand))
    for url in ["/", "/creators/", f"/campaigns/{collaboration.campaign_id}/", "/creators/export.csv"]:
        assert marketer_client.get(url).status_code == 200, url
    moved = marketer_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": "contacted"})
    assert moved.status_code == 302
    assert Collaboration.objects.get(pk=collaboration.pk).stage == "contacted"
