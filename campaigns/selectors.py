"""Reads of the brand workspace, from stored values; query counts do not grow with rows."""

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from creators.models import Creator

from .models import (
    COMMITTED_STAGES,
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Partnership,
    RelationshipEntry,
    Shortlist,
    Stage,
)


def _search(queryset: QuerySet, q: str | None, fields: list[str]) -> QuerySet:
    if not q:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return queryset.filter(condition)


def campaigns_of(brand: Brand, *, q: str | None = None, status: str | None = None) -> QuerySet[Campaign]:
    # Archived campaigns stay out of the way unless asked for.
    campaigns = (
        brand.campaigns.filter(status=status) if status else brand.campaigns.exclude(status=Campaign.Status.ARCHIVED)
    )
    return _search(campaigns, q, ["name", "objective"]).order_by("-created_at", "-id")


def partnerships_of(brand: Brand, *, q: str | None = None, status: str | None = None) -> QuerySet[Partnership]:
    partnerships = brand.partnerships.select_related("creator", "creator__primary_account")
    if status:
        partnerships = partnerships.filter(health=status)
    return _search(partnerships, q, ["creator__name", "creator__email", "notes"]).order_by("creator__name", "id")


def current_partnership(*, brand_id: int, creator, exclude: int | None = None) -> Partnership | None:
    """The brand's current (not ended) partnership with the creator, if any (the kept one before its duplicates)."""
    current = Partnership.objects.filter(brand_id=brand_id, creator=creator).exclude(status=Partnership.Status.ENDED)
    return current.exclude(pk=exclude).order_by(F("duplicate_of").asc(nulls_first=True), "start_date", "id").first()


def partnership_duplicates(brand: Brand) -> list[Partnership]:
    """The brand's current partnerships that duplicate another with the same creator (kept from before the database
    refused them), for the brand to end."""
    ended = Partnership.Status.ENDED
    duplicates = brand.partnerships.filter(duplicate_of__isnull=False).exclude(status=ended)
    duplicates = duplicates.exclude(duplicate_of__status=ended)
    return list(duplicates.select_related("creator", "duplicate_of").order_by("creator__name", "id")[:50])


def move_concerns(collaboration: Collaboration, previous: str) -> list[str]:
    """What a marketer should hear about a move the pipeline allows but that looks wrong (issue 15, defect 4): paid
    with no fee, a paid collaboration moved back, a published deliverable on a creator not contracted."""
    stage, concerns = collaboration.stage, []
    if stage == Stage.PAID and not collaboration.fee:
        concerns.append("no fee is recorded: add it on the collaboration, or the campaign's spend misses it")
    if previous == Stage.PAID and stage != Stage.PAID:
        concerns.append("it had been paid: its fee no longer counts as spend unless it is contracted or later")
    published = collaboration.deliverables.filter(status=Deliverable.Status.PUBLISHED).exists()
    if published and stage not in COMMITTED_STAGES:
        concerns.append("it has a published deliverable, so it was contracted already")
    return concerns


def campaign_board(campaign: Campaign) -> dict:
    """The pipeline's columns (creators per stage) and the deliverables that are overdue."""
    collaborations = campaign.collaborations.select_related("creator", "creator__primary_account").order_by(
        "creator__name", "id"
    )
    columns = {value: [] for value in Stage.values}
    for collaboration in collaborations:
        columns[collaboration.stage].append(collaboration)
    overdue = (
        Deliverable.objects.filter(collaboration__campaign=campaign, due_date__lt=timezone.localdate())
        .exclude(status=Deliverable.Status.PUBLISHED)
        .select_related("collaboration__creator")
    )
    totals = {value: sum((c.fee or 0 for c in items), Decimal(0)) for value, items in columns.items()}
    return {
        "columns": [(Stage(value), items, totals[value]) for value, items in columns.items()],
        "overdue": list(overdue),
        "collaboration_count": sum(len(items) for items in columns.values()),
    }


def budget_used(campaign: Campaign) -> int | None:
    """The share of the budget committed, in whole percent."""
    return int(100 * campaign.spend / campaign.budget) if campaign.budget else None


def board_totals(campaign: Campaign) -> dict[str, dict]:
    """Per stage: how many creators and the sum of their agreed fees (one grouped query)."""
    totals = {value: {"count": 0, "fees": Decimal(0)} for value in Stage.values}
    for row in campaign.collaborations.values("stage").annotate(count=Count("id"), fees=Sum("fee")).order_by():
        totals[row["stage"]] = {"count": row["count"], "fees": row["fees"] or Decimal(0)}
    return totals


def campaign_export_rows(campaign: Campaign):
    """One table: a header, then one row per collaboration, stages and tiers by their names (what a spreadsheet
    reader expects); the campaign's results are ``campaign_results_rows``, a file of their own."""
    yield [
        "creator_email",
        "creator_name",
        "stage",
        "fee",
        "currency",
        "primary_platform",
        "primary_handle",
        "followers",
        "tier",
        "engagement_rate",
        "deliverables",
        "published",
    ]
    collaborations = campaign.collaborations.select_related("creator", "creator__primary_account").annotate(
        deliverable_count=Count("deliverables"),
        published_count=Count("deliverables", filter=Q(deliverables__status=Deliverable.Status.PUBLISHED)),
    )
    for c in collaborations.order_by("creator__name", "id"):
        primary = c.creator.primary_account
        er = c.creator.engagement_rate
        yield [
            c.creator.email,
            c.creator.name,
            c.get_stage_display(),
            "" if c.fee is None else c.fee,
            campaign.currency if c.fee is not None else "",
            primary.get_platform_display() if primary else "",
            primary.handle if primary else "",
            c.creator.followers or "",
            c.creator.get_tier_display(),
            "" if er is None else f"{er:.2f}",
            c.deliverable_count,
            c.published_count,
        ]


def campaign_results_rows(campaign: Campaign):
    """The campaign's results as a two-column table (``?table=results`` of the export)."""
    yield ["result", "value"]
    for label, value in campaign_results(campaign):
        yield [label, value]
    yield ["currency", campaign.currency]


def _fmt(value, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def campaign_results(campaign: Campaign) -> list[tuple[str, str]]:
    return [
        ("budget", f"{campaign.budget}"),
        ("spend", f"{campaign.spend}"),
        ("posts_published", str(campaign.posts_published)),
        ("reach", str(campaign.reach)),
        ("interactions", str(campaign.interactions)),
        ("content_er", _fmt(campaign.content_er)),
        ("cpe", _fmt(campaign.cpe, 4)),
        ("cpm", _fmt(campaign.cpm)),
    ]


def partnership_overview(partnership: Partnership) -> dict:
    """Everything of the brand with the creator: campaigns, posts, monthly spend and interactions, the log."""
    collaborations = Collaboration.objects.filter(
        campaign__brand=partnership.brand, creator=partnership.creator
    ).select_related("campaign")
    deliverables = (
        Deliverable.objects.filter(
            collaboration__campaign__brand=partnership.brand,
            collaboration__creator=partnership.creator,
            post__isnull=False,
        )
        .select_related("post", "post__account", "collaboration__campaign")
        .order_by("-post__posted_at")
    )
    return {
        "collaborations": collaborations,
        "deliverables": deliverables,
        "months": partnership.months.all(),
        "log": RelationshipEntry.objects.filter(brand=partnership.brand, creator=partnership.creator).select_related(
            "author"
        ),
    }


def creator_history(brand: Brand, creator: Creator) -> dict:
    """This brand's history with a creator (never another brand's)."""
    return {
        "collaborations": Collaboration.objects.filter(campaign__brand=brand, creator=creator).select_related(
            "campaign"
        ),
        "partnerships": Partnership.objects.filter(brand=brand, creator=creator),
        "log": RelationshipEntry.objects.filter(brand=brand, creator=creator).select_related("author"),
        "shortlists": Shortlist.objects.filter(brand=brand, entries__creator=creator),
    }


def shortlists_with_counts(shortlists: QuerySet[Shortlist]) -> QuerySet[Shortlist]:
    return shortlists.annotate(size=Count("entries")).order_by("name", "id")


def add_targets(brand: Brand) -> dict:
    """The brand's open campaigns and its shortlists, for "add to…" menus."""
    return {
        # Plain querysets, not brand.campaigns: a related manager reads each row's brand_id, deferred by only().
        "campaigns": list(
            Campaign.objects.filter(brand=brand)
            .exclude(status__in=[Campaign.Status.ARCHIVED, Campaign.Status.COMPLETED])
            .only("pk", "name")
        ),
        "shortlists": list(Shortlist.objects.filter(brand=brand).only("pk", "name")),
    }


def fit_for(brand: Brand, creator: Creator):
    from .models import FitScore

    return FitScore.objects.filter(brand=brand, creator=creator).first()
