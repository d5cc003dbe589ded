"""The board's moves: one card saved without a reload (JSON with counts and fee totals), several at once, and every
refusal changing nothing."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from campaigns.models import Collaboration, StageChange
from tests.factories import CampaignFactory, CollaborationFactory, CreatorFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def campaign(brand_a):
    return CampaignFactory(brand=brand_a, currency="EUR")


def card(campaign, name, stage="shortlisted", fee=None):
    return CollaborationFactory(campaign=campaign, creator=CreatorFactory(name=name), stage=stage, fee=fee)


def test_a_move_answers_json_with_the_new_counts_and_fee_totals(alice_client, campaign):
    ana = card(campaign, "Ana", fee=Decimal("1200"))
    card(campaign, "Ben", stage="contracted", fee=Decimal("800.40"))
    response = alice_client.post(f"/collaborations/{ana.pk}/move/", {"stage": "contracted"}, **JSON)
    assert response.status_code == 200
    answer = response.json()
    assert answer["level"] == "success" and answer["message"] == "Ana moved to Contracted."
    assert answer["moved"] == [ana.pk]
    assert answer["columns"]["contracted"] == {"count": 2, "fees": "2,000 EUR"}
    assert answer["columns"]["shortlisted"] == {"count": 0, "fees": "0 EUR"}
    assert Collaboration.objects.get(pk=ana.pk).stage == "contracted"


def test_a_move_that_looks_wrong_is_saved_with_a_warning(alice_client, campaign):
    ana = card(campaign, "Ana")
    answer = alice_client.post(f"/collaborations/{ana.pk}/move/", {"stage": "paid"}, **JSON).json()
    assert answer["level"] == "warning" and "no fee is recorded" in answer["message"]


def test_a_bad_stage_is_a_400_in_json_and_changes_nothing(alice_client, campaign):
    ana = card(campaign, "Ana")
    response = alice_client.post(f"/collaborations/{ana.pk}/move/", {"stage": "moon"}, **JSON)
    assert response.status_code == 400 and response.json()["message"] == "Choose a stage from the list."
    assert Collaboration.objects.get(pk=ana.pk).stage == "shortlisted" and not StageChange.objects.exists()


def test_several_cards_move_at_once(alice_client, campaign):
    ana, ben, cleo = card(campaign, "Ana"), card(campaign, "Ben"), card(campaign, "Cleo", stage="contacted")
    response = alice_client.post(
        f"/campaigns/{campaign.pk}/move/", {"collaboration": [ana.pk, ben.pk, cleo.pk], "stage": "contacted"}, **JSON
    )
    answer = response.json()
    assert answer["message"] == "2 creators moved to Contacted (1 was there already)."
    assert sorted(answer["moved"]) == sorted([ana.pk, ben.pk])
    assert answer["columns"]["contacted"]["count"] == 3
    assert StageChange.objects.filter(to_stage="contacted").count() == 2
    # Without JavaScript: the same form posts and the board shows the message.
    page = alice_client.post(
        f"/campaigns/{campaign.pk}/move/", {"collaboration": [ana.pk], "stage": "negotiating"}, follow=True
    )
    assert "1 creator moved to Negotiating." in page.content.decode()


def test_a_bulk_move_with_another_campaigns_or_brands_card_moves_nothing(alice_client, campaign, b_objects):
    ana = card(campaign, "Ana")
    other_campaign = card(CampaignFactory(brand=campaign.brand), "Other")
    for foreign in (b_objects["collaboration"].pk, other_campaign.pk, "x", 999999):
        response = alice_client.post(
            f"/campaigns/{campaign.pk}/move/", {"collaboration": [ana.pk, foreign], "stage": "contacted"}, **JSON
        )
        assert response.status_code == 400, foreign
        assert "nothing was moved" in response.json()["message"] or "valid value" in response.json()["message"]
    empty = alice_client.post(f"/campaigns/{campaign.pk}/move/", {"stage": "contacted"}, **JSON)
    assert empty.json()["message"] == "Select one or more creators on the board first."
    assert not StageChange.objects.exists()
    assert Collaboration.objects.get(pk=ana.pk).stage == "shortlisted"
    # Another brand's campaign itself is a 404.
    response = alice_client.post(
        f"/campaigns/{b_objects['campaign'].pk}/move/", {"collaboration": [ana.pk], "stage": "contacted"}
    )
    assert response.status_code == 404


def test_the_board_page_keeps_its_query_count_as_cards_grow(alice_client, campaign, django_assert_max_num_queries):
    for i in range(3):
        card(campaign, f"Creator {i}", fee=Decimal(100))
    with django_assert_max_num_queries(40) as few:
        alice_client.get(f"/campaigns/{campaign.pk}/")
    for i in range(30):
        card(campaign, f"More {i}", stage="contracted", fee=Decimal(100))
    cache.clear()  # the cards were made outside a request: read the board afresh, as after the brand's next write
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = alice_client.get(f"/campaigns/{campaign.pk}/")
    html = page.content.decode()
    assert "3,000 EUR" in html and "fee 100 EUR" in html and 'id="pick-' in html


@pytest.mark.parametrize("status", ["completed", "archived"])
def test_a_finished_campaign_takes_no_new_creators(alice_client, brand_a, status):
    """Defect 4: a completed campaign took creators from a shortlist although only open campaigns are offered."""
    campaign = CampaignFactory(brand=brand_a, status=status, name="Autumn")
    ana = CreatorFactory(name="Ana")
    page = alice_client.post(f"/campaigns/{campaign.pk}/add-creators/", {"creator": [ana.pk]}, follow=True)
    assert f"“Autumn” is {status}: set it to Active to add creators." in page.content.decode()
    directory = alice_client.post(
        "/creators/bulk-add/", {"target": f"campaign:{campaign.pk}", "creator": [ana.pk]}, follow=True
    )
    assert "set it to Active to add creators" in directory.content.decode()
    assert not Collaboration.objects.exists()
