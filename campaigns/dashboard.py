"""What the dashboard shows for a brand, read from stored values in a constant number of queries."""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from creators.models import Creator, Niche, TierBenchmark

from .models import BrandMonth, Campaign, Collaboration, FitScore, Partnership, RelationshipEntry, Stage


def candidates(brand, filters: dict, *, suspicious: bool, limit: int):
    """Flagged creators ordered by fit for ``brand``, with their fit parts; suspicious ones apart."""
    # Stored with the score and refreshed with it: a flagged active creator, suspicious or not.
    scores = FitScore.objects.filter(brand=brand, candidate="suspicious" if suspicious else "clean")
    if niche := filters.get("niche"):
        scores = scores.filter(
            Exists(Creator.niches.through.objects.filter(creator_id=OuterRef("creator_id"), niche__slug=niche))
        )
    if platform := filters.get("platform"):
        scores = scores.filter(creator__qualifying_account__platform=platform)
    if country := filters.get("country"):
        scores = scores.filter(creator__country=country)
    in_campaign = Collaboration.objects.filter(campaign__brand=brand, creator_id=OuterRef("creator_id"))
    partner = Partnership.objects.filter(Partnership.running(), brand=brand, creator_id=OuterRef("creator_id"))
    if filters.get("not_contacted"):
        contacted = in_campaign.exclude(stage=Stage.SHORTLISTED)
        logged = RelationshipEntry.objects.filter(brand=brand, creator_id=OuterRef("creator_id"))
        scores = scores.exclude(Exists(contacted)).exclude(Exists(logged))
    return list(
        scores.annotate(in_campaign=Exists(in_campaign), partner=Exists(partner))
        .select_related("creator", "creator__qualifying_account")
        .prefetch_related(
            Prefetch("creator__niches", queryset=Niche.objects.only("id", "name", "slug").order_by("name"))
        )
        .order_by("-score", "creator_id")[:limit]
    )


def kpis(brand) -> dict:
    campaigns = brand.campaigns.exclude(status=Campaign.Status.ARCHIVED)
    totals = campaigns.aggregate(spend=Sum("spend"), interactions=Sum("interactions"))
    active = campaigns.filter(status=Campaign.Status.ACTIVE).aggregate(
        n=Count("id"), spend=Sum("spend"), budget=Sum("budget")
    )
    month = timezone.localdate().replace(day=1)
    this_month = BrandMonth.objects.filter(brand=brand, month=month).values_list("interactions", flat=True).first()
    spend, interactions = totals["spend"] or 0, totals["interactions"] or 0
    return {
        "active_campaigns": active["n"],
        "active_spend": active["spend"] or 0,
        "active_budget": active["budget"] or 0,
        "interactions_this_month": this_month or 0,
        "average_cpe": float(spend) / interactions if interactions else None,
    }


def attention(brand) -> list[Partnership]:
    return list(
        brand.partnerships.filter(health__in=[Partnership.Health.BEHIND, Partnership.Health.RENEWAL_DUE])
        .select_related("creator")
        .order_by("health", "renewal_date")[:10]
    )


def funnel(brand) -> list[tuple[str, int]]:
    counts = dict(
        Collaboration.objects.filter(campaign__brand=brand, campaign__status=Campaign.Status.ACTIVE)
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    return [(label, counts.get(value, 0)) for value, label in Stage.choices]


def tier_counts() -> list[tuple[str, int]]:
    """Active creators per tier, as of the last full recalculation."""
    stored = dict(TierBenchmark.objects.values_list("tier", "creators"))
    return [(label, stored.get(value, 0)) for value, label in Creator._meta.get_field("tier").choices]


def scatter_points(brand, limit: int = 400) -> list[tuple[int, float, bool]]:
    """(followers, ER, flagged) of the brand's best-fitting creators: a bounded sample for the scatter. A flagged
    creator's point is its qualifying account (the one that makes it flagged), others' their headline figures."""
    rows = (
        FitScore.objects.filter(brand=brand, creator__engagement_rate__isnull=False, creator__followers__gt=0)
        .order_by("-score", "creator_id")
        .values_list(
            Coalesce("creator__qualifying_account__followers", "creator__followers"),
            Coalesce("creator__qualifying_account__engagement_rate", "creator__engagement_rate"),
            "creator__is_flagged",
        )[:limit]
    )
    return list(rows)


def interactions_by_month(brand, months: int = 6) -> list:
    return list(
        BrandMonth.objects.filter(brand=brand).order_by("-month").values_list("month", "interactions")[:months]
    )[::-1]


def micro_bounds() -> tuple[int, int]:
    return settings.TIER_MICRO_MIN_FOLLOWERS, settings.TIER_MICRO_MAX_FOLLOWERS
