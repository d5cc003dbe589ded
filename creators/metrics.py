"""The metric definitions of CONTRACT section 3, once, beside the set-based SQL that applies them.

- Interactions of a post = likes + comments + shares + saves (``Post.interactions``, a generated column).
- Engagement rate (ER) of an account, in percent = mean interactions per post over its most recent
  ``ER_POST_COUNT`` posts published in the last ``ER_WINDOW_DAYS`` days, ÷ current followers × 100;
  unknown (NULL) with fewer than ``ER_MIN_POSTS`` such posts or 0 followers.
- A post whose like count the platform hides (``likes`` NULL, only from a platform sync: a CSV's missing count is 0)
  has unknown interactions and is not such a post: it counts neither among the most recent nor toward the minimum.
- Tier by followers: emerging < 1,000 ≤ micro ≤ 100,000 < macro < 1,000,000 ≤ mega.
- High engagement: ER ≥ ``HIGH_ENGAGEMENT_THRESHOLD`` (compared exactly, in integers, not on a rounded ER).
- Flagged: an active creator with at least one micro-tier, high-engagement account.
- Primary account: the creator's account with the most followers (ties: earliest added); the creator's
  followers, tier and headline ER are the primary account's.
- Estimated cost per engagement = rate ÷ (headline ER / 100 × primary followers).

Authenticity (an account is suspicious, with the reasons stored, on any of these signals):
- follower spike: in the snapshots of the last ``ER_WINDOW_DAYS`` days (at least 5 day-over-day steps), one
  day's growth is ≥ ``SPIKE_MIN_GROWTH`` (5 %) and ≥ ``SPIKE_FACTOR`` (10) × the mean growth of the other days;
- mass following: following > ``MASS_FOLLOWING_RATIO`` (2) × followers, and at least 500;
- implausible ER for the tier: outside ``ER_PLAUSIBLE[tier]`` (e.g. micro 0.3–15 %);
- likes per comment over the ER posts (with ≥ 100 likes) outside ``LIKES_PER_COMMENT`` (2–200), or no comments.
A creator is suspicious when any of its accounts is; its reasons are those of its largest suspicious account.
``audience_suspicious`` marks the signals of a bought audience (spike, mass following, likes per comment) apart
from an implausible ER, for the fit score (see ``campaigns.fit``).

The spike's figures over the window (number of steps, their sum, the top step) are kept per account
(``FollowerGrowth``): a recorded snapshot adds its step (``growth_record``), the daily ``growth_expire`` takes out
the steps that left the window, and an account is recomputed from its snapshots only when that cannot be done by
arithmetic (its top step left, a past day changed). A recalculation reads an account's snapshots only when its
figures do not cover the window exactly, so the stored signal is always the definition's.

Every statement works on a whole scope of creators at once (all, an id range, or a list of ids), so a
recalculation costs a few queries whatever the number of creators, on PostgreSQL and SQLite alike.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from itertools import pairwise

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from config import lookups


@dataclass(frozen=True)
class Scope:
    """Which creators a recalculation covers: all, ``id_min <= id <= id_max``, or the given ids."""

    ids: Collection[int] | None = None
    id_min: int | None = None
    id_max: int | None = None

    @cached_property
    def id_list(self) -> list[int] | None:
        """The given ids, each once, in order (None for a range or everything); sorted once per scope, however many
        statements read it."""
        return None if self.ids is None else sorted({int(i) for i in self.ids})

    def where(self, column: str) -> tuple[str, dict]:
        if self.ids is not None:
            ids = self.id_list or [0]
            # One parameter, whatever the number of ids: with a named parameter per id, SQLite matched each name
            # against every name before it while preparing (25 s per statement for an import's 50,000 creators).
            vendor = connection.vendor
            sql = lookups.membership(column, "%(scope_ids)s", vendor)
            return sql, {"scope_ids": lookups.one_parameter(ids, vendor)}
        if self.id_min is not None and self.id_max is not None:
            return f"{column} BETWEEN %(id_min)s AND %(id_max)s", {"id_min": self.id_min, "id_max": self.id_max}
        return "TRUE", {}

    def q(self, field: str) -> Q:
        """The same scope as an ORM condition on ``field`` (a creator id)."""
        if self.ids is not None:
            return Q(**{f"{field}__any_of": self.id_list})  # one parameter, as in where()
        if self.id_min is not None and self.id_max is not None:
            return Q(**{f"{field}__gte": self.id_min, f"{field}__lte": self.id_max})
        return Q()

    @property
    def is_everything(self) -> bool:
        return self.ids is None and (self.id_min is None or self.id_max is None)


def tier_bounds() -> list[tuple[str, int | None, int | None]]:
    """Each tier with its fewest and most followers (None: open), in order: the one definition of the tiers that
    ``tier_for``, ``tier_followers`` and the recalculation's SQL (``_tier_sql``) are built from."""
    micro_min, micro_max, mega_min = (
        settings.TIER_MICRO_MIN_FOLLOWERS,
        settings.TIER_MICRO_MAX_FOLLOWERS,
        settings.TIER_MEGA_MIN_FOLLOWERS,
    )
    return [
        ("emerging", None, micro_min - 1),
        ("micro", micro_min, micro_max),
        ("macro", micro_max + 1, mega_min - 1),
        ("mega", mega_min, None),
    ]


def tier_for(followers: int) -> str:
    """The tier of an account with ``followers`` followers."""
    return next(tier for tier, _, most in tier_bounds() if most is None or followers <= most)


def tier_followers(tier: str) -> Q:
    """The followers of a creator in ``tier`` as a condition (the range ``tier_for`` maps to it), so that a tier
    filter can walk the followers index; creators without an account have no tier and no followers."""
    for name, fewest, most in tier_bounds():
        if name == tier:
            return Q(followers__gte=fewest or 0) & (Q() if most is None else Q(followers__lte=most))
    return Q(followers__isnull=True)


def _tier_sql(column: str) -> str:
    """The tier of ``column`` (a followers count) as an SQL expression, with ``_tier_parameters``."""
    *bounded, (last, _, _) = tier_bounds()
    cases = " ".join(f"WHEN {column} <= %(tier_most_{tier})s THEN '{tier}'" for tier, _, _ in bounded)
    return f"CASE {cases} ELSE '{last}' END"


def _tier_parameters() -> dict:
    return {f"tier_most_{tier}": most for tier, _, most in tier_bounds() if most is not None}


def _step_sql(followers: str, prev: str) -> str:
    """One day-over-day step of the follower history as SQL: the growth from ``prev`` to ``followers`` (the next
    snapshot's), unknown when ``prev`` is 0; the one definition of a step that every statement here is built from."""
    return f"CASE WHEN {prev} > 0 THEN CAST({followers} - {prev} AS DOUBLE PRECISION) / {prev} END"


# Whether an account's kept growth figures (alias ``g``) are exactly those of the window that starts on
# %(snapshot_since)s and ends on %(today)s: they cover it from its start, no snapshot has left it since, none is newer.
_GROWTH_KEPT = """COALESCE(g.since <= %(snapshot_since)s AND (g.oldest IS NULL OR g.oldest >= %(snapshot_since)s)
                    AND (g.latest IS NULL OR g.latest <= %(today)s), FALSE)"""


# The recent posts and the follower growth of each account in scope, per vendor: the CTEs that compute them and how
# ``computed`` reaches them. The growth is read from the snapshots only for the accounts whose kept figures
# (``FollowerGrowth``, see ``growth_record``) do not cover this window; the others read none.
# Portable form (SQLite): window functions over a join, in CTEs joined back by account.
# PostgreSQL form: LATERAL subqueries that walk the (account, posted_at) and (account, date) indexes once per account
# in the same pass (one aggregate row each, nothing to sort or join back), so a chunk reads only its accounts' rows
# whatever the size of the tables.
_PORTABLE_POSTS_AND_GROWTH = """
ranked AS (
    SELECT p.account_id, p.interactions, p.likes, p.comments,
           ROW_NUMBER() OVER (PARTITION BY p.account_id ORDER BY p.posted_at DESC, p.id DESC) AS rn
    FROM creators_post p JOIN scope s ON s.id = p.account_id
    WHERE p.posted_at >= %(since)s AND p.posted_at <= %(now)s AND p.likes IS NOT NULL
),
agg AS (
    SELECT account_id, COUNT(*) AS n, SUM(interactions) AS total, SUM(likes) AS likes, SUM(comments) AS comments
    FROM ranked WHERE rn <= %(post_count)s GROUP BY account_id
),
steps AS (
    SELECT account_id, {step} AS g
    FROM (
        SELECT f.account_id, f.followers,
               LAG(f.followers) OVER (PARTITION BY f.account_id ORDER BY f.date) AS prev
        FROM creators_followersnapshot f JOIN scope s ON s.id = f.account_id AND NOT s.growth_kept
        WHERE f.date >= %(snapshot_since)s AND f.date <= %(today)s
    ) lagged
    WHERE prev IS NOT NULL
),
growth AS (
    SELECT account_id, COUNT(g) AS n, SUM(g) AS total, MAX(g) AS top FROM steps GROUP BY account_id
),"""
_POSTGRESQL_POSTS_AND_GROWTH_SOURCES = """scope s
    CROSS JOIN LATERAL (
        SELECT COUNT(*) AS n, SUM(interactions) AS total, SUM(likes) AS likes, SUM(comments) AS comments
        FROM (
            SELECT p.interactions, p.likes, p.comments FROM creators_post p
            WHERE p.account_id = s.id AND p.posted_at >= %(since)s AND p.posted_at <= %(now)s
              AND p.likes IS NOT NULL
            ORDER BY p.posted_at DESC, p.id DESC LIMIT %(post_count)s
        ) latest
    ) agg
    CROSS JOIN LATERAL (
        SELECT figures[1] AS n, figures[2] AS total, figures[3] AS top
        FROM (
            -- A subquery in a CASE runs only when reached: only accounts whose kept figures do not cover the window
            -- read their snapshots, and the others pay nothing per row (OFFSET 0 keeps it evaluated once).
            SELECT CASE WHEN NOT s.growth_kept THEN (
                SELECT ARRAY[COUNT(step), SUM(step), MAX(step)]
                FROM (
                    SELECT {step} AS step
                    FROM (
                        SELECT f.followers, LAG(f.followers) OVER (ORDER BY f.date) AS prev
                        FROM creators_followersnapshot f
                        WHERE f.account_id = s.id AND f.date >= %(snapshot_since)s AND f.date <= %(today)s
                    ) lagged
                ) steps
            ) END AS figures
            OFFSET 0
        ) read
    ) growth"""
_POSTS_AND_GROWTH = {
    "portable": (
        _PORTABLE_POSTS_AND_GROWTH,
        "scope s LEFT JOIN agg ON agg.account_id = s.id LEFT JOIN growth ON growth.account_id = s.id",
    ),
    "postgresql": ("", _POSTGRESQL_POSTS_AND_GROWTH_SOURCES),
}

_ACCOUNTS_SQL = """
WITH scope AS (
    SELECT a.id, a.followers, a.following, {stored},
           g.steps AS kept_n, g.total AS kept_total, g.top AS kept_top, {growth_kept} AS growth_kept
    FROM creators_socialaccount a
    LEFT JOIN creators_followergrowth g ON g.account_id = a.id AND {growth_where}
    WHERE {where}
),
{posts_and_growth}
computed AS (
    SELECT s.id, {kept},
           CASE WHEN agg.n >= %(min_posts)s AND s.followers > 0
                THEN CAST(agg.total AS DOUBLE PRECISION) * 100.0 / (agg.n * s.followers) END AS er,
           CASE WHEN agg.n >= %(min_posts)s AND s.followers > 0
                     AND agg.total * 100 >= %(threshold)s * agg.n * s.followers
                THEN TRUE ELSE FALSE END AS high,
           {tier} AS tier,
           COALESCE(agg.n, 0) AS n,
           agg.likes, agg.comments, s.following, s.followers,
           CASE WHEN s.growth_kept THEN s.kept_n ELSE growth.n END AS growth_n,
           CASE WHEN s.growth_kept THEN s.kept_total ELSE growth.total END AS growth_total,
           CASE WHEN s.growth_kept THEN s.kept_top ELSE growth.top END AS growth_top
    FROM {posts_and_growth_sources}
),
signals AS (
    SELECT id, {kept}, er, high, tier, n, growth_top, following, followers, likes, comments,
           COALESCE(growth_n >= 5 AND growth_top >= %(spike_min)s
                    AND growth_top >= %(spike_factor)s
                        * CASE WHEN (growth_total - growth_top) / (growth_n - 1) > 0.0005
                               THEN (growth_total - growth_top) / (growth_n - 1) ELSE 0.0005 END, FALSE) AS spike,
           COALESCE(following > %(mass_ratio)s * followers AND following >= 500, FALSE) AS mass,
           COALESCE(er IS NOT NULL AND ({er_low} OR {er_high}), FALSE) AS implausible,
           COALESCE(likes >= 100 AND (comments = 0 OR likes > %(lpc_max)s * comments
                                      OR likes < %(lpc_min)s * comments), FALSE) AS lopsided
    FROM computed
),
judged AS MATERIALIZED (
    SELECT id, {kept}, er, high, tier, n,
           CASE WHEN spike OR mass OR lopsided THEN TRUE ELSE FALSE END AS audience,
           CASE WHEN spike OR mass OR implausible OR lopsided THEN RTRIM(
           CASE WHEN spike
                THEN 'follower spike: +' || CAST(ROUND(growth_top * 100) AS INTEGER) || ' %% in one day; ' ELSE '' END
        || CASE WHEN mass
                THEN 'mass following: follows ' || following || ' accounts with ' || followers || ' followers; '
                ELSE '' END
        || CASE WHEN implausible
                THEN 'ER of ' || (CAST(ROUND(er * 100) AS INTEGER) / 100.0) || ' %% is implausible for the ' || tier
                     || ' tier; ' ELSE '' END
        || CASE WHEN lopsided
                THEN 'likes per comment far from the norm: ' || likes || ' likes, ' || comments || ' comments; '
                ELSE '' END, '; ') ELSE '' END AS suspicion
    FROM signals
),
-- Compared with the values the scope read, so that only the changed accounts are looked up again and written.
changed AS (SELECT * FROM judged WHERE {differs})
UPDATE creators_socialaccount AS t SET {set}
FROM changed c
WHERE t.id = c.id AND {target_where}
"""

_CREATORS_SQL = """
WITH scope AS (
    SELECT c.id, c.status, c.rate, {stored} FROM creators_creator c WHERE {where}
),
-- Every account of the scope ranked once, by followers (ties: earliest added): the first is the primary account, the
-- first micro-tier high-engagement one the qualifying account, the first suspicious one gives the reasons.
ranked AS (
    SELECT a.creator_id, a.id, a.followers, a.tier, a.engagement_rate, a.suspicion, a.audience_suspicious,
           CASE WHEN a.tier = 'micro' AND a.is_high_engagement THEN 1 ELSE 0 END AS qualifies,
           ROW_NUMBER() OVER (PARTITION BY a.creator_id ORDER BY a.followers DESC, a.created_at, a.id) AS rn
    FROM creators_socialaccount a WHERE {account_where}
),
marked AS (
    SELECT r.*,
           MIN(CASE WHEN r.qualifies = 1 THEN r.rn END) OVER (PARTITION BY r.creator_id) AS qualifying_rn,
           MIN(CASE WHEN r.suspicion <> '' THEN r.rn END) OVER (PARTITION BY r.creator_id) AS suspicious_rn
    FROM ranked r
),
per_creator AS (
    SELECT creator_id,
           MAX(CASE WHEN rn = 1 THEN id END) AS id,
           MAX(CASE WHEN rn = 1 THEN followers END) AS followers,
           MAX(CASE WHEN rn = 1 THEN tier END) AS tier,
           MAX(CASE WHEN rn = 1 THEN engagement_rate END) AS engagement_rate,
           COUNT(*) AS n,
           MAX(qualifies) AS qualifies,
           MAX(CASE WHEN rn = qualifying_rn THEN id END) AS qualifying_id,
           MAX(CASE WHEN audience_suspicious THEN 1 ELSE 0 END) AS audience,
           MAX(CASE WHEN rn = suspicious_rn THEN suspicion END) AS suspicion
    FROM marked GROUP BY creator_id
),
computed AS MATERIALIZED (
    SELECT s.*,
           r.id AS primary_id,
           r.followers,
           COALESCE(r.tier, '') AS tier,
           r.engagement_rate AS er,
           CASE WHEN s.status = 'active' AND r.qualifies = 1 THEN TRUE ELSE FALSE END AS flagged,
           CASE WHEN s.rate IS NOT NULL AND r.engagement_rate > 0 AND r.followers > 0
                THEN CAST(s.rate AS DOUBLE PRECISION) / (r.engagement_rate / 100.0 * r.followers) END AS cpe,
           COALESCE(r.n, 0) AS n,
           CASE WHEN r.qualifies = 1 THEN r.qualifying_id END AS qualifying_id,
           COALESCE(r.suspicion, '') AS suspicion,
           CASE WHEN COALESCE(r.suspicion, '') <> '' THEN TRUE ELSE FALSE END AS suspicious,
           CASE WHEN r.audience = 1 THEN TRUE ELSE FALSE END AS audience
    FROM scope s LEFT JOIN per_creator r ON r.creator_id = s.id
),
-- Compared with the values the scope read, so that only the changed creators are looked up again and written.
changed AS (SELECT * FROM computed WHERE {differs})
UPDATE creators_creator AS t SET {set}, metrics_updated_at = %(now)s
FROM changed c
WHERE t.id = c.id AND {target_where}
"""


# The stored columns each statement writes, with the names of their computed values. From these the statement reads
# the stored values with its scope (``was_<name>``), keeps only the rows where one differs, and writes them back.
_ACCOUNT_WRITES = {
    "engagement_rate": "er",
    "is_high_engagement": "high",
    "tier": "tier",
    "er_posts": "n",
    "suspicion": "suspicion",
    "audience_suspicious": "audience",
}
_CREATOR_WRITES = {
    "primary_account_id": "primary_id",
    "followers": "followers",
    "tier": "tier",
    "engagement_rate": "er",
    "is_flagged": "flagged",
    "cost_per_engagement": "cpe",
    "accounts_count": "n",
    "qualifying_account_id": "qualifying_id",
    "suspicion": "suspicion",
    "is_suspicious": "suspicious",
    "audience_suspicious": "audience",
}


def _write_parts(alias: str, writes: dict[str, str]) -> dict[str, str]:
    """The SQL pieces that read, compare and write the stored columns ``writes`` of table ``alias``."""
    return {
        "stored": ", ".join(f"{alias}.{column} AS was_{name}" for column, name in writes.items()),
        "kept": ", ".join(f"was_{name}" for name in writes.values()),
        "differs": " OR ".join(f"was_{name} IS DISTINCT FROM {name}" for name in writes.values()),
        "set": ", ".join(f"{column} = c.{name}" for column, name in writes.items()),
    }


# Authenticity thresholds (see the module docstring); settings of the same name override them.
AUTHENTICITY_DEFAULTS = {
    "SPIKE_MIN_GROWTH": 0.05,
    "SPIKE_FACTOR": 10.0,
    "MASS_FOLLOWING_RATIO": 2.0,
    "LIKES_PER_COMMENT": (2.0, 200.0),
    "ER_PLAUSIBLE": {"emerging": (0.5, 25.0), "micro": (0.3, 15.0), "macro": (0.1, 10.0), "mega": (0.05, 8.0)},
}


def authenticity_setting(name: str):
    return getattr(settings, name, AUTHENTICITY_DEFAULTS[name])


def _plausibility_sql() -> tuple[str, str]:
    """SQL conditions for an ER below / above the plausible range of its tier."""
    low = " OR ".join(f"(tier = '{tier}' AND er < %(er_low_{tier})s)" for tier in authenticity_setting("ER_PLAUSIBLE"))
    high = " OR ".join(
        f"(tier = '{tier}' AND er > %(er_high_{tier})s)" for tier in authenticity_setting("ER_PLAUSIBLE")
    )
    return f"({low})", f"({high})"


def _parameters(now: datetime) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    plausible = authenticity_setting("ER_PLAUSIBLE")
    lpc_min, lpc_max = authenticity_setting("LIKES_PER_COMMENT")
    return {
        **{f"er_low_{tier}": low for tier, (low, _) in plausible.items()},
        **{f"er_high_{tier}": high for tier, (_, high) in plausible.items()},
        "spike_min": authenticity_setting("SPIKE_MIN_GROWTH"),
        "spike_factor": authenticity_setting("SPIKE_FACTOR"),
        "mass_ratio": authenticity_setting("MASS_FOLLOWING_RATIO"),
        "lpc_min": lpc_min,
        "lpc_max": lpc_max,
        "snapshot_since": connection.ops.adapt_datefield_value((now - timedelta(days=settings.ER_WINDOW_DAYS)).date()),
        "today": connection.ops.adapt_datefield_value(now.date()),
        "now": adapt(now),
        "since": adapt(now - timedelta(days=settings.ER_WINDOW_DAYS)),
        "post_count": settings.ER_POST_COUNT,
        "min_posts": settings.ER_MIN_POSTS,
        "threshold": Decimal(str(settings.HIGH_ENGAGEMENT_THRESHOLD))
        if connection.vendor == "postgresql"
        else float(settings.HIGH_ENGAGEMENT_THRESHOLD),
        **_tier_parameters(),
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
        account_where, scope_params = scope.where("a.creator_id")
        er_low, er_high = _plausibility_sql()
        posts_and_growth, sources = (
            part.format(step=_step_sql("followers", "prev"))
            for part in _POSTS_AND_GROWTH.get(connection.vendor, _POSTS_AND_GROWTH["portable"])
        )
        # The scope is repeated on the target table so that PostgreSQL reads only its rows there too.
        target_where, _ = scope.where("t.creator_id")
        sql = _ACCOUNTS_SQL.format(
            where=account_where,
            tier=_tier_sql("s.followers"),
            er_low=er_low,
            er_high=er_high,
            posts_and_growth=posts_and_growth,
            posts_and_growth_sources=sources,
            growth_kept=_GROWTH_KEPT,
            # The figures are read by their creator too, so that a chunk reads only its own rows of them.
            growth_where=scope.where("g.creator_id")[0],
            target_where=target_where,
            **_write_parts("a", _ACCOUNT_WRITES),
        )
        accounts_changed = _execute(cursor, sql, {**params, **scope_params})
        where, scope_params = scope.where("c.id")
        target_where, _ = scope.where("t.id")
        sql = _CREATORS_SQL.format(
            where=where, target_where=target_where, account_where=account_where, **_write_parts("c", _CREATOR_WRITES)
        )
        creators_changed = _execute(cursor, sql, {**params, **scope_params})
    return RecalcResult(accounts_changed=accounts_changed, creators_changed=creators_changed)


# The growth figures of the window that starts on %(since)s, recomputed from the snapshots of the accounts ``{where}``
# selects (alias ``a``, the accounts table) and stored in one upsert. Two forms share everything but how the figures
# (``f``) are found. Set-based: the window's snapshots joined with the accounts, for every account at once (a bulk
# load). Account by account on PostgreSQL, for some accounts (a file's, the untaken, those whose top step left): each
# account's window read from the (account, date) index by a LATERAL subquery, so the cost follows those accounts'
# snapshots; PostgreSQL planned the set-based join as a scan of every snapshot in the window (136.5 M rows at 1 M
# creators) even for 100,000 accounts.
_GROWTH_FIGURES = """MIN(date) AS oldest, MAX(date) AS latest,
           MAX(CASE WHEN newest = 1 THEN followers END) AS latest_followers,
           COUNT(step) AS steps, SUM(step) AS total, MAX(step) AS top"""
_GROWTH_UPSERT = """
INSERT INTO creators_followergrowth
    (account_id, creator_id, since, oldest, latest, latest_followers, steps, total, top)
SELECT a.id, a.creator_id, %(since)s, f.oldest, f.latest, f.latest_followers, COALESCE(f.steps, 0),
       COALESCE(f.total, 0), f.top
FROM accounts a {figures}
WHERE TRUE
ON CONFLICT (account_id) DO UPDATE
SET creator_id = excluded.creator_id, since = excluded.since, oldest = excluded.oldest, latest = excluded.latest,
    latest_followers = excluded.latest_followers, steps = excluded.steps, total = excluded.total, top = excluded.top
"""
_GROWTH_ACCOUNTS = "WITH accounts AS (SELECT a.id, a.creator_id FROM creators_socialaccount a WHERE {where})"
_GROWTH_REFRESH_SQL = (
    _GROWTH_ACCOUNTS
    + f""",
lagged AS (
    SELECT f.account_id, f.date, f.followers,
           LAG(f.followers) OVER (PARTITION BY f.account_id ORDER BY f.date) AS prev,
           ROW_NUMBER() OVER (PARTITION BY f.account_id ORDER BY f.date DESC) AS newest
    FROM creators_followersnapshot f JOIN accounts a ON a.id = f.account_id
    WHERE f.date >= %(since)s
),
figures AS (
    SELECT account_id, {_GROWTH_FIGURES}
    FROM (SELECT account_id, date, followers, newest, {{step}} AS step FROM lagged) stepped
    GROUP BY account_id
)"""
    + _GROWTH_UPSERT.format(figures="LEFT JOIN figures f ON f.account_id = a.id")
)
_GROWTH_REFRESH_EACH_SQL = _GROWTH_ACCOUNTS + _GROWTH_UPSERT.format(
    figures=f"""CROSS JOIN LATERAL (
    SELECT {_GROWTH_FIGURES}
    FROM (
        SELECT date, followers, ROW_NUMBER() OVER (ORDER BY date DESC) AS newest, {{step}} AS step
        FROM (
            SELECT s.date, s.followers, LAG(s.followers) OVER (ORDER BY s.date) AS prev
            FROM creators_followersnapshot s WHERE s.account_id = a.id AND s.date >= %(since)s
        ) lagged
    ) stepped
) f"""
)

# A snapshot recorded on %(day)s after every other of its account (in the figures' window) adds one step: the
# running figures take it in without reading the window. ``{where}`` selects the accounts (alias ``f``).
_GROWTH_APPEND_SQL = """
UPDATE creators_followergrowth AS g
SET steps = g.steps + CASE WHEN n.step IS NULL THEN 0 ELSE 1 END,
    total = g.total + COALESCE(n.step, 0),
    top = CASE WHEN n.step > g.top OR (g.top IS NULL AND n.step IS NOT NULL) THEN n.step ELSE g.top END,
    oldest = COALESCE(g.oldest, n.date), latest = n.date, latest_followers = n.followers
FROM (
    SELECT f.account_id, f.date, f.followers, {step} AS step
    FROM creators_followersnapshot f JOIN creators_followergrowth p ON p.account_id = f.account_id
    WHERE f.date = %(day)s AND {where} AND p.since <= %(day)s AND (p.latest IS NULL OR p.latest < %(day)s)
) n
WHERE g.account_id = n.account_id
"""

# The accounts whose snapshot of %(day)s the running figures could not take in (no figures yet, a snapshot recorded
# before the latest, or the day's followers changed): they are recomputed from their snapshots.
_GROWTH_UNTAKEN = """a.id IN (
    SELECT f.account_id
    FROM creators_followersnapshot f LEFT JOIN creators_followergrowth g ON g.account_id = f.account_id
    WHERE f.date = %(day)s AND {where}
      AND (g.account_id IS NULL OR g.latest IS DISTINCT FROM f.date OR g.latest_followers IS DISTINCT FROM f.followers)
)"""

# The steps that leave the window when it starts on %(since)s instead of an account's ``since``: from each snapshot
# dated before %(since)s to the one after it. Only accounts with no snapshot after %(today)s (all of them but for
# dates written ahead, which are recomputed instead), so that every read is bounded by dates on both sides and
# PostgreSQL reads only the months from %(lowest)s (the oldest such snapshot) to today.
_GROWTH_DROPPED = """
SELECT f.account_id, {step} AS step
FROM creators_followergrowth g JOIN creators_followersnapshot f ON f.account_id = g.account_id
WHERE g.oldest < %(since)s AND g.latest <= %(today)s
  AND f.date >= g.oldest AND f.date >= %(lowest)s AND f.date < %(since)s
"""
_NEXT_FOLLOWERS = """(SELECT n.followers FROM creators_followersnapshot n
     WHERE n.account_id = f.account_id AND n.date > f.date AND n.date >= %(lowest)s AND n.date <= %(today)s
     ORDER BY n.date LIMIT 1)"""

# Windows that lost only steps below their top: the steps that left are taken out of the running figures.
_GROWTH_EXPIRE_SQL = """
UPDATE creators_followergrowth AS g
SET steps = g.steps - d.steps,
    total = CASE WHEN g.steps = d.steps THEN 0 ELSE g.total - d.total END,
    top = CASE WHEN g.steps = d.steps THEN NULL ELSE g.top END,
    since = %(since)s, oldest = d.oldest,
    latest = CASE WHEN d.oldest IS NULL THEN NULL ELSE g.latest END,
    latest_followers = CASE WHEN d.oldest IS NULL THEN NULL ELSE g.latest_followers END
FROM (
    SELECT s.account_id, COUNT(x.step) AS steps, COALESCE(SUM(x.step), 0) AS total,
           (SELECT MIN(o.date) FROM creators_followersnapshot o
            WHERE o.account_id = s.account_id AND o.date >= %(since)s AND o.date <= %(today)s) AS oldest
    FROM creators_followergrowth s LEFT JOIN ({dropped}) x ON x.account_id = s.account_id
    WHERE s.oldest < %(since)s AND s.latest <= %(today)s
    GROUP BY s.account_id
) d
WHERE g.account_id = d.account_id
"""


def _window_start(today: date | None = None) -> date:
    """The first day of the window of a calculation on ``today`` (UTC, as ``recalculate_creator_metrics``)."""
    return (today or timezone.now().date()) - timedelta(days=settings.ER_WINDOW_DAYS)


def _accounts_where(column: str, account_ids: Collection[int] | None) -> tuple[str, dict]:
    return ("TRUE", {}) if account_ids is None else Scope(ids=account_ids).where(column)


def _growth_refresh(cursor, where: str, params: dict, since: date, *, every: bool = False) -> int:
    """Recompute the figures of the accounts ``where`` selects (``every``: all of them, set-based)."""
    each = connection.vendor == "postgresql" and not every
    sql = (_GROWTH_REFRESH_EACH_SQL if each else _GROWTH_REFRESH_SQL).format(
        where=where, step=_step_sql("followers", "prev")
    )
    return _execute(cursor, sql, {**params, "since": connection.ops.adapt_datefield_value(since)})


def growth_refresh(*, account_ids: Collection[int] | None = None, today: date | None = None) -> int:
    """Recompute the kept growth figures of the given accounts (every account when None) from their snapshots, for
    the window of ``today``; for snapshots written without ``growth_record`` (bulk loads, the admin)."""
    where, params = _accounts_where("a.id", account_ids)
    with connection.cursor() as cursor:
        return _growth_refresh(cursor, where, params, _window_start(today), every=account_ids is None)


def growth_record(*, day: date, account_ids: Collection[int] | None = None) -> None:
    """Take the snapshots of ``day`` of the given accounts (every account when None) into their growth figures:
    a step added to the running figures when it is the account's newest, its figures recomputed otherwise."""
    where, params = _accounts_where("f.account_id", account_ids)
    params = {**params, "day": connection.ops.adapt_datefield_value(day)}
    with connection.cursor() as cursor:
        cursor.execute(
            _GROWTH_APPEND_SQL.format(where=where, step=_step_sql("f.followers", "p.latest_followers")), params
        )
        _growth_refresh(cursor, _GROWTH_UNTAKEN.format(where=where), params, _window_start(day))


def growth_expire(*, today: date | None = None) -> int:
    """Move every account's growth window to start ``ER_WINDOW_DAYS`` before ``today``: the steps that left it are
    taken out of the running figures, and an account whose top step left is recomputed from its snapshots.
    Daily, after midnight; a recalculation before it is still exact (it reads those accounts' snapshots)."""
    today = today or timezone.now().date()
    since = _window_start(today)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(oldest) FROM creators_followergrowth WHERE oldest < %s", [adapt(since)])
        lowest = cursor.fetchone()[0]
        if lowest is None:
            return 0
        lowest = adapt(lowest) if isinstance(lowest, date) else lowest
        params = {"since": adapt(since), "today": adapt(today), "lowest": lowest}
        dropped = _GROWTH_DROPPED.format(step=_step_sql(_NEXT_FOLLOWERS, "f.followers"))
        recomputed = f"""a.id IN (
            SELECT x.account_id FROM ({dropped}) x JOIN creators_followergrowth t ON t.account_id = x.account_id
            GROUP BY x.account_id HAVING MAX(x.step) >= MIN(t.top)
        ) OR a.id IN (
            SELECT account_id FROM creators_followergrowth WHERE oldest < %(since)s AND latest > %(today)s
        )"""
        refreshed = _growth_refresh(cursor, recomputed, params, since)
        return refreshed + _execute(cursor, _GROWTH_EXPIRE_SQL.format(dropped=dropped), params)


def spike_days(snapshots: list[tuple]) -> set:
    """The days whose day-over-day growth is a spike (the Python twin of the SQL rule, for charts)."""
    steps = []
    for (_, before), (day, after) in pairwise(snapshots):
        if before > 0:
            steps.append((day, (after - before) / before))
    if len(steps) < 5:
        return set()
    total = sum(g for _, g in steps)
    spikes = set()
    for day, growth in steps:
        others = max((total - growth) / (len(steps) - 1), 0.0005)
        if (
            growth >= authenticity_setting("SPIKE_MIN_GROWTH")
            and growth >= authenticity_setting("SPIKE_FACTOR") * others
        ):
            spikes.add(day)
    return spikes
