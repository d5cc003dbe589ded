import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from creators.models import Creator, FollowerSnapshot, Niche, Post, SocialAccount

pytestmark = pytest.mark.django_db


def test_it_seeds_a_realistic_base_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", creators=120)
    counts = (
        Creator.objects.count(),
        SocialAccount.objects.count(),
        Post.objects.count(),
        FollowerSnapshot.objects.count(),
    )
    assert counts[0] == 120 and counts[1] >= 120 and counts[2] > 500 and counts[3] > 5000
    for name in ["Fitness & wellness", "Sustainable fashion", "Local food", "Budget tech"]:
        assert Niche.objects.filter(name=name).exists()
    tiers = set(Creator.objects.values_list("tier", flat=True))
    assert {"emerging", "micro", "macro", "mega"} <= tiers
    assert Creator.objects.filter(is_flagged=True).exists()
    micro = [c.engagement_rate for c in Creator.objects.filter(tier="micro", engagement_rate__isnull=False)]
    mega = [c.engagement_rate for c in Creator.objects.filter(tier="mega", engagement_rate__isnull=False)]
    assert sum(micro) / len(micro) > sum(mega) / len(mega)
    call_command("seed_demo", creators=120)
    assert (Creator.objects.count(), SocialAccount.objects.count(), Post.objects.count()) == counts[:3]


def test_it_creates_the_three_demo_logins(settings):
    settings.DEBUG = True
    call_command("seed_demo", creators=5)
    request = RequestFactory().post("/accounts/login/")  # the login throttle counts by request
    admin = authenticate(request, username="admin", password="admin")
    assert admin and admin.is_staff and admin.is_superuser
    assert authenticate(request, username="marketer", password="marketer") and authenticate(
        request, username="marketer2", password="marketer2"
    )
    assert not authenticate(request, username="marketer", password="marketer").is_staff


def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", creators=5)
    assert Creator.objects.count() == 0
    call_command("seed_demo", creators=5, force=True)
    assert Creator.objects.count() == 5


def test_if_empty_leaves_a_database_with_creators_alone(settings):
    settings.DEBUG = True
    Creator.objects.create(name="Somebody", email="s@example.com")
    call_command("seed_demo", if_empty=True)
    assert Creator.objects.count() == 1
