"""Synthetic demo data (CONTRACT section 7): deterministic, realistic, idempotent."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import metrics, partitions
from .metrics import tier_for
from .models import Creator, FollowerSnapshot, Niche, Post, SocialAccount

DEMO_DOMAIN = "demo.microreach.test"
NICHES = [
    ("Fitness & wellness", "Coaches, trainers and wellbeing creators."),
    ("Sustainable fashion", "Slow fashion, second-hand and ethical brands."),
    ("Local food", "Food bloggers with local followings."),
    ("Budget tech", "Reviewers of affordable gadgets."),
    ("Beauty", "Make-up, skincare and hair."),
    ("Travel", "Destinations, budget travel and guides."),
    ("Parenting", "Family life and kids' products."),
    ("Gaming", "Streamers and game reviewers."),
    ("Home & DIY", "Interiors, renovation and crafts."),
    ("Personal finance", "Saving, investing and budgeting."),
]
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Emma",
    "Finn",
    "Gia",
    "Hugo",
    "Ines",
    "Jon",
    "Kai",
    "Lena",
    "Milo",
    "Nora",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vic",
    "Wen",
    "Yara",
    "Zoe",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kato",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
]
CITIES = {
    "US": ["Austin", "Portland", "Denver"],
    "GB": ["Leeds", "Bristol"],
    "DE": ["Berlin", "Hamburg"],
    "FR": ["Lyon", "Paris"],
    "ES": ["Valencia", "Madrid"],
    "NL": ["Utrecht"],
    "CA": ["Toronto"],
    "AU": ["Melbourne"],
}
PLATFORMS = ["instagram", "tiktok", "youtube", "blog", "x", "pinterest", "twitch"]
# Tiers with their share of creators, follower range and the ER range the founding brief reports.
TIERS = [
    (0.15, (200, 999), (4.0, 8.0)),
    (0.55, (1_000, 100_000), (2.0, 5.5)),
    (0.20, (100_001, 999_999), (1.0, 2.5)),
    (0.10, (1_000_000, 5_000_000), (0.8, 2.0)),
]
TIER_ER = dict(zip(["emerging", "micro", "macro", "mega"], [er for _, _, er in TIERS], strict=True))
USERS = [("admin", True), ("marketer", False), ("marketer2", False)]


def demo_users() -> None:
    """The three demo logins; a password is set only when the user is created."""
    User = get_user_model()
    for username, is_admin in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": is_admin, "is_superuser": is_admin, "email": f"{username}@{DEMO_DOMAIN}"},
        )
        if created:
            user.set_password(username)
            user.save()


def demo_niches() -> list[Niche]:
    niches = []
    for name, description in NICHES:
        niche = Niche.objects.filter(name__iexact=name).first()
        niches.append(niche or Niche.objects.create(name=name, slug=slugify(name), description=description))
    return niches


def _pick_tier(rng: random.Random) -> tuple[int, int]:
    roll, total = rng.random(), 0.0
    for share, followers, _ in TIERS:
        total += share
        if roll < total:
            return followers
    return TIERS[-1][1]


@transaction.atomic
def seed(*, creators: int = 300, rng_seed: int = 7) -> int:
    """Create the demo creator base unless it exists; return how many creators were created."""
    demo_users()
    niches = demo_niches()
    if Creator.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
        return 0
    rng = random.Random(rng_seed)
    now = timezone.now()
    today = timezone.localdate()
    new_creators = []
    for n in range(creators):
        country = rng.choice(list(CITIES))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        new_creators.append(
            Creator(
                name=name,
                email=f"{slugify(name)}.{n}@{DEMO_DOMAIN}",
                country=country,
                city=rng.choice(CITIES[country]) if rng.random() < 0.7 else "",
                rate=round(rng.uniform(50, 2500), 2) if rng.random() < 0.8 else None,
            )
        )
    Creator.objects.bulk_create(new_creators)
    through, accounts = Creator.niches.through, []
    memberships = []
    for creator in new_creators:
        for niche in rng.sample(niches, rng.choice([1, 1, 2, 3])):
            memberships.append(through(creator_id=creator.pk, niche_id=niche.pk))
        for k, platform in enumerate(rng.sample(PLATFORMS, rng.choice([1, 1, 2, 3]))):
            low, high = _pick_tier(rng)
            followers = int(rng.uniform(low, high)) if k == 0 else int(rng.uniform(low, high) / 3) + 100
            handle = f"{slugify(creator.name).replace('-', '_')}_{creator.pk}_{platform}"
            accounts.append(
                SocialAccount(
                    creator=creator,
                    platform=platform,
                    handle=handle,
                    followers=followers,
                    following=int(min(followers * rng.uniform(0.02, 0.6), 3000)) + 50,
                    profile_url=f"https://{platform}.example/{handle}",
                )
            )
            accounts[-1].target_er = rng.uniform(*TIER_ER[tier_for(followers)])
    through.objects.bulk_create(memberships)
    SocialAccount.objects.bulk_create(accounts)
    suspicious = set(rng.sample(range(len(accounts)), 6))
    posts, snapshots = [], []
    for index, account in enumerate(accounts):
        if index in suspicious and index % 2:
            account.following = account.followers * 3  # mass following
        for p in range(rng.randint(2, 18)):
            posted = now - timedelta(days=rng.uniform(0, 120), minutes=p)
            total = max(0, int(account.followers * account.target_er / 100 * rng.uniform(0.7, 1.3)))
            comments = int(total * rng.uniform(0.02, 0.08))
            shares, saves = int(total * 0.04), int(total * 0.03)
            posts.append(
                Post(
                    account=account,
                    posted_at=posted,
                    url=f"https://{account.platform}.example/{account.handle}/p/{p}",
                    likes=total - comments - shares - saves,
                    comments=comments,
                    shares=shares,
                    saves=saves,
                    views=int(account.followers * rng.uniform(0.2, 0.6)),
                )
            )
        followers = account.followers
        for day in range(60):
            er = round(account.target_er * rng.uniform(0.85, 1.15), 3)
            day_before = today - timedelta(days=day)
            snapshots.append(
                FollowerSnapshot(account=account, date=day_before, followers=followers, engagement_rate=er)
            )
            jump = 0.4 if index in suspicious and day == 20 else rng.uniform(0.0, 0.004)
            followers = int(followers / (1 + jump))
    SocialAccount.objects.bulk_update([accounts[i] for i in suspicious], ["following"])
    Post.objects.bulk_create(posts, batch_size=1000)
    partitions.partitions_ensure(since=today - timedelta(days=60))  # the past months on PostgreSQL
    FollowerSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    metrics.growth_refresh(account_ids=[account.pk for account in accounts])
    return len(new_creators)
