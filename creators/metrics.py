"""The metric definitions of CONTRACT section 3, once, beside the set-based SQL that applies them.

- Interactions of a post = likes + comments + shares + saves (``Post.interactions``, a generated column).
- Engagement rate (ER) of an account, in percent = mean interactions per post over its most recent
  ``ER_POST_COUNT`` posts published in the last ``ER_WINDOW_DAYS`` days, ÷ current followers × 100;
  unknown (NULL) with fewer than ``ER_MIN_POSTS`` such posts or 0 followers.
- Tier by followers: emerging < 1,000 ≤ micro ≤ 100,000 < macro < 1,000,000 ≤ mega.
- High engagement: ER ≥ ``HIGH_ENGAGEMENT_THRESHOLD`` (compared exactly, in integers, not on a rounded ER).
- Flagged: an active creator with at least one micro-tier, high-engagement account.
- Primary account: the creator's account with the most followers (ties: earliest added); the creator's
  followers, tier and headline ER are the primary account's.
- Estimated cost per engagement = rate ÷ (headline ER / 100 × primary followers).

Every statement works on a whole scope of creators at once (all, an id range, or a list of ids), so a
recalculation costs a few queries whatever the number of creators, on PostgreSQL and SQLite alike.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Scope:
    """Which creators a recalculation covers: all, ``id_min <= id <= id_max``, or the given ids."""

    ids: Collection[int] | None = None
    id_min: int | None = None
    id_max: int | None = None

    def where(self, column: str) -> tuple[str, dict]:
        if self.ids is not None:
            ids = sorted({int(i) for i in self.ids}) or [0]
            if connection.vendor == "postgresql":
                return f"{column} = ANY(%(scope_ids)s)", {"scope_ids": ids}
            names = {f"scope_id_{n}": value for n, value in enumerate(ids)}
            return f"{column} IN ({', '.join(f'%({name})s' for name in names)})", names
        if self.id_min is not None and self.id_max is not None:
            return f"{column} BETWEEN %(id_min)s AND %(id_max)s", {"id_min": self.id_min, "id_max": self.id_max}
        return "TRUE", {}


def tier_for(followers: int) -> str:
    """The tier of an account with ``followers`` followers (the Python twin of ``_TIER_SQL``)."""
    if followers < settings.TIER_MICRO_MIN_FOLLOWERS:
        return "emerging"
    if followers <= settings.TIER_MICRO_MAX_FOLLOWERS:
        return "micro"
    if followers < settings.TIER_MEGA_MIN_FOLLOWERS:
        return "macro"
    return "mega"


_TIER_SQL = """CASE WHEN {f} < %(micro_min)s THEN 'emerging'
                    WHEN {f} <= %(micro_max)s THEN 'micro'
                    WHEN {f} < %(mega_min)s THEN 'macro'
                    ELSE 'mega' END"""

_ACCOUNTS_SQL = """
WITH scope AS (
    SELECT a.id, a.followers FROM creators_socialaccount a WHERE {where}
),
ranked AS (
    SELECT p.account_id, p.interactions,
           ROW_NUMBER() OVER (PARTITION BY p.account_id ORDER BY p.posted_at DESC, p.id DESC) AS rn
    FROM creators_post p JOIN scope s ON s.id = p.account_id
    WHERE p.posted_at >= %(since)s AND p.posted_at <= %(now)s
),
agg AS (
    SELECT account_id, COUNT(*) AS n, SUM(interactions) AS total
    FROM ranked WHERE rn <= %(post_count)s GROUP BY account_id
),
computed AS (
    SELECT s.id,
           CASE WHEN agg.n >= %(min_posts)s AND s.followers > 0
                THEN CAST(agg.total AS DOUBLE PRECISION) * 100.0 / (agg.n * s.followers) END AS er,
           CASE WHEN agg.n >= %(min_posts)s AND s.followers > 0
                     AND agg.total * 100 >= %(threshold)s * agg.n * s.followers
                THEN TRUE ELSE FALSE END AS high,
           {tier} AS tier,
           COALESCE(agg.n, 0) AS n
    FROM scope s LEFT JOIN agg ON agg.account_id = s.id
)
UPDATE creators_socialaccount AS t
SET engagement_rate = c.er, is_high_engagement = c.high, tier = c.tier, er_posts = c.n
FROM computed c
WHERE t.id = c.id
  AND (t.engagement_rate IS DISTINCT FROM c.er OR t.is_high_engagement IS DISTINCT FROM c.high
       OR t.tier IS DISTINCT FROM c.tier OR t.er_posts IS DISTINCT FROM c.n)
"""

_CREATORS_SQL = """
WITH scope AS (
    SELECT c.id, c.status, c.rate FROM creators_creator c WHERE {where}
),
ranked AS (
    SELECT a.creator_id, a.id, a.followers, a.tier, a.engagement_rate,
           ROW_NUMBER() OVER (PARTITION BY a.creator_id ORDER BY a.followers DESC, a.created_at, a.id) AS rn,
           COUNT(*) OVER (PARTITION BY a.creator_id) AS n,
           MAX(CASE WHEN a.tier = 'micro' AND a.is_high_engagement THEN 1 ELSE 0 END)
               OVER (PARTITION BY a.creator_id) AS qualifies
    FROM creators_socialaccount a JOIN scope s ON s.id = a.creator_id
),
computed AS (
    SELECT s.id,
           r.id AS primary_id,
           r.followers,
           COALESCE(r.tier, '') AS tier,
           r.engagement_rate AS er,
           CASE WHEN s.status = 'active' AND r.qualifies = 1 THEN TRUE ELSE FALSE END AS flagged,
           CASE WHEN s.rate IS NOT NULL AND r.engagement_rate > 0 AND r.followers > 0
                THEN CAST(s.rate AS DOUBLE PRECISION) / (r.engagement_rate / 100.0 * r.followers) END AS cpe,
           COALESCE(r.n, 0) AS n
    FROM scope s LEFT JOIN ranked r ON r.creator_id = s.id AND r.rn = 1
)
UPDATE creators_creator AS t
SET primary_account_id = c.primary_id, followers = c.followers, tier = c.tier, engagement_rate = c.er,
    is_flagged = c.flagged, cost_per_engagement = c.cpe, accounts_count = c.n, metrics_updated_at = %(now)s
FROM computed c
WHERE t.id = c.id
  AND (t.primary_account_id IS DISTINCT FROM c.primary_id OR t.followers IS DISTINCT FROM c.followers
       OR t.tier IS DISTINCT FROM c.tier OR t.engagement_rate IS DISTINCT FROM c.er
       OR t.is_flagged IS DISTINCT FROM c.flagged OR t.cost_per_engagement IS DISTINCT FROM c.cpe
       OR t.accounts_count IS DISTINCT FROM c.n)
"""


def _parameters(now: datetime) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "now": adapt(now),
        "since": adapt(now - timedelta(days=settings.ER_WINDOW_DAYS)),
        "post_count": settings.ER_POST_COUNT,
        "min_posts": settings.ER_MIN_POSTS,
        "threshold": Decimal(str(settings.HIGH_ENGAGEMENT_THRESHOLD))
        if connection.vendor == "postgresql"
        else float(settings.HIGH_ENGAGEMENT_THRESHOLD),
        "micro_min": settings.TIER_MICRO_MIN_FOLLOWERS,
        "micro_max": settings.TIER_MICRO_MAX_FOLLOWERS,
        "mega_min": settings.TIER_MEGA_MIN_FOLLOWERS,
    }


def _execute(cursor, sql: str, params: dict) -> int:
    """Run an UPDATE and return how many rows it changed."""
    cursor.execute(sql, params)
    if cursor.rowcount >= 0:
        return cursor.rowcount
    cursor.execute("SELECT changes()")  # Python's sqlite3 reports -1 for a statement starting with WITH
    return cursor.fetchone()[0]


@dataclass(frozen=True)
class RecalcResult:
    accounts_changed: int
    creators_changed: int


@transaction.atomic
def recalculate_creator_metrics(*, scope: Scope = Scope(), now: datetime | None = None) -> RecalcResult:
    """Recompute every stored account and creator metric of ``scope`` in two statements."""
    now = now or timezone.now()
    params = _parameters(now)
    with connection.cursor() as cursor:
        where, scope_params = scope.where("a.creator_id")
        sql = _ACCOUNTS_SQL.format(where=where, tier=_TIER_SQL.format(f="s.followers"))
        accounts_changed = _execute(cursor, sql, {**params, **scope_params})
        where, scope_params = scope.where("c.id")
        creators_changed = _execute(cursor, _CREATORS_SQL.format(where=where), {**params, **scope_params})
    return RecalcResult(accounts_changed=accounts_changed, creators_changed=creators_changed)
