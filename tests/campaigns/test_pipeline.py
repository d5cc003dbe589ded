"""Campaign pages, the pipeline and its history, deliverables and validation messages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, Collaboration, Deliverable, StageChange
from creators import services as creator_services
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_creating_a_campaign(alice_client, brand_a):
    response = alice_client.post(
        "/campaigns/new/",
        {
            "name": "Spring",
            "status": "draft",
            "budget": "2500.00",
            "currency": "eur",
            "start_date": "2026-03-01",
            "end_date": "2026-04-01",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert (campaign.brand, campaign.currency, campaign.budget) == (brand_a, "EUR", 2500)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_date": "2026-04-01", "end_date": "2026-03-01"}, "The end date is before the start date."),
        ({"budget": "-5"}, "The budget cannot be negative."),
        ({"budget": "lots"}, "Enter a number."),
        ({"currency": "EURO"}, "at most 3 characters"),
        ({"currency": "E1"}, "three-letter ISO 4217 code"),
        ({"name": ""}, "This field is required."),
        ({"start_date": "2026-02-30"}, "Enter a valid date."),
    ],
)
def test_campaign_validation_messages(alice_client, data, message):
    base = {"name": "Spring", "status": "draft", "budget": "100", "currency": "USD"}
    response = alice_client.post("/campaigns/new/", base | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Campaign.objects.count() == 0


def test_adding_creators_moving_them_and_the_recorded_history(alice_client, alice, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    ana, ben = CreatorFactory(name="Ana"), CreatorFactory(name="Ben")
    alice_client.post(f"/campaigns/{campaign.pk}/add-creators/", {"creator": [ana.pk, ben.pk]})
    alice_client.post(f"/campaigns/{campaign.pk}/add-creators/", {"creator": [ana.pk]})  # already there
    assert campaign.collaborations.count() == 2
    collaboration = campaign.collaborations.get(creator=ana)
    for stage in ["contacted", "negotiating", "contracted"]:
        response = alice_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": stage})
        assert response.status_code == 302
    history = list(collaboration.stage_changes.values_list("from_stage", "to_stage", "changed_by__username"))
    assert history == [
        ("", "shortlisted", "alice"),
        ("shortlisted", "contacted", "alice"),
        ("contacted", "negotiating", "alice"),
        ("negotiating", "contracted", "alice"),
    ]
    page = alice_client.get(f"/collaborations/{collaboration.pk}/").content.decode()
    assert "Negotiating → <strong>Contracted</strong> by alice" in page


def test_moving_to_the_same_stage_records_nothing_and_a_bad_stage_is_a_message(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    alice_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": "shortlisted"})
    response = alice_client.post(f"/collaborations/{collaboration.pk}/move/", {"stage": "teleported"}, follow=True)
    assert "Choose a stage from the list." in response.content.decode()
    assert StageChange.objects.count() == 0


def test_the_board_shows_columns_by_stage(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    CollaborationFactory(campaign=campaign, creator=CreatorFactory(name="Ana"), stage="negotiating")
    response = alice_client.get(f"/campaigns/{campaign.pk}/")
    columns = {stage.value: [c.creator.name for c in items] for stage, items, _fees in response.context["columns"]}
    assert columns["negotiating"] == ["Ana"] and columns["shortlisted"] == []


def test_a_negative_fee_is_refused(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    response = alice_client.post(f"/collaborations/{collaboration.pk}/", {"fee": "-10", "notes": ""})
    assert "The fee cannot be negative." in response.content.decode()
    collaboration.refresh_from_db()
    assert collaboration.fee is None


def test_linking_a_post_publishes_the_deliverable(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    post = PostFactory(account=SocialAccountFactory(creator=collaboration.creator), likes=40)
    response = alice_client.post(
        f"/collaborations/{collaboration.pk}/deliverables/new/",
        {"kind": "reel", "status": "pending", "post_url": post.url},
    )
    assert response.status_code == 302
    deliverable = Deliverable.objects.get()
    assert (deliverable.post, deliverable.status) == (post, "published")


def test_a_post_of_another_creator_cannot_be_linked(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    other = PostFactory()
    response = alice_client.post(
        f"/collaborations/{collaboration.pk}/deliverables/new/",
        {"kind": "post", "status": "pending", "post_url": other.url},
    )
    assert response.status_code == 400
    assert "No post of this creator has this URL in Microreach yet" in response.content.decode()
    assert Deliverable.objects.count() == 0
    # Nor chosen by its id in the picker (which lists only the creator's own posts).
    response = alice_client.post(
        f"/collaborations/{collaboration.pk}/deliverables/new/", {"kind": "post", "status": "pending", "post": other.pk}
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert Deliverable.objects.count() == 0


def test_the_post_is_picked_from_the_creators_latest_posts(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    account = SocialAccountFactory(creator=collaboration.creator, platform="instagram", handle="ana.moves")
    post = PostFactory(account=account, likes=1200, comments=34)
    PostFactory()  # another creator's: not offered
    page = alice_client.get(f"/collaborations/{collaboration.pk}/").content.decode()
    assert "@ana.moves · 1,234 interactions" in page and page.count("interactions</option>") == 1
    response = alice_client.post(
        f"/collaborations/{collaboration.pk}/deliverables/new/", {"kind": "post", "status": "pending", "post": post.pk}
    )
    assert response.status_code == 302
    assert Deliverable.objects.get().post == post


def test_overdue_deliverables_are_shown(alice_client, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a, creator=CreatorFactory(name="Late Larry"))
    Deliverable.objects.create(collaboration=collaboration, due_date=date.today() - timedelta(days=1))
    Deliverable.objects.create(collaboration=collaboration, due_date=date.today() + timedelta(days=1))
    response = alice_client.get(f"/campaigns/{collaboration.campaign_id}/")
    assert len(response.context["overdue"]) == 1
    assert "Overdue deliverables" in response.content.decode()


def test_archiving_keeps_the_campaign(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    alice_client.post(f"/campaigns/{campaign.pk}/archive/")
    campaign.refresh_from_db()
    assert campaign.status == "archived"
    assert campaign not in alice_client.get("/campaigns/").context["page"].object_list
    assert campaign in alice_client.get("/campaigns/?status=archived").context["page"].object_list


def test_campaign_list_search_filter_and_pagination(alice_client, brand_a):
    for n in range(30):
        CampaignFactory(brand=brand_a, name=f"Launch {n}", status="draft" if n % 2 else "active")
    assert len(alice_client.get("/campaigns/").context["page"]) == 25
    assert len(alice_client.get("/campaigns/?page=2").context["page"]) == 5
    assert len(alice_client.get("/campaigns/?status=draft").context["page"].paginator.object_list) == 15
    assert [c.name for c in alice_client.get("/campaigns/?q=launch 7").context["page"]] == ["Launch 7"]
    assert alice_client.get("/campaigns/?page=abc&status=nonsense").status_code == 200


def test_the_campaign_export_has_collaborations_and_results(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a)
    CollaborationFactory(
        campaign=campaign, creator=CreatorFactory(email="ana@example.com"), stage="contracted", fee=300
    )
    creator_services.recalculate()
    body = alice_client.get(f"/campaigns/{campaign.pk}/export.csv").content.decode()
    lines = body.splitlines()
    assert lines[0].startswith("creator_email,creator_name,stage,fee,currency,")
    assert len(lines) == 2 and all(line.count(",") == lines[0].count(",") for line in lines)  # one table
    assert lines[1].startswith("ana@example.com,") and ",Contracted,300.00,USD," in lines[1]
    results = alice_client.get(f"/campaigns/{campaign.pk}/export.csv?table=results").content.decode()
    assert results.splitlines()[0] == "result,value" and "spend,300.00" in results


@pytest.mark.parametrize("url", ["/campaigns/", "/campaigns/{c}/", "/partnerships/", "/collaborations/{col}/"])
def test_page_query_counts_do_not_grow_with_rows(alice_client, brand_a, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PartnershipFactory

    campaign = CampaignFactory(brand=brand_a)
    collaboration = CollaborationFactory(campaign=campaign)
    PartnershipFactory(brand=brand_a)
    url = url.format(c=campaign.pk, col=collaboration.pk)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for n in range(15):
        CampaignFactory(brand=brand_a)
        other = CollaborationFactory(campaign=campaign, stage=["contacted", "paid", "declined"][n % 3])
        PartnershipFactory(brand=brand_a)
        Deliverable.objects.create(collaboration=collaboration, due_date=date.today() - timedelta(days=n))
        services.collaboration_move(collaboration=other, stage="negotiating", user=None)
        StageChange.objects.create(collaboration=collaboration, to_stage="contacted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert alice_client.get(url).status_code == 200


def test_a_concurrent_move_is_not_lost(alice, brand_a):
    collaboration = CollaborationFactory(campaign__brand=brand_a)
    stale = Collaboration.objects.get(pk=collaboration.pk)
    assert services.collaboration_move(collaboration=collaboration, stage="contacted", user=alice)
    # A second marketer still sees "shortlisted": their move does not overwrite without a record.
    assert not services.collaboration_move(collaboration=stale, stage="negotiating", user=alice)
    assert Collaboration.objects.get().stage == "contacted"
    assert StageChange.objects.count() == 1
    assert timezone.now()


def test_moves_that_look_wrong_are_made_with_a_warning_that_says_why(alice_client, brand_a):
    # Issue 15, defect 4: to Paid with no fee, Paid back to Shortlisted, a published deliverable on a shortlisted
    # creator.
    from tests.factories import CollaborationFactory, DeliverableFactory

    collaboration = CollaborationFactory(campaign__brand=brand_a, creator__name="Ana", fee=None)
    url = f"/collaborations/{collaboration.pk}/move/"

    def move(stage):
        response = alice_client.post(url, {"stage": stage}, follow=True)
        return [str(m) for m in response.context["messages"]]

    assert move("paid") == [
        "Ana moved to Paid, but no fee is recorded: add it on the collaboration, or the campaign's spend misses it."
    ]
    DeliverableFactory(collaboration=collaboration, status="published")
    assert move("shortlisted") == [
        "Ana moved to Shortlisted, but it had been paid: its fee no longer counts as spend unless it is contracted or "
        "later and it has a published deliverable, so it was contracted already."
    ]
    assert move("contracted") == ["Ana moved to Contracted."]
