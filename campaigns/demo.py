"""Demo brands for ``seed_demo``: campaigns in every pipeline stage, partnerships in every health state."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from creators.models import Creator, Niche, Post

from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Membership,
    Partnership,
    RelationshipEntry,
    Shortlist,
    ShortlistEntry,
    Stage,
    StageChange,
)

MIN_CREATORS = 14
BRANDS = [
    ("Verde Active", "verde-active", ["Fitness & wellness", "Sustainable fashion"], ["US", "GB"], "marketer"),
    ("Byte Budget", "byte-budget", ["Budget tech", "Gaming"], ["DE", "FR", "ES"], "marketer2"),
]


def _candidates(niche_names: list[str]) -> list[Creator]:
    """Active creators of the brand's niches with at least two posts in the last 30 days, best ER first."""
    since = timezone.now() - timedelta(days=30)
    return list(
        Creator.objects.filter(status="active", niches__name__in=niche_names)
        .annotate(recent=Count("accounts__posts", filter=Q(accounts__posts__posted_at__gte=since), distinct=True))
        .filter(recent__gte=2)
        .order_by("-is_flagged", "-engagement_rate", "pk")
        .distinct()[:40]
    )


def _recent_posts(creator: Creator, n: int) -> list[Post]:
    return list(Post.objects.filter(account__creator=creator).order_by("-posted_at")[:n])


@transaction.atomic
def seed() -> int:
    """Create the two demo brands unless they exist; return how many brands were created."""
    User = get_user_model()
    created = 0
    today = timezone.localdate()
    for name, slug, niche_names, countries, username in BRANDS:
        if Brand.objects.filter(slug=slug).exists():
            continue
        brand = Brand.objects.create(name=name, slug=slug, target_countries=countries)
        brand.target_niches.set(Niche.objects.filter(name__in=niche_names))
        marketer = User.objects.get(username=username)
        Membership.objects.create(brand=brand, user=marketer, role=Membership.Role.MANAGER)
        admin = User.objects.filter(username="admin").first()
        if admin:
            Membership.objects.create(brand=brand, user=admin, role=Membership.Role.MEMBER)
        people = _candidates(niche_names)
        if len(people) < MIN_CREATORS:
            others = Creator.objects.filter(status="active").exclude(pk__in=[p.pk for p in people])
            people += list(others[: MIN_CREATORS - len(people)])
        if len(people) < MIN_CREATORS:
            continue  # too small a creator base for the demo pipeline; the brand and its logins still exist
        _campaigns(brand, people, marketer, today)
        _partnerships(brand, people[8:12], marketer, today)
        shortlist = Shortlist.objects.create(brand=brand, name="Next quarter ideas")
        ShortlistEntry.objects.bulk_create(
            [ShortlistEntry(shortlist=shortlist, creator=c, note="Strong fit for our niches") for c in people[12:20]]
        )
        created += 1
    return created


def _campaigns(brand: Brand, people: list[Creator], user, today) -> None:
    main = Campaign.objects.create(
        brand=brand,
        name=f"{brand.name} spring launch",
        status=Campaign.Status.ACTIVE,
        objective="Introduce the new line to engaged niche audiences.",
        guidelines_fixed="Tag the brand, disclose the partnership (#ad), publish within the campaign dates.",
        guidelines_creative=(
            "Format, tone, setting and storyline are the creator's: show it the way your audience knows you."
        ),
        start_date=today - timedelta(days=20),
        end_date=today + timedelta(days=40),
        budget=Decimal("6000"),
        target_engagements=20000,
        target_reach=400000,
    )
    main.target_niches.set(brand.target_niches.all())
    order = list(Stage.values)
    for creator, stage in zip(people[:8], order, strict=False):
        collaboration = Collaboration.objects.create(
            campaign=main, creator=creator, stage=stage, fee=creator.rate or Decimal("400")
        )
        path = (
            order[: order.index(stage) + 1]
            if stage != Stage.DECLINED
            else [Stage.SHORTLISTED, Stage.CONTACTED, Stage.DECLINED]
        )
        previous = ""
        for step in path:
            StageChange.objects.create(collaboration=collaboration, from_stage=previous, to_stage=step, changed_by=user)
            previous = step
        if stage in (Stage.PUBLISHED, Stage.PAID):
            for post in _recent_posts(creator, 2):
                Deliverable.objects.create(
                    collaboration=collaboration,
                    kind=Deliverable.Kind.POST,
                    due_date=post.posted_at.date(),
                    status=Deliverable.Status.PUBLISHED,
                    post=post,
                    published_at=post.posted_at,
                )
        elif stage in (Stage.CONTRACTED, Stage.CONTENT_REVIEW):
            Deliverable.objects.create(
                collaboration=collaboration,
                kind=Deliverable.Kind.REEL,
                due_date=today - timedelta(days=3),
                status=Deliverable.Status.SUBMITTED if stage == Stage.CONTENT_REVIEW else Deliverable.Status.PENDING,
            )
        RelationshipEntry.objects.create(
            brand=brand,
            creator=creator,
            kind=RelationshipEntry.Kind.EMAIL,
            date=today - timedelta(days=15),
            summary="First contact about the spring launch.",
            author=user,
        )
    Campaign.objects.create(
        brand=brand,
        name=f"{brand.name} autumn capsule",
        status=Campaign.Status.DRAFT,
        budget=Decimal("3000"),
        objective="Draft: a small capsule with long-term partners.",
    )
    done = Campaign.objects.create(
        brand=brand,
        name=f"{brand.name} winter wellbeing",
        status=Campaign.Status.COMPLETED,
        budget=Decimal("1500"),
        start_date=today - timedelta(days=80),
        end_date=today - timedelta(days=50),
    )
    Collaboration.objects.create(campaign=done, creator=people[8], stage=Stage.PAID, fee=Decimal("500"))


def _partnerships(brand: Brand, people: list[Creator], user, today) -> None:
    on_track, behind, renewal, ended = people[:4]
    for creator, values in [
        (
            on_track,
            {"start_date": today - timedelta(days=120), "renewal_date": today + timedelta(days=90), "cadence": 2},
        ),
        (
            behind,
            {"start_date": today - timedelta(days=200), "renewal_date": today + timedelta(days=120), "cadence": 4},
        ),
        (
            renewal,
            {"start_date": today - timedelta(days=330), "renewal_date": today + timedelta(days=12), "cadence": 1},
        ),
        (
            ended,
            {
                "start_date": today - timedelta(days=400),
                "end_date": today - timedelta(days=20),
                "cadence": 2,
                "status": Partnership.Status.ENDED,
            },
        ),
    ]:
        Partnership.objects.create(brand=brand, creator=creator, retainer_fee=Decimal("300"), **values)
    # The on-track and renewal-due partners published for the brand recently.
    ongoing = Campaign.objects.create(
        brand=brand,
        name=f"{brand.name} always-on ambassadors",
        status=Campaign.Status.ACTIVE,
        budget=Decimal("4000"),
        start_date=today - timedelta(days=120),
    )
    for creator in (on_track, renewal):
        collaboration = Collaboration.objects.create(
            campaign=ongoing, creator=creator, stage=Stage.PUBLISHED, fee=Decimal("250")
        )
        StageChange.objects.create(collaboration=collaboration, to_stage=Stage.PUBLISHED, changed_by=user)
        for post in _recent_posts(creator, 2):
            Deliverable.objects.create(
                collaboration=collaboration,
                status=Deliverable.Status.PUBLISHED,
                post=post,
                published_at=post.posted_at,
                due_date=post.posted_at.date(),
            )
