"""The metric definitions of CONTRACT section 3, at their boundaries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creators import services
from creators.metrics import Scope, recalculate_creator_metrics, tier_followers, tier_for
from creators.models import Creator, SocialAccount
from tests.factories import CreatorFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def posts(account, interactions, *, days_ago=1, **counts):
    """One post per value in ``interactions`` (as likes), published ``days_ago`` days ago, newest first."""
    now = timezone.now()
    for n, value in enumerate(interactions):
        PostFactory(account=account, likes=value, posted_at=now - timedelta(days=days_ago, minutes=n), **counts)


def refreshed(account):
    services.recalculate()
    account.refresh_from_db()
    return account


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (0, "emerging"),
        (999, "emerging"),
        (1_000, "micro"),
        (100_000, "micro"),
        (100_001, "macro"),
        (999_999, "macro"),
        (1_000_000, "mega"),
    ],
)
def test_it_assigns_tiers_at_their_bounds(followers, tier):
    account = SocialAccountFactory(followers=followers)
    assert refreshed(account).tier == tier
    assert tier_for(followers) == tier
    assert Creator.objects.get().tier == tier
    # The directory's tier filter also asks for the tier's followers range: the creator is in its tier's and no other.
    in_range = [t for t in ("emerging", "micro", "macro", "mega") if Creator.objects.filter(tier_followers(t)).exists()]
    assert in_range == [tier]


def test_it_counts_likes_comments_shares_and_saves_but_not_views():
    account = SocialAccountFactory(followers=1000)
    for n in range(3):
        PostFactory(
            account=account,
            likes=10,
            comments=5,
            shares=3,
            saves=2,
            views=99_999,
            posted_at=timezone.now() - timedelta(hours=n + 1),
        )
    assert refreshed(account).engagement_rate == pytest.approx(2.0)


def test_it_leaves_er_unknown_with_two_posts_and_known_with_three():
    account = SocialAccountFactory(followers=1000)
    posts(account, [30, 30])
    assert refreshed(account).engagement_rate is None
    assert account.er_posts == 2
    posts(account, [30], days_ago=2)
    assert refreshed(account).engagement_rate == pytest.approx(3.0)


def test_it_leaves_er_unknown_with_zero_followers():
    account = SocialAccountFactory(followers=0)
    posts(account, [30, 30, 30])
    assert refreshed(account).engagement_rate is None
    assert account.is_high_engagement is False


def test_exactly_three_percent_is_high_engagement_and_just_below_is_not():
    high = SocialAccountFactory(followers=1000)
    posts(high, [30, 30, 30])
    low = SocialAccountFactory(followers=1000)
    posts(low, [30, 30, 29])
    assert refreshed(high).is_high_engagement is True
    assert high.engagement_rate == pytest.approx(3.0)
    assert refreshed(low).is_high_engagement is False
    assert Creator.objects.get(pk=high.creator_id).is_flagged is True
    assert Creator.objects.get(pk=low.creator_id).is_flagged is False


def test_it_uses_only_posts_inside_the_window():
    now = timezone.now()
    account = SocialAccountFactory(followers=1000)
    for n in range(3):
        PostFactory(account=account, likes=50, posted_at=now - timedelta(days=1, minutes=n))
    # Just outside the 90-day window: ignored whatever its size.
    PostFactory(account=account, likes=100_000, posted_at=now - timedelta(days=90, minutes=1))
    recalculate_creator_metrics(now=now)
    account.refresh_from_db()
    assert account.engagement_rate == pytest.approx(5.0)
    # Just inside: counted.
    PostFactory(account=account, likes=10, posted_at=now - timedelta(days=89, hours=23))
    recalculate_creator_metrics(now=now)
    account.refresh_from_db()
    assert account.engagement_rate == pytest.approx(4.0)
    assert account.er_posts == 4


def test_it_ignores_the_thirteenth_newest_post():
    account = SocialAccountFactory(followers=1000)
    posts(account, [40] * 12)
    posts(account, [1_000_000], days_ago=30)  # the 13th newest
    assert refreshed(account).engagement_rate == pytest.approx(4.0)
    assert account.er_posts == 12


def test_the_primary_account_is_the_largest_and_ties_go_to_the_earliest():
    creator = CreatorFactory()
    first = SocialAccountFactory(creator=creator, followers=5000)
    SocialAccountFactory(creator=creator, followers=5000)
    SocialAccountFactory(creator=creator, followers=200)
    services.recalculate()
    creator.refresh_from_db()
    assert creator.primary_account_id == first.pk
    assert creator.followers == 5000
    assert creator.accounts_count == 3
    bigger = SocialAccountFactory(creator=creator, followers=200_000)
    services.recalculate()
    creator.refresh_from_db()
    assert creator.primary_account_id == bigger.pk
    assert creator.tier == "macro"


def test_a_creator_is_flagged_by_any_micro_high_engagement_account():
    creator = CreatorFactory()
    big = SocialAccountFactory(creator=creator, followers=500_000)
    posts(big, [1000, 1000, 1000])  # 0.2 %: macro, low
    small = SocialAccountFactory(creator=creator, followers=2000, platform="tiktok")
    posts(small, [100, 100, 100])  # 5 %: micro, high
    services.recalculate()
    creator.refresh_from_db()
    assert creator.is_flagged is True
    assert creator.tier == "macro"
    assert creator.engagement_rate == pytest.approx(0.2)


def test_a_high_engagement_account_outside_micro_does_not_flag():
    emerging = SocialAccountFactory(followers=999)
    posts(emerging, [100, 100, 100])
    macro = SocialAccountFactory(followers=100_001)
    posts(macro, [10_000, 10_000, 10_000])
    services.recalculate()
    assert not Creator.objects.filter(is_flagged=True).exists()
    assert SocialAccount.objects.filter(is_high_engagement=True).count() == 2


def test_an_archived_creator_is_never_flagged():
    account = SocialAccountFactory(followers=1000)
    posts(account, [50, 50, 50])
    services.recalculate()
    assert Creator.objects.get().is_flagged is True
    services.creators_set_status(creator_ids=[account.creator_id], status="archived")
    assert Creator.objects.get().is_flagged is False


def test_cost_per_engagement_is_rate_over_expected_interactions():
    creator = CreatorFactory(rate="200.00")
    account = SocialAccountFactory(creator=creator, followers=10_000)
    posts(account, [400, 400, 400])  # 4 %: 400 expected interactions per post
    services.recalculate()
    creator.refresh_from_db()
    assert creator.cost_per_engagement == pytest.approx(0.5)
    no_rate = SocialAccountFactory(followers=10_000)
    posts(no_rate, [400, 400, 400])
    services.recalculate()
    assert Creator.objects.get(pk=no_rate.creator_id).cost_per_engagement is None


def test_a_scoped_recalculation_touches_only_its_creators():
    inside, outside = SocialAccountFactory(followers=1000), SocialAccountFactory(followers=1000)
    posts(inside, [50, 50, 50])
    posts(outside, [50, 50, 50])
    recalculate_creator_metrics(scope=Scope(ids=[inside.creator_id]))
    assert Creator.objects.get(pk=inside.creator_id).is_flagged is True
    assert Creator.objects.get(pk=outside.creator_id).is_flagged is False
    recalculate_creator_metrics(scope=Scope(id_min=outside.creator_id, id_max=outside.creator_id))
    assert Creator.objects.get(pk=outside.creator_id).is_flagged is True


def test_a_scope_of_ids_as_an_orm_condition_is_one_parameter_whatever_its_size():
    inside, outside = SocialAccountFactory(), SocialAccountFactory()
    ids = [inside.creator_id, *range(10**9, 10**9 + 50_000)]
    with CaptureQueriesContext(connection) as captured:
        found = list(SocialAccount.objects.filter(Scope(ids=ids).q("creator_id")).values_list("pk", flat=True))
        by_creator = Creator.objects.filter(Scope(ids=[outside.creator_id]).q("id")).get()
    assert found == [inside.pk] and by_creator.pk == outside.creator_id
    # The 50,001 ids go as one array (``= ANY``) on PostgreSQL, one JSON text on SQLite, not 50,001 placeholders to
    # prepare and parse.
    expected = {"postgresql": "= ANY(", "sqlite": "IN (SELECT value FROM json_each("}[connection.vendor]
    assert all(expected in query["sql"] for query in captured.captured_queries)


def test_a_scope_of_ids_in_the_recalculations_sql_is_one_parameter_on_every_database():
    inside, outside = SocialAccountFactory(followers=1000), SocialAccountFactory(followers=1000)
    posts(inside, [50, 50, 50])
    posts(outside, [50, 50, 50])
    scope = Scope(ids=[inside.creator_id, *range(10**9, 10**9 + 50_000)])
    where, params = scope.where("c.id")
    assert "json_each" in where or "ANY" in where
    assert len(params) == 1, "one parameter: SQLite took 25 s per statement to prepare 50,000 named ones"
    recalculate_creator_metrics(scope=scope)
    assert Creator.objects.get(pk=inside.creator_id).is_flagged is True
    assert Creator.objects.get(pk=outside.creator_id).is_flagged is False


def test_a_second_recalculation_changes_no_rows():
    account = SocialAccountFactory(followers=1000)
    posts(account, [50, 50, 50])
    first = recalculate_creator_metrics()
    second = recalculate_creator_metrics()
    assert (first.accounts_changed, first.creators_changed) == (1, 1)
    assert (second.accounts_changed, second.creators_changed) == (0, 0)


def test_a_recalculation_costs_the_same_queries_for_ten_or_a_hundred_creators(django_assert_max_num_queries):
    for _ in range(10):
        posts(SocialAccountFactory(followers=1000), [50, 50, 50])
    with django_assert_max_num_queries(6):
        recalculate_creator_metrics()
    for _ in range(90):
        posts(SocialAccountFactory(followers=1000), [50, 50, 50])
    with django_assert_max_num_queries(6):
        recalculate_creator_metrics()
    assert Creator.objects.filter(is_flagged=True).count() == 100
