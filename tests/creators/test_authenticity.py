"""Authenticity signals, one by one, and their monotonicity (a spike always marks suspicious)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from creators import services
from creators.models import Creator
from tests.factories import FollowerSnapshotFactory, PostFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def history(account, values):
    """Daily snapshots ending today, oldest first."""
    today = timezone.localdate()
    for n, followers in enumerate(values):
        FollowerSnapshotFactory(account=account, date=today - timedelta(days=len(values) - 1 - n), followers=followers)


def judged(account):
    services.recalculate()
    account.refresh_from_db()
    return account.suspicion


def steady(start=10_000, days=10, step=20):
    return [start + step * n for n in range(days)]


def test_a_steady_account_is_not_suspicious():
    account = SocialAccountFactory(followers=10_200, following=300)
    history(account, steady())
    assert judged(account) == ""
    assert Creator.objects.get().is_suspicious is False


@pytest.mark.parametrize("jump", [0.05, 0.2, 0.5, 2.0])
def test_a_follower_spike_always_marks_suspicious(jump):
    values = steady()
    values[6:] = [int(v * (1 + jump)) for v in values[6:]]
    account = SocialAccountFactory(followers=values[-1])
    history(account, values)
    assert judged(account).startswith("follower spike: +")
    creator = Creator.objects.get()
    assert creator.is_suspicious and "follower spike" in creator.suspicion


def test_growth_below_the_spike_threshold_is_normal():
    values = steady()
    values[6:] = [int(v * 1.03) for v in values[6:]]
    account = SocialAccountFactory(followers=values[-1])
    history(account, values)
    assert judged(account) == ""


def test_fast_but_steady_growth_is_not_a_spike():
    account = SocialAccountFactory(followers=20_000)
    history(account, [int(10_000 * 1.06**n) for n in range(10)])
    assert judged(account) == ""


def test_mass_following_is_suspicious():
    assert judged(SocialAccountFactory(followers=1000, following=2001)).startswith("mass following")
    assert judged(SocialAccountFactory(followers=1000, following=2000)) == ""
    assert judged(SocialAccountFactory(followers=100, following=400)) == ""  # too few to matter


def posts(account, likes, comments):
    for k in range(3):
        PostFactory(account=account, likes=likes, comments=comments, posted_at=timezone.now() - timedelta(days=k + 1))


def test_an_implausibly_high_er_for_the_tier_is_suspicious():
    account = SocialAccountFactory(followers=10_000)
    posts(account, likes=1500, comments=100)  # 16 % for a micro account
    assert "is implausible for the micro tier" in judged(account)


def test_an_implausibly_low_er_for_the_tier_is_suspicious():
    account = SocialAccountFactory(followers=10_000)
    posts(account, likes=20, comments=2)  # 0.22 %
    assert "is implausible for the micro tier" in judged(account)


@pytest.mark.parametrize(
    ("likes", "comments", "suspicious"),
    [(300, 0, True), (300, 1, True), (300, 10, False), (300, 200, True), (30, 0, False)],
)
def test_likes_per_comment_far_from_the_norm(likes, comments, suspicious):
    account = SocialAccountFactory(followers=2_000)
    posts(account, likes=likes, comments=comments)
    assert ("likes per comment" in judged(account)) is suspicious
