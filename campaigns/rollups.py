"""Stored rollups of campaigns and partnerships, refreshed as a step of every recalculation.

Definitions (written down once):
- campaign spend = the agreed fees of its collaborations that are contracted or later (contracted, content in
  review, published, paid);
- posts published = distinct posts linked to its deliverables; reach = the followers of the distinct accounts
  that published them; interactions = the posts' interactions (a post whose like count the platform hides counts
  its comments, shares and saves);
- content ER = interactions ÷ (sum over those posts of their account's followers) × 100;
- CPE = spend ÷ interactions; CPM = spend ÷ reach × 1,000 (unknown when the divisor is 0);
- partnership lifetime spend = monthly retainer × months the partnership has been active (started months, up to
  its end or today, pauses included) + committed fees of the brand's collaborations with the
  creator; lifetime interactions = interactions of posts linked to those collaborations' deliverables;
- partnership health, in this order: ended (status ended, or end date passed) → behind cadence (an active
  partnership older than 30 days with fewer published posts in the last 30 days than its monthly cadence) →
  renewal due (renewal date, or else end date, within the next 30 days) → on track.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min, Q
from django.utils import timezone

from config.words import counted
from creators.metrics import Scope

from .models import (
    COMMITTED_STAGES,
    BrandMonth,
    Campaign,
    Collaboration,
    Deliverable,
    Partnership,
    PartnershipMonth,
    StageChange,
)

RENEWAL_WINDOW_DAYS = 30
CADENCE_WINDOW_DAYS = 30


def recalculate(scope: Scope, *, today: date | None = None) -> None:
    """Refresh the rollups of every campaign and partnership that involves a creator of ``scope``."""
    today = today or timezone.localdate()
    # A full scope also refreshes campaigns without collaborations (back to zero).
    campaigns = Campaign.objects.all()
    if not scope.is_everything:
        campaigns = campaigns.filter(pk__in=Collaboration.objects.filter(scope.q("creator_id")).values("campaign_id"))
    campaigns_recalculate(list(campaigns.values_list("pk", flat=True)))
    partnerships = Partnership.objects.filter(scope.q("creator_id"))
    partnerships_recalculate(list(partnerships.values_list("pk", flat=True)), today=today)


def _linked_posts(collaborations: Q) -> list[dict]:
    """Distinct (collaboration, post) links with the numbers rollups need: one query."""
    links = list(
        Deliverable.objects.filter(collaborations, post__isnull=False)
        .values(
            "collaboration_id",
            "collaboration__campaign_id",
            "collaboration__campaign__brand_id",
            "collaboration__creator_id",
            "post_id",
            "post__interactions",
            "post__comments",
            "post__shares",
            "post__saves",
            "post__posted_at",
            "post__account_id",
            "post__account__followers",
        )
        .distinct()
    )
    for link in links:
        if link["post__interactions"] is None:  # the platform hides the likes: what it shows still counts
            link["post__interactions"] = link["post__comments"] + link["post__shares"] + link["post__saves"]
    return links


def campaigns_recalculate(campaign_ids: list[int]) -> None:
    if not campaign_ids:
        return
    spend = defaultdict(Decimal)
    counts = defaultdict(int)
    for campaign_id, stage, fee in Collaboration.objects.filter(campaign_id__in=campaign_ids).values_list(
        "campaign_id", "stage", "fee"
    ):
        counts[campaign_id] += 1
        if stage in COMMITTED_STAGES and fee is not None:
            spend[campaign_id] += fee
    posts, accounts = defaultdict(dict), defaultdict(dict)
    for link in _linked_posts(Q(collaboration__campaign_id__in=campaign_ids)):
        campaign_id = link["collaboration__campaign_id"]
        posts[campaign_id][link["post_id"]] = (link["post__interactions"], link["post__account__followers"])
        accounts[campaign_id][link["post__account_id"]] = link["post__account__followers"]
    updated = []
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).only("pk"):
        pk = campaign.pk
        interactions = sum(i for i, _ in posts[pk].values())
        exposure = sum(f for _, f in posts[pk].values())
        reach = sum(accounts[pk].values())
        money = spend[pk]
        campaign.spend = money
        campaign.collaborations_count = counts[pk]
        campaign.posts_published = len(posts[pk])
        campaign.reach = reach
        campaign.interactions = interactions
        campaign.content_er = interactions * 100 / exposure if exposure else None
        campaign.cpe = float(money) / interactions if interactions else None
        campaign.cpm = float(money) / reach * 1000 if reach else None
        updated.append(campaign)
    brands_months_recalculate(set(Campaign.objects.filter(pk__in=campaign_ids).values_list("brand_id", flat=True)))
    Campaign.objects.bulk_update(
        updated,
        ["spend", "collaborations_count", "posts_published", "reach", "interactions", "content_er", "cpe", "cpm"],
        batch_size=500,
    )


def brands_months_recalculate(brand_ids: set[int]) -> None:
    """Interactions on each brand's campaign posts per calendar month (distinct posts, by publication month)."""
    if not brand_ids:
        return
    per_month = defaultdict(lambda: [0, 0])
    seen = set()
    for link in _linked_posts(Q(collaboration__campaign__brand_id__in=brand_ids)):
        key = (link["collaboration__campaign__brand_id"], link["post_id"])
        if key in seen:
            continue
        seen.add(key)
        month = timezone.localtime(link["post__posted_at"]).date().replace(day=1)
        per_month[(key[0], month)][0] += link["post__interactions"]
        per_month[(key[0], month)][1] += 1
    BrandMonth.objects.filter(brand_id__in=brand_ids).delete()
    BrandMonth.objects.bulk_create(
        [BrandMonth(brand_id=b, month=m, interactions=v[0], posts=v[1]) for (b, m), v in sorted(per_month.items())]
    )


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from ``start``'s to ``end``'s, inclusive (empty when end < start)."""
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def health_of(partnership: Partnership, *, today: date, published_last_30_days: int) -> tuple[str, str]:
    """The health verdict of a partnership on ``today``, with its reason."""
    Health = Partnership.Health
    if partnership.status == Partnership.Status.ENDED or (partnership.end_date and partnership.end_date < today):
        return Health.ENDED, f"Ended{f' on {partnership.end_date:%Y-%m-%d}' if partnership.end_date else ''}."
    age = (today - partnership.start_date).days
    if (
        partnership.status == Partnership.Status.ACTIVE
        and age >= CADENCE_WINDOW_DAYS
        and published_last_30_days < partnership.cadence
    ):
        return Health.BEHIND, (
            f"{counted(published_last_30_days, 'post')} published in the last {CADENCE_WINDOW_DAYS} days; "
            f"the cadence is {partnership.cadence} a month."
        )
    renewal = partnership.renewal_date or partnership.end_date
    if renewal and 0 <= (renewal - today).days <= RENEWAL_WINDOW_DAYS:
        days = (renewal - today).days
        when = "today" if days == 0 else f"in {counted(days, 'day')}"
        return Health.RENEWAL_DUE, f"The renewal date, {renewal:%Y-%m-%d}, is {when}."
    if partnership.status == Partnership.Status.PAUSED:
        return Health.ON_TRACK, "Paused: the cadence is suspended."
    return (
        Health.ON_TRACK,
        f"{counted(published_last_30_days, 'post')} in the last {CADENCE_WINDOW_DAYS} days "
        f"for a cadence of {partnership.cadence}.",
    )


def partnerships_recalculate(partnership_ids: list[int], *, today: date) -> None:
    if not partnership_ids:
        return
    partnerships = list(Partnership.objects.filter(pk__in=partnership_ids))
    pairs = {(p.brand_id, p.creator_id) for p in partnerships}
    creator_ids = {c for _, c in pairs}
    fees = defaultdict(list)  # (brand, creator) -> [(month, fee)]
    committed = dict(
        StageChange.objects.filter(collaboration__creator_id__in=creator_ids, to_stage__in=COMMITTED_STAGES)
        .values("collaboration_id")
        .annotate(first=Min("changed_at"))
        .values_list("collaboration_id", "first")
    )
    for collaboration in (
        Collaboration.objects.filter(creator_id__in=creator_ids, stage__in=COMMITTED_STAGES)
        .select_related("campaign")
        .only("pk", "fee", "creator_id", "campaign__brand_id", "created_at")
    ):
        key = (collaboration.campaign.brand_id, collaboration.creator_id)
        if key in pairs and collaboration.fee:
            when = committed.get(collaboration.pk, collaboration.created_at)
            fees[key].append((timezone.localtime(when).date().replace(day=1), collaboration.fee))
    posts = defaultdict(dict)  # (brand, creator) -> {post: (interactions, posted_at)}
    for link in _linked_posts(Q(collaboration__creator_id__in=creator_ids)):
        key = (link["collaboration__campaign__brand_id"], link["collaboration__creator_id"])
        if key in pairs:
            posts[key][link["post_id"]] = (link["post__interactions"], link["post__posted_at"])
    since = timezone.now() - timedelta(days=CADENCE_WINDOW_DAYS)
    months = []
    for partnership in partnerships:
        key = (partnership.brand_id, partnership.creator_id)
        last = min(filter(None, [partnership.end_date, today]))
        per_month = defaultdict(lambda: [Decimal(0), 0, 0])
        for month in months_between(partnership.start_date, last):
            per_month[month][0] += partnership.retainer_fee
        for month, fee in fees[key]:
            per_month[month][0] += fee
        for interactions, posted_at in posts[key].values():
            month = timezone.localtime(posted_at).date().replace(day=1)
            per_month[month][1] += interactions
            per_month[month][2] += 1
        recent = sum(1 for _, posted_at in posts[key].values() if posted_at >= since)
        partnership.published_last_30_days = recent
        partnership.health, partnership.health_reason = health_of(
            partnership, today=today, published_last_30_days=recent
        )
        partnership.lifetime_spend = sum((v[0] for v in per_month.values()), Decimal(0))
        partnership.lifetime_interactions = sum(v[1] for v in per_month.values())
        months += [
            PartnershipMonth(partnership=partnership, month=m, spend=v[0], interactions=v[1], posts=v[2])
            for m, v in sorted(per_month.items())
        ]
    Partnership.objects.bulk_update(
        partnerships, ["published_last_30_days", "health", "health_reason", "lifetime_spend", "lifetime_interactions"]
    )
    PartnershipMonth.objects.filter(partnership_id__in=partnership_ids).delete()
    PartnershipMonth.objects.bulk_create(months, batch_size=1000)
