"""Defect 5: "new partnership" asked for the creator's database id. Now a creator search: suggestions from
/creators/lookup.json, and without JavaScript the form finds the creator from what was typed."""

import re

import pytest

from campaigns.models import Partnership
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

BASE = {"status": "active", "start_date": "2026-12-01", "cadence": "2", "retainer_fee": "500", "notes": ""}


def test_the_lookup_suggests_active_creators_by_name_email_or_handle(alice_client):
    ana = CreatorFactory(name="Ana Alvarez", email="ana@example.com", followers=12_400)
    SocialAccountFactory(creator=ana, platform="instagram", handle="ana.moves")
    CreatorFactory(name="Anabel Archived", status="archived")
    results = alice_client.get("/creators/lookup.json?q=ana").json()["results"]
    assert [r["name"] for r in results] == ["Ana Alvarez"]
    assert "12,400 followers" in results[0]["detail"]
    assert alice_client.get("/creators/lookup.json?q=@ana.mov").json()["results"][0]["id"] == ana.pk
    assert alice_client.get("/creators/lookup.json?q=a").json()["results"] == []  # too short to search
    assert alice_client.get("/creators/lookup.json").json()["results"] == []


def test_the_form_has_a_search_box_not_an_id_box(alice_client):
    page = alice_client.get("/partnerships/new/").content.decode()
    assert not re.search(r'<input[^>]*type="number"[^>]*name="creator"', page) and "creator's id" not in page
    assert 'data-lookup="/creators/lookup.json"' in page and 'for="id_creator_1"' in page


def test_typing_a_unique_name_is_enough(alice_client, brand_a):
    ana = CreatorFactory(name="Ana Alvarez")
    response = alice_client.post("/partnerships/new/", {**BASE, "creator_0": "", "creator_1": "Ana Alv"})
    assert response.status_code == 302
    assert Partnership.objects.get(brand=brand_a).creator == ana


def test_several_matches_are_offered_and_one_is_chosen(alice_client, brand_a):
    first = CreatorFactory(name="Ana Alvarez", email="ana1@example.com")
    CreatorFactory(name="Ana Alves", email="ana2@example.com")
    response = alice_client.post("/partnerships/new/", {**BASE, "creator_0": "", "creator_1": "ana"})
    page = response.content.decode()
    assert response.status_code == 200 and "2 creators match “ana”: choose one below." in page
    assert f'name="creator_0" value="{first.pk}"' in page and "ana1@example.com" in page
    assert not Partnership.objects.exists()
    chosen = alice_client.post("/partnerships/new/", {**BASE, "creator_0": str(first.pk), "creator_1": "ana"})
    assert chosen.status_code == 302 and Partnership.objects.get().creator == first


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nobody at all", "No active creator matches “nobody at all”"),
        ("", "Type a creator&#x27;s name, e-mail or @handle and choose them."),
    ],
)
def test_no_match_or_nothing_typed_says_so(alice_client, typed, message):
    CreatorFactory(name="Ana Alvarez")
    response = alice_client.post("/partnerships/new/", {**BASE, "creator_0": "", "creator_1": typed})
    assert message in response.content.decode()
    assert not Partnership.objects.exists()


def test_an_archived_or_unknown_id_is_refused(alice_client):
    archived = CreatorFactory(name="Gone", status="archived")
    for pk in (archived.pk, 999_999, "abc"):
        response = alice_client.post("/partnerships/new/", {**BASE, "creator_0": str(pk), "creator_1": ""})
        assert response.status_code == 200, pk
    assert not Partnership.objects.exists()


def test_a_plain_creator_id_still_works_from_a_link(alice_client):
    ana = CreatorFactory(name="Ana Alvarez")
    page = alice_client.get(f"/partnerships/new/?creator={ana.pk}").content.decode()
    assert 'value="Ana Alvarez"' in page and f'value="{ana.pk}"' in page
    assert alice_client.post("/partnerships/new/", {**BASE, "creator": str(ana.pk)}).status_code == 302
