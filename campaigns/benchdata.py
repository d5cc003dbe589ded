"""Brands, campaigns and partnerships over the benchmark's creator base (``bench_pages``)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from creators import benchdata, recalculation
from creators.models import Creator, Niche, Post

from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    FitScore,
    Membership,
    Partnership,
    Stage,
    StageChange,
)

BENCH_USER = "bench"


@transaction.atomic
def ensure_brands() -> tuple[Brand, object]:
    """Two bench brands (the bench user in the first) with campaigns in every stage and partnerships."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_password(BENCH_USER)
        user.save()
    brand = Brand.objects.filter(slug="bench-brand").first()
    if brand:
        return brand, user
    brand = Brand.objects.create(name="Bench Brand", slug="bench-brand", target_countries=["US", "GB"])
    brand.target_niches.set(Niche.objects.order_by("id")[:2])
    other = Brand.objects.create(name="Bench Rival", slug="bench-rival", target_countries=["DE"])
    other.target_niches.set(Niche.objects.order_by("id")[2:4])
    Membership.objects.create(brand=brand, user=user, role=Membership.Role.MANAGER)
    today = timezone.localdate()
    flagged = list(Creator.objects.filter(is_flagged=True, email__startswith="bench-").order_by("id")[:200])
    for n, target in enumerate([brand, other]):
        campaign = Campaign.objects.create(
            brand=target,
            name=f"{target.name} launch",
            status=Campaign.Status.ACTIVE,
            budget=Decimal("50000"),
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=30),
        )
        for k, creator in enumerate(flagged[n * 100 : n * 100 + 80]):
            stage = Stage.values[k % len(Stage.values)]
            collaboration = Collaboration.objects.create(
                campaign=campaign, creator=creator, stage=stage, fee=Decimal("300")
            )
            StageChange.objects.create(collaboration=collaboration, to_stage=stage, changed_by=user)
            if stage in (Stage.PUBLISHED, Stage.PAID):
                post = Post.objects.filter(account__creator=creator).order_by("-posted_at").first()
                if post:
                    Deliverable.objects.create(
                        collaboration=collaboration, post=post, status=Deliverable.Status.PUBLISHED
                    )
        for creator in flagged[n * 100 + 80 : n * 100 + 100]:
            Partnership.objects.create(
                brand=target,
                creator=creator,
                start_date=today - timedelta(days=60),
                renewal_date=today + timedelta(days=20),
                cadence=2,
                retainer_fee=Decimal("200"),
            )
    return brand, user


def ensure_dataset(n: int, *, log=print) -> tuple[Brand, object]:
    """The whole benchmark data set: N creators with niches, computed metrics, the bench brands and their fit.

    Both benchmarks start here, so each measures the same thing on a fresh clone whichever runs first.
    """
    benchdata.ensure(n, log=log)
    benchdata.ensure_niches(log=log)
    if not Creator.objects.filter(metrics_updated_at__isnull=False).exists():
        log("  recalculating every metric (first run)…")
        recalculation.run_in_foreground(trigger="bench")
    brand, user = ensure_brands()
    if FitScore.objects.filter(brand=brand).count() < Creator.objects.filter(status="active").count() * 0.9:
        log("  recalculating every metric (fit scores for the bench brands)…")
        recalculation.run_in_foreground(trigger="bench")
        recalculation.run_in_foreground(trigger="bench")  # the second uses the tier medians of the first
    return brand, user
