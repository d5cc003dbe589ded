"""The fit score of a creator for a brand, 0–100, stored per (brand, creator) and explained by its parts.

- niche (35): the share of the brand's target niches the creator covers, counting at most two
  (one of one, or two of two or more: 35; one of two or more: 17.5); no target niches: 0;
- country (15): the creator's country is one of the brand's target countries;
- engagement (25): headline ER against the tier's benchmark (emerging 5 %, micro 4 %, macro 2 %, mega 1.5 %):
  25 × ER ÷ (2 × benchmark), at most 25 (an ER at the benchmark gives 12.5); unknown ER: 0;
- authenticity (15): 15 unless the creator is suspicious for a follower spike, mass following or its
  likes-to-comments ratio (an implausible ER marks a creator suspicious on the dashboard but costs no fit
  points here, so that a higher ER never lowers the score);
- affordability (10): estimated cost per engagement against the median of its tier (of an even count the lower
  middle value): 10 × (median ÷ 2) ÷ CPE, at most 10 (the median gives 5); unknown CPE or median: 5. The median is
  the one stored by a full recalculation, which replaces it only when the tier's median has moved by more than
  ``MEDIAN_TOLERANCE`` (5 %): a night in which a few creators' costs moved does not move every creator's score
  (and rewrite every stored score) by a hair, while a real shift of the market does.
Each part is rounded to a tenth of a point (half away from zero), and the score is the sum of the rounded parts.
Each part only grows with what it measures, so a matching niche or a higher ER never lowers the score.
"""

from django.db import connection, transaction

from creators.metrics import Scope
from creators.models import Creator, TierBenchmark

ER_BENCHMARK = {"emerging": 5.0, "micro": 4.0, "macro": 2.0, "mega": 1.5}
# Every part is kept to a tenth of a point, as the pages show it, and the score is the sum of the parts as kept (so
# the parts shown add up to it). A day's small follower changes then rewrite only the scores they move by a tenth,
# not every score by a hair (a nightly run after the daily sync writes a fraction of the 2 rows per creator).
POINTS_DECIMALS = 1
MEDIAN_TOLERANCE = 0.05

# Each (brand, creator) pair of the scope with its parts. Target-niche counts and overlaps are grouped joins
# computed once per statement (not correlated subqueries, which PostgreSQL would repeat for every reference).
_FIT_COMPUTED_SQL = """
SELECT brand_id, creator_id, candidate, {rounded_sum} AS score, niche, country, er, authenticity, affordability
FROM (
SELECT brand_id, creator_id, candidate, {rounded_parts}
FROM (
    SELECT x.brand_id, x.creator_id,
           CASE WHEN NOT x.is_flagged THEN '' WHEN x.is_suspicious THEN 'suspicious' ELSE 'clean' END AS candidate,
           CASE WHEN x.targets = 0 THEN 0.0
                ELSE CAST(35 * (CASE WHEN x.overlap >= 2 THEN 2 ELSE x.overlap END) AS DOUBLE PRECISION)
                     / (CASE WHEN x.targets >= 2 THEN 2 ELSE x.targets END) END AS niche,
           CASE WHEN x.country <> '' AND (',' || x.target_countries || ',') LIKE ('%%,' || x.country || ',%%')
                THEN 15.0 ELSE 0.0 END AS country,
           CASE WHEN x.engagement_rate IS NULL OR ({benchmark}) IS NULL THEN 0.0
                WHEN x.engagement_rate >= 2 * ({benchmark}) THEN 25.0
                ELSE 25.0 * x.engagement_rate / (2 * ({benchmark})) END AS er,
           CASE WHEN x.audience_suspicious THEN 0.0 ELSE 15.0 END AS authenticity,
           CASE WHEN x.cost_per_engagement IS NULL OR tb.median_cpe IS NULL THEN 5.0
                WHEN x.cost_per_engagement <= tb.median_cpe / 2 THEN 10.0
                ELSE 10.0 * (tb.median_cpe / 2) / x.cost_per_engagement END AS affordability
    FROM (
        SELECT b.id AS brand_id, b.target_countries, COALESCE(t.targets, 0) AS targets,
               c.id AS creator_id, c.country, c.tier, c.engagement_rate, c.audience_suspicious,
               c.cost_per_engagement, c.is_flagged, c.is_suspicious, COALESCE(o.overlap, 0) AS overlap
        FROM creators_creator c
        CROSS JOIN campaigns_brand b
        LEFT JOIN (
            SELECT brand_id, COUNT(*) AS targets FROM campaigns_brand_target_niches GROUP BY brand_id
        ) t ON t.brand_id = b.id
        LEFT JOIN (
            SELECT cn.creator_id, bn.brand_id, COUNT(*) AS overlap
            FROM creators_creator_niches cn JOIN campaigns_brand_target_niches bn ON bn.niche_id = cn.niche_id
            WHERE {niches_where}
            GROUP BY cn.creator_id, bn.brand_id
        ) o ON o.creator_id = c.id AND o.brand_id = b.id
        WHERE c.status = 'active' AND {where}
    ) x
    LEFT JOIN creators_tierbenchmark tb ON tb.tier = x.tier
    {fence}
) exact
{fence}
) parts
"""
_FIT_COLUMNS = "score, niche_points, country_points, er_points, authenticity_points, affordability_points, candidate"
_FIT_SET = """score = n.score, niche_points = n.niche, country_points = n.country, er_points = n.er,
    authenticity_points = n.authenticity, affordability_points = n.affordability, candidate = n.candidate"""
_FIT_VALUES = "brand_id, creator_id, score, niche, country, er, authenticity, affordability, candidate"
_FIT_DIFFERS = """(f.candidate IS DISTINCT FROM n.candidate OR f.score IS DISTINCT FROM n.score
       OR f.niche_points IS DISTINCT FROM n.niche OR f.country_points IS DISTINCT FROM n.country
       OR f.er_points IS DISTINCT FROM n.er OR f.authenticity_points IS DISTINCT FROM n.authenticity
       OR f.affordability_points IS DISTINCT FROM n.affordability)"""
# Only scores that changed are written (a nightly run rewrites few rows); new pairs are inserted.
_FIT_UPDATE_SQL = f"""
UPDATE campaigns_fitscore AS f SET {_FIT_SET}
FROM ({{computed}}) n
WHERE f.brand_id = n.brand_id AND f.creator_id = n.creator_id AND {{target_where}} AND {_FIT_DIFFERS}
"""
_FIT_INSERT_SQL = f"""
INSERT INTO campaigns_fitscore (brand_id, creator_id, {_FIT_COLUMNS})
SELECT {_FIT_VALUES} FROM ({{computed}}) n
WHERE NOT EXISTS (
    SELECT 1 FROM campaigns_fitscore f
    WHERE f.brand_id = n.brand_id AND f.creator_id = n.creator_id AND {{target_where}}
)
ON CONFLICT (creator_id, brand_id) DO NOTHING
"""
# On PostgreSQL the same in one statement: the pairs are computed (each part once, behind the OFFSET fence) and
# matched with the stored scores once (materialized), then the changed ones updated and the missing ones inserted
# (different rows, so both may run in one statement).
_FIT_WRITE_ONCE_SQL = f"""
WITH computed_fit AS ({{computed}}),
matched AS MATERIALIZED (
    SELECT n.*, f.id AS existing, f.id IS NOT NULL AND {_FIT_DIFFERS} AS changed
    FROM computed_fit n
    LEFT JOIN campaigns_fitscore f ON f.brand_id = n.brand_id AND f.creator_id = n.creator_id AND {{target_where}}
),
updated AS (
    UPDATE campaigns_fitscore AS f SET {_FIT_SET} FROM matched n
    WHERE f.id = n.existing AND n.changed AND {{target_where}}
)
INSERT INTO campaigns_fitscore (brand_id, creator_id, {_FIT_COLUMNS})
SELECT {_FIT_VALUES} FROM matched n WHERE n.existing IS NULL
ON CONFLICT (creator_id, brand_id) DO NOTHING
"""
_DELETE_INACTIVE_SQL = """
DELETE FROM campaigns_fitscore WHERE creator_id IN (
    SELECT c.id FROM creators_creator c WHERE c.status <> 'active' AND {where}
)
"""


PARTS = ("niche", "country", "er", "authenticity", "affordability")


# Half up on the decimal value of a part: a part is a double (never negative) whose decimal value is taken to 15
# significant digits, as a cast to NUMERIC takes it, so 1.3499999999999999 (computed for 1.35) is the tie 1.35 and
# goes up. On PostgreSQL in double arithmetic: ROUND of a NUMERIC cast prints and parses each value twice, and a
# nightly run rounds 12 values per creator (6 per brand). TIE_SLACK (in tenths) takes a value that little below a
# tie as the tie: more than a double's error at these sizes (≤ 350 tenths: about 1e-13), and less than the gap to a
# tie of any engagement part that is not one (a fraction of counts under 1e10: at least 1e-10 away); a cost ratio
# lands that close to a tie one time in 1e11. A test holds both forms to the definition on every tie and 270,000
# computed parts.
TIE_SLACK = 1e-11


def _rounded(expression: str) -> str:
    """``expression`` (never negative) to POINTS_DECIMALS, half up, as a double (see TIE_SLACK)."""
    if connection.vendor == "postgresql":
        scale = 10**POINTS_DECIMALS
        return f"FLOOR(({expression}) * {scale} + (0.5 + {TIE_SLACK})) / {scale}"
    return f"CAST(ROUND(CAST({expression} AS NUMERIC), {POINTS_DECIMALS}) AS DOUBLE PRECISION)"


def _benchmark_sql() -> str:
    """The ER benchmark of the tier of ``x`` (an expression; NULL for a creator without a tier)."""
    return "CASE x.tier " + " ".join(f"WHEN '{tier}' THEN {er}" for tier, er in ER_BENCHMARK.items()) + " END"


def recalculate(scope: Scope) -> None:
    """Refresh the fit scores of the creators in ``scope`` for every brand (a recalculation step)."""
    where, params = scope.where("c.id")
    computed = _FIT_COMPUTED_SQL.format(
        where=where,
        niches_where=scope.where("cn.creator_id")[0],
        benchmark=_benchmark_sql(),
        rounded_parts=", ".join(f"{_rounded(part)} AS {part}" for part in PARTS),
        rounded_sum=_rounded(" + ".join(PARTS)),
        # On PostgreSQL the parts are computed once, not again inside the score (a subquery with an OFFSET is not
        # merged into the query around it).
        fence="OFFSET 0" if connection.vendor == "postgresql" else "",
    )
    # The scope is repeated on the score table so that PostgreSQL reads only the chunk's rows there.
    target_where = scope.where("f.creator_id")[0]
    sqls = [_FIT_WRITE_ONCE_SQL] if connection.vendor == "postgresql" else [_FIT_UPDATE_SQL, _FIT_INSERT_SQL]
    statements = [sql.format(computed=computed, target_where=target_where) for sql in sqls]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
        cursor.execute(_DELETE_INACTIVE_SQL.format(where=where), params)


# Per tier: active creators and the median of their known costs per engagement (PostgreSQL sorts only the costs of
# each tier; the tiers are grouped by number, not by collated text).
_TIER_MEDIANS_SQL = """
SELECT tier_no, COUNT(*), PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY cost_per_engagement)
FROM (
    SELECT CASE tier {tier_numbers} END AS tier_no, cost_per_engagement
    FROM creators_creator WHERE status = 'active'
) active
GROUP BY tier_no
"""


def _tier_medians(tiers: list[str]) -> dict[str, tuple[int, float | None]]:
    """Active creators and the median cost per engagement (of an even count, the lower middle value) per tier."""
    if connection.vendor == "postgresql":
        numbers = " ".join(f"WHEN '{tier}' THEN {n}" for n, tier in enumerate(tiers))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '128MB'")  # sort the costs in memory
            cursor.execute(_TIER_MEDIANS_SQL.format(tier_numbers=numbers))
            return {tiers[n]: (count, median) for n, count, median in cursor.fetchall() if n is not None}
    costs: dict[str, list] = {tier: [] for tier in tiers}
    active = Creator.objects.filter(status="active", tier__in=tiers)
    for tier, cost in active.values_list("tier", "cost_per_engagement"):
        costs[tier].append(cost)
    found = {}
    for tier, values in costs.items():
        known = sorted(v for v in values if v is not None)
        found[tier] = (len(values), known[(len(known) - 1) // 2] if known else None)
    return found


def median_moved(stored: float | None, median: float | None) -> bool:
    """Whether a tier's new median replaces the stored one: known for the first time, unknown now, or moved by more
    than ``MEDIAN_TOLERANCE``."""
    if stored is None or median is None:
        return stored != median
    return abs(median - stored) > MEDIAN_TOLERANCE * abs(stored)


@transaction.atomic
def tier_benchmarks_refresh() -> None:
    """Store each tier's active creators and, when it moved (``median_moved``), its median estimated cost per
    engagement (for affordability)."""
    tiers = [tier for tier, _ in Creator._meta.get_field("tier").choices]
    found = _tier_medians(tiers)
    stored = dict(TierBenchmark.objects.values_list("tier", "median_cpe"))
    for tier in tiers:
        creators, median = found.get(tier, (0, None))
        if tier in stored and not median_moved(stored[tier], median):
            median = stored[tier]
        TierBenchmark.objects.update_or_create(tier=tier, defaults={"median_cpe": median, "creators": creators})
