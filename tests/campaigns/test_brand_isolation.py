"""A member of brand A gets 404 for every object of brand B, on every URL, and cannot attach B's objects."""

import pytest

from campaigns.models import Campaign, Collaboration, Deliverable, Partnership, ShortlistEntry, StageChange
from tests.factories import CreatorFactory

pytestmark = pytest.mark.django_db

GET_URLS = [
    "/campaigns/{campaign}/",
    "/campaigns/{campaign}/edit/",
    "/campaigns/{campaign}/export.csv",
    "/collaborations/{collaboration}/",
    "/deliverables/{deliverable}/edit/",
    "/partnerships/{partnership}/",
    "/partnerships/{partnership}/edit/",
    "/shortlists/{shortlist}/",
]
POST_URLS = [
    ("/campaigns/{campaign}/edit/", {"name": "Hijacked", "status": "active", "budget": "1", "currency": "USD"}),
    ("/campaigns/{campaign}/archive/", {}),
    ("/campaigns/{campaign}/add-creators/", {"creator": "{creator}"}),
    ("/collaborations/{collaboration}/", {"fee": "1", "notes": "x"}),
    ("/collaborations/{collaboration}/move/", {"stage": "paid"}),
    ("/collaborations/{collaboration}/deliverables/new/", {"kind": "post", "status": "pending"}),
    ("/deliverables/{deliverable}/edit/", {"kind": "post", "status": "approved"}),
    (
        "/partnerships/{partnership}/edit/",
        {"status": "ended", "start_date": "2026-01-01", "cadence": "1", "retainer_fee": "1"},
    ),
    ("/shortlists/{shortlist}/add/", {"creator": "{creator}"}),
    ("/shortlist-entries/{shortlist_entry}/remove/", {}),
]


def fill(template: str, objects: dict, creator) -> str:
    return template.format(**{k: v.pk for k, v in objects.items()}, creator=creator.pk)


def snapshot():
    return (
        list(Campaign.objects.values_list("pk", "name", "status", "budget")),
        list(Collaboration.objects.values_list("pk", "stage", "fee", "notes")),
        list(Deliverable.objects.values_list("pk", "status")),
        list(Partnership.objects.values_list("pk", "status")),
        ShortlistEntry.objects.count(),
        StageChange.objects.count(),
    )


@pytest.mark.parametrize("template", GET_URLS)
def test_reading_another_brands_object_is_404(alice_client, b_objects, template):
    creator = CreatorFactory()
    assert alice_client.get(fill(template, b_objects, creator)).status_code == 404


@pytest.mark.parametrize(("template", "data"), POST_URLS)
def test_changing_another_brands_object_is_404_and_changes_nothing(alice_client, b_objects, template, data):
    creator = CreatorFactory()
    before = snapshot()
    data = {k: fill(v, b_objects, creator) for k, v in data.items()}
    assert alice_client.post(fill(template, b_objects, creator), data).status_code == 404
    assert snapshot() == before


def test_the_bulk_add_rejects_another_brands_campaign_and_shortlist(alice_client, b_objects):
    creator = CreatorFactory()
    before = snapshot()
    for target in (f"campaign:{b_objects['campaign'].pk}", f"shortlist:{b_objects['shortlist'].pk}"):
        assert alice_client.post("/creators/bulk-add/", {"target": target, "creator": creator.pk}).status_code == 404
    assert snapshot() == before


def test_lists_show_only_the_users_brand(alice_client, brand_a, b_objects):
    from tests.factories import CampaignFactory, PartnershipFactory

    CampaignFactory(brand=brand_a, name="Alpha visible campaign")
    PartnershipFactory(brand=brand_a)
    campaigns = alice_client.get("/campaigns/").content.decode()
    assert "Alpha visible campaign" in campaigns and "Beta secret launch" not in campaigns
    partnerships = alice_client.get("/partnerships/")
    assert [p.brand_id for p in partnerships.context["page"]] == [brand_a.pk]


def test_switching_to_a_brand_one_is_not_in_is_404(alice_client, brand_b):
    assert alice_client.post("/brands/switch/", {"brand": brand_b.pk}).status_code == 404
    assert alice_client.post("/brands/switch/", {"brand": "nonsense"}).status_code == 404


def test_the_creator_page_shows_only_the_current_brands_history(alice_client, brand_a, b_objects):
    from tests.factories import RelationshipEntryFactory

    creator = b_objects["collaboration"].creator
    RelationshipEntryFactory(brand=b_objects["campaign"].brand, creator=creator, summary="Beta private note")
    RelationshipEntryFactory(brand=brand_a, creator=creator, summary="Alpha own note")
    page = alice_client.get(f"/creators/{creator.pk}/").content.decode()
    assert "Alpha own note" in page
    assert "Beta private note" not in page and "Beta secret launch" not in page


def test_a_user_in_two_brands_switches_between_them(client, alice, brand_a, brand_b, b_objects):
    from tests.factories import MembershipFactory

    MembershipFactory(brand=brand_b, user=alice)
    client.force_login(alice)
    assert client.get("/campaigns/").context["current_brand"] == brand_a
    client.post("/brands/switch/", {"brand": brand_b.pk})
    response = client.get("/campaigns/")
    assert response.context["current_brand"] == brand_b
    assert "Beta secret launch" in response.content.decode()
    assert client.get(f"/campaigns/{b_objects['campaign'].pk}/").status_code == 200


def test_a_user_without_a_brand_is_told_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="loner"))
    for url in ["/", "/campaigns/", "/partnerships/", "/shortlists/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"not in a brand yet" in response.content


def test_switching_brand_on_another_brands_campaign_goes_to_the_new_brands_list(
    client, alice, brand_a, brand_b, b_objects
):
    # Issue 15, defect 8: the page used to show Beta's campaign under Alpha's header.
    from tests.factories import MembershipFactory, PartnershipFactory

    MembershipFactory(brand=brand_b, user=alice)
    client.force_login(alice)
    campaign = b_objects["campaign"]
    client.post("/brands/switch/", {"brand": brand_b.pk})
    on_campaign = client.post("/brands/switch/", {"brand": brand_a.pk, "next": f"/campaigns/{campaign.pk}/?tab=board"})
    assert on_campaign["Location"] == "/campaigns/"
    partnership = PartnershipFactory(brand=brand_b)
    on_partnership = client.post("/brands/switch/", {"brand": brand_a.pk, "next": f"/partnerships/{partnership.pk}/"})
    assert on_partnership["Location"] == "/partnerships/"
    on_creator = client.post("/brands/switch/", {"brand": brand_a.pk, "next": "/creators/5/"})  # shared by brands
    assert on_creator["Location"] == "/creators/5/"
    elsewhere = client.post("/brands/switch/", {"brand": brand_a.pk, "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"
