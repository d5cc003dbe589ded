"""What the data-sources page and the arriving page read."""

from django.conf import settings
from django.db.models import Count, Q

from creators.models import Creator, SocialAccount

from . import quota, sync
from .models import AccountSync, SyncRun


def platform_overview() -> list[dict]:
    """Per synced platform: whether it is configured (and why not), its accounts by sync state, quota used today,
    its last runs and its most recent failures. A handful of queries whatever the number of accounts."""
    states = dict.fromkeys(AccountSync.Status.values, 0)
    counted = (
        SocialAccount.objects.filter(platform__in=sync.PLATFORMS, creator__status=Creator.Status.ACTIVE)
        .values("platform", "sync__status")
        .annotate(n=Count("pk"))
    )
    per_platform = {p: dict(states) for p in sync.PLATFORMS}
    for row in counted:
        per_platform[row["platform"]][row["sync__status"] or AccountSync.Status.PENDING] += row["n"]
    overview = []
    for platform in sync.PLATFORMS:
        failures = (
            AccountSync.objects.filter(account__platform=platform)
            .filter(Q(status=AccountSync.Status.FAILED) | Q(status=AccountSync.Status.DEFERRED))
            .select_related("account", "account__creator")
            .order_by("-last_attempt_at")[:20]
        )
        overview.append(
            {
                "platform": platform,
                "label": "YouTube" if platform == "youtube" else "Instagram",
                "missing": sync.credentials_missing(platform),
                "states": per_platform[platform],
                "total": sum(per_platform[platform].values()),
                "units": quota.units_today(platform),
                "limit": settings.YOUTUBE_DAILY_QUOTA if platform == "youtube" else None,
                "runs": list(SyncRun.objects.filter(platform=platform)[:5]),
                "failures": list(failures),
            }
        )
    return overview


def accounts_arriving(ids: list[int]) -> list[SocialAccount]:
    return list(
        SocialAccount.objects.filter(pk__in=ids[:500]).select_related("creator", "sync").order_by("platform", "handle")
    )
