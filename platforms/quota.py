"""Staying within the platforms' limits: YouTube's daily units, Instagram's usage percentages."""

import json
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .errors import QuotaExhausted, RateLimited
from .models import QuotaDay

# YouTube's daily quota resets at midnight Pacific Time.
YOUTUBE_DAY_ZONE = ZoneInfo("America/Los_Angeles")


def youtube_day(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(YOUTUBE_DAY_ZONE).date()


def youtube_reset(now: datetime | None = None) -> datetime:
    """When YouTube's quota is next reset (the next midnight Pacific Time)."""
    day = youtube_day(now) + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=YOUTUBE_DAY_ZONE)


def _reserve(units: int) -> bool:
    """Count ``units`` against today's quota if they fit: one conditional UPDATE, so processes syncing at once never
    overspend together."""
    day = youtube_day()
    QuotaDay.objects.get_or_create(platform="youtube", day=day)
    return bool(
        QuotaDay.objects.filter(platform="youtube", day=day, units__lte=settings.YOUTUBE_DAILY_QUOTA - units).update(
            units=F("units") + units
        )
    )


def _exhausted() -> QuotaExhausted:
    return QuotaExhausted(
        f"{settings.YOUTUBE_DAILY_QUOTA:,} units used today; resets at midnight Pacific Time",
        retry_after=(youtube_reset() - timezone.now()).total_seconds(),
    )


def youtube_spend(units: int) -> None:
    """Count ``units`` against today's quota before the request is sent; QuotaExhausted when they would not fit."""
    if not _reserve(units):
        raise _exhausted()


class YouTubeBudget:
    """Quota units reserved for a batch in blocks (one UPDATE per block instead of one per request); what the batch
    did not use goes back with ``release``. A request is never sent without its unit counted first."""

    BLOCK = 50

    def __init__(self):
        self.left = 0

    def spend(self, units: int) -> None:
        while self.left < units:
            block = max(units, self.BLOCK)
            if _reserve(block):
                self.left += block
            elif _reserve(units):  # near the end of the day's quota: only what this request needs
                self.left += units
            else:
                raise _exhausted()
        self.left -= units

    def release(self) -> None:
        if self.left:
            QuotaDay.objects.filter(platform="youtube", day=youtube_day(), units__gte=self.left).update(
                units=F("units") - self.left
            )
            self.left = 0


def youtube_exhausted() -> None:
    """The API itself said the quota is exhausted (another user of the key): count the day as used up."""
    QuotaDay.objects.update_or_create(
        platform="youtube", day=youtube_day(), defaults={"units": settings.YOUTUBE_DAILY_QUOTA}
    )


def units_today(platform: str) -> int:
    day = youtube_day() if platform == "youtube" else timezone.now().date()
    row = QuotaDay.objects.filter(platform=platform, day=day).first()
    return row.units if row else 0


def instagram_count() -> None:
    """Instagram has no daily units; the calls are counted per day for the data-sources page."""
    day = timezone.now().date()
    QuotaDay.objects.get_or_create(platform="instagram", day=day)
    QuotaDay.objects.filter(platform="instagram", day=day).update(units=F("units") + 1)


def usage_percent(headers) -> tuple[float, float]:
    """The highest usage percentage in Meta's X-App-Usage and X-Business-Use-Case-Usage headers, and the minutes
    the Business Use Case header says it takes to regain access (0 when it says nothing)."""
    highest, regain = 0.0, 0.0
    for name in ("x-app-usage", "x-business-use-case-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            continue
        entries = [value] if name == "x-app-usage" else [e for v in value.values() if isinstance(v, list) for e in v]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in ("call_count", "total_cputime", "total_time"):
                if isinstance(entry.get(key), int | float):
                    highest = max(highest, float(entry[key]))
            if isinstance(entry.get("estimated_time_to_regain_access"), int | float):
                regain = max(regain, float(entry["estimated_time_to_regain_access"]))
    return highest, regain


def instagram_pace(headers, *, sleep=time.sleep) -> None:
    """Slow down as Meta's usage climbs (from ``INSTAGRAM_SLOW_AT`` %), and stop before it refuses (at
    ``INSTAGRAM_STOP_AT`` %): the remaining accounts are then deferred until access is regained."""
    percent, regain = usage_percent(headers)
    if percent >= settings.INSTAGRAM_STOP_AT:
        raise RateLimited(f"usage at {percent:.0f} % of Meta's limit", retry_after=max(regain * 60, 15 * 60))
    if percent >= settings.INSTAGRAM_SLOW_AT:
        span = settings.INSTAGRAM_STOP_AT - settings.INSTAGRAM_SLOW_AT
        sleep(settings.INSTAGRAM_MAX_PAUSE * (percent - settings.INSTAGRAM_SLOW_AT) / span)
