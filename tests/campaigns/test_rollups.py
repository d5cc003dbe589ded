"""Campaign rollups against hand-computed numbers; partnership health at its date boundaries; reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from campaigns import reminders, rollups
from campaigns.models import Deliverable, Partnership, PartnershipReminder
from creators import services as creator_services
from tests.factories import (
    CampaignFactory,
    CollaborationFactory,
    MembershipFactory,
    PartnershipFactory,
    PostFactory,
    SocialAccountFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def link(collaboration, post):
    return Deliverable.objects.create(collaboration=collaboration, post=post, status="published")


def test_campaign_rollups_match_hand_computed_numbers(brand_a):
    campaign = CampaignFactory(brand=brand_a, budget=Decimal("1000"))
    first = CollaborationFactory(campaign=campaign, stage="published", fee=Decimal("300"))
    second = CollaborationFactory(campaign=campaign, stage="contracted", fee=Decimal("200"))
    CollaborationFactory(campaign=campaign, stage="negotiating", fee=Decimal("999"))  # not committed
    CollaborationFactory(campaign=campaign, stage="declined", fee=Decimal("50"))  # not committed
    account_1 = SocialAccountFactory(creator=first.creator, followers=10_000)
    account_2 = SocialAccountFactory(creator=second.creator, followers=5_000)
    post_a = PostFactory(account=account_1, likes=400, comments=100)  # 500
    post_b = PostFactory(account=account_1, likes=300)  # 300
    post_c = PostFactory(account=account_2, likes=200)  # 200
    link(first, post_a)
    link(first, post_a)  # the same post twice counts once
    link(first, post_b)
    link(second, post_c)
    creator_services.recalculate()
    campaign.refresh_from_db()
    assert campaign.spend == Decimal("500.00")
    assert campaign.posts_published == 3
    assert campaign.reach == 15_000  # distinct accounts
    assert campaign.interactions == 1000
    assert campaign.content_er == pytest.approx(1000 * 100 / (10_000 + 10_000 + 5_000))
    assert campaign.cpe == pytest.approx(0.5)
    assert campaign.cpm == pytest.approx(500 / 15_000 * 1000)
    assert campaign.collaborations_count == 4
    assert not campaign.over_budget


def test_an_over_budget_campaign_is_flagged_on_its_page(alice_client, brand_a):
    campaign = CampaignFactory(brand=brand_a, budget=Decimal("100"))
    CollaborationFactory(campaign=campaign, stage="contracted", fee=Decimal("150"))
    creator_services.recalculate()
    assert "Over budget" in alice_client.get(f"/campaigns/{campaign.pk}/").content.decode()


def test_an_empty_campaign_has_unknown_ratios(brand_a):
    campaign = CampaignFactory(brand=brand_a)
    creator_services.recalculate()
    campaign.refresh_from_db()
    assert (campaign.spend, campaign.interactions, campaign.cpe, campaign.cpm, campaign.content_er) == (
        0,
        0,
        None,
        None,
        None,
    )


TODAY = date(2026, 6, 15)


def verdict(partnership, recent=0):
    return rollups.health_of(partnership, today=TODAY, published_last_30_days=recent)[0]


@pytest.mark.parametrize(
    ("values", "recent", "expected"),
    [
        ({"status": "ended"}, 5, "ended"),
        ({"end_date": TODAY - timedelta(days=1)}, 5, "ended"),
        ({"end_date": TODAY}, 5, "renewal_due"),  # ends today: still running, renewal due
        ({"renewal_date": TODAY + timedelta(days=30)}, 2, "renewal_due"),
        ({"renewal_date": TODAY + timedelta(days=31)}, 2, "on_track"),
        ({"renewal_date": TODAY - timedelta(days=1)}, 2, "on_track"),  # a past renewal date is no longer "due"
        ({"cadence": 2}, 1, "behind"),
        ({"cadence": 2}, 2, "on_track"),
        ({"cadence": 2, "start_date": TODAY - timedelta(days=29)}, 0, "on_track"),  # too young to be behind
        ({"cadence": 2, "start_date": TODAY - timedelta(days=30)}, 0, "behind"),
        ({"cadence": 2, "status": "paused"}, 0, "on_track"),
        ({"cadence": 2, "renewal_date": TODAY + timedelta(days=5)}, 0, "behind"),  # behind wins over renewal
    ],
)
def test_partnership_health_at_its_boundaries(values, recent, expected):
    partnership = Partnership(start_date=TODAY - timedelta(days=100), cadence=1, status="active")
    for key, value in values.items():
        setattr(partnership, key, value)
    assert verdict(partnership, recent) == expected


def test_partnership_rollups_count_the_brands_posts_and_spend(brand_a, brand_b):
    today = timezone.localdate()
    partnership = PartnershipFactory(
        brand=brand_a, start_date=today - timedelta(days=40), retainer_fee=Decimal("100"), cadence=1
    )
    mine = CollaborationFactory(campaign__brand=brand_a, creator=partnership.creator, stage="paid", fee=Decimal("250"))
    theirs = CollaborationFactory(
        campaign__brand=brand_b, creator=partnership.creator, stage="paid", fee=Decimal("999")
    )
    account = SocialAccountFactory(creator=partnership.creator)
    link(mine, PostFactory(account=account, likes=70, posted_at=timezone.now() - timedelta(days=3)))
    link(theirs, PostFactory(account=account, likes=5000, posted_at=timezone.now() - timedelta(days=3)))
    creator_services.recalculate()
    partnership.refresh_from_db()
    months = len(rollups.months_between(partnership.start_date, today))
    assert partnership.lifetime_spend == Decimal("100") * months + Decimal("250")
    assert partnership.lifetime_interactions == 70
    assert partnership.published_last_30_days == 1
    assert partnership.health == "on_track"
    assert sum(m.interactions for m in partnership.months.all()) == 70


def test_renewal_reminders_are_sent_once_per_window(brand_a):
    member = UserFactory(username="carol", email="carol@example.com")
    MembershipFactory(brand=brand_a, user=member)
    today = timezone.localdate()
    partnership = PartnershipFactory(
        brand=brand_a, start_date=today - timedelta(days=10), renewal_date=today + timedelta(days=10)
    )
    assert reminders.send_due_reminders() == 1
    assert reminders.send_due_reminders() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carol@example.com"]
    assert "Renewal due" in mail.outbox[0].subject and partnership.creator.name in mail.outbox[0].subject
    # A new renewal date is a new window: one more reminder.
    Partnership.objects.filter(pk=partnership.pk).update(renewal_date=today + timedelta(days=20))
    assert reminders.send_due_reminders() == 1
    assert PartnershipReminder.objects.count() == 2


def test_the_reminders_task_runs_through_celery(celery_eager, brand_a):
    from campaigns.tasks import partnership_reminders

    MembershipFactory(brand=brand_a, user=UserFactory(username="dan", email="dan@example.com"))
    today = timezone.localdate()
    PartnershipFactory(brand=brand_a, start_date=today, renewal_date=today + timedelta(days=1))
    assert partnership_reminders.delay().get() == 1
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="campaigns.tasks.partnership_reminders").exists()


def test_an_admin_edit_of_a_collaboration_refreshes_the_campaign(
    admin_client, celery_eager, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(budget=Decimal("1000"))
    collaboration = CollaborationFactory(campaign=campaign, stage="contracted", fee=Decimal("100"))
    data = {
        "campaign": campaign.pk,
        "creator": collaboration.creator_id,
        "stage": "contracted",
        "fee": "400",
        "notes": "",
        "deliverables-TOTAL_FORMS": 0,
        "deliverables-INITIAL_FORMS": 0,
        "stage_changes-TOTAL_FORMS": 0,
        "stage_changes-INITIAL_FORMS": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/campaigns/collaboration/{collaboration.pk}/change/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.spend == Decimal("400.00")


def test_a_post_with_hidden_likes_counts_what_the_platform_shows(brand_a):
    campaign = CampaignFactory(brand=brand_a)
    collaboration = CollaborationFactory(campaign=campaign, stage="published", fee=Decimal("100"))
    account = SocialAccountFactory(creator=collaboration.creator, followers=1_000)
    link(collaboration, PostFactory(account=account, likes=None, comments=40, shares=5))
    link(collaboration, PostFactory(account=account, likes=10, comments=0))
    PartnershipFactory(brand=brand_a, creator=collaboration.creator)
    creator_services.recalculate()
    campaign.refresh_from_db()
    assert campaign.interactions == 55  # 40 + 5 shown, likes unknown; + 10
    assert Partnership.objects.get().lifetime_interactions == 55
