"""Words and numbers the marketer reads (issue 15, defect 6): counts that agree with their word, messages that say
why nothing happened and what is missing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Partnership
from campaigns.rollups import health_of
from config.words import counted, listed
from tests.factories import CampaignFactory, CreatorFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def shown(response) -> list[str]:
    """The messages the page after the redirect shows (read there, so they do not carry over to the next test step)."""
    return [str(message) for message in response.context["messages"]]


def test_counts_agree_with_their_word():
    assert [counted(0, "post"), counted(1, "post"), counted(1200, "creator")] == ["0 posts", "1 post", "1,200 creators"]
    assert counted(2, "was", "were") == "2 were" and listed(["a kind", "a summary"]) == "a kind and a summary"


def test_adding_creators_says_how_many_and_why_not_the_others(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a, name="Spring")
    ana, ben = CreatorFactory(name="Ana"), CreatorFactory(name="Ben")
    url = f"/campaigns/{campaign.pk}/add-creators/"
    first = alice_client.post(url, {"creator": [ana.pk]}, follow=True)
    assert shown(first) == ["Added 1 creator to “Spring” as shortlisted."]
    again = alice_client.post(url, {"creator": [ana.pk]}, follow=True)
    assert shown(again) == ["Nothing added: the creator is already on “Spring”."]
    both = alice_client.post(url, {"creator": [ana.pk, ben.pk]}, follow=True)
    assert shown(both) == ["Added 1 creator to “Spring” as shortlisted; 1 was there already."]


def test_a_log_entry_without_its_summary_says_only_that(alice_client):
    creator = CreatorFactory()
    entry = {"kind": "note", "date": "2026-01-05", "summary": ""}
    response = alice_client.post(f"/creators/{creator.pk}/log/", entry, follow=True)
    assert shown(response) == ["The log entry needs a summary."]


def test_a_renewal_reason_does_not_repeat_its_verdict():
    today = timezone.localdate()
    partnership = PartnershipFactory(start_date=today - timedelta(days=10), renewal_date=today + timedelta(days=1))
    verdict, reason = health_of(partnership, today=today, published_last_30_days=0)
    assert verdict == Partnership.Health.RENEWAL_DUE
    assert reason == f"The renewal date, {partnership.renewal_date:%Y-%m-%d}, is in 1 day."
