"""The fit score of a creator for a brand, 0–100, stored per (brand, creator) and explained by its parts.

- niche (35): the share of the brand's target niches the creator covers, counting at most two
  (one of one, or two of two or more: 35; one of two or more: 17.5); no target niches: 0;
- country (15): the creator's country is one of the brand's target countries;
- engagement (25): headline ER against the tier's benchmark (emerging 5 %, micro 4 %, macro 2 %, mega 1.5 %):
  25 × ER ÷ (2 × benchmark), at most 25 (an ER at the benchmark gives 12.5); unknown ER: 0;
- authenticity (15): 15 unless the creator is suspicious for a follower spike, mass following or its
  likes-to-comments ratio (an implausible ER marks a creator suspicious on the dashboard but costs no fit
  points here, so that a higher ER never lowers the score);
- affordability (10): estimated cost per engagement against the median of its tier (as of the last full
  recalculation): 10 × (median ÷ 2) ÷ CPE, at most 10 (the median gives 5); unknown CPE or median: 5.
Each part only grows with what it measures, so a matching niche or a higher ER never lowers the score.
"""

from django.db import connection

from creators.metrics import Scope
from creators.models import Creator, TierBenchmark

ER_BENCHMARK = {"emerging": 5.0, "micro": 4.0, "macro": 2.0, "mega": 1.5}

_FIT_SQL = """
INSERT INTO campaigns_fitscore (brand_id, creator_id, score, niche_points, country_points, er_points,
                                authenticity_points, affordability_points, candidate)
SELECT brand_id, creator_id, niche + country + er + authenticity + affordability,
       niche, country, er, authenticity, affordability, candidate
FROM (
    SELECT x.brand_id, x.creator_id,
           CASE WHEN NOT x.is_flagged THEN '' WHEN x.is_suspicious THEN 'suspicious' ELSE 'clean' END AS candidate,
           CASE WHEN x.targets = 0 THEN 0.0
                ELSE 35.0 * (CASE WHEN x.overlap >= 2 THEN 2 ELSE x.overlap END)
                          / (CASE WHEN x.targets >= 2 THEN 2 ELSE x.targets END) END AS niche,
           CASE WHEN x.country <> '' AND (',' || x.target_countries || ',') LIKE ('%%,' || x.country || ',%%')
                THEN 15.0 ELSE 0.0 END AS country,
           CASE WHEN x.engagement_rate IS NULL OR bench.er IS NULL THEN 0.0
                WHEN x.engagement_rate >= 2 * bench.er THEN 25.0
                ELSE 25.0 * x.engagement_rate / (2 * bench.er) END AS er,
           CASE WHEN x.audience_suspicious THEN 0.0 ELSE 15.0 END AS authenticity,
           CASE WHEN x.cost_per_engagement IS NULL OR tb.median_cpe IS NULL THEN 5.0
                WHEN x.cost_per_engagement <= tb.median_cpe / 2 THEN 10.0
                ELSE 10.0 * (tb.median_cpe / 2) / x.cost_per_engagement END AS affordability
    FROM (
        SELECT b.id AS brand_id, b.target_countries, c.id AS creator_id, c.country, c.tier, c.engagement_rate,
               c.audience_suspicious, c.cost_per_engagement, c.is_flagged, c.is_suspicious,
               (SELECT COUNT(*) FROM campaigns_brand_target_niches bn WHERE bn.brand_id = b.id) AS targets,
               (SELECT COUNT(*) FROM creators_creator_niches cn
                JOIN campaigns_brand_target_niches bn ON bn.niche_id = cn.niche_id
                WHERE cn.creator_id = c.id AND bn.brand_id = b.id) AS overlap
        FROM creators_creator c CROSS JOIN campaigns_brand b
        WHERE c.status = 'active' AND {where}
    ) x
    LEFT JOIN creators_tierbenchmark tb ON tb.tier = x.tier
    LEFT JOIN ({benchmarks}) bench ON bench.tier = x.tier
) parts
WHERE TRUE
ON CONFLICT (brand_id, creator_id) DO UPDATE
SET score = excluded.score, niche_points = excluded.niche_points, country_points = excluded.country_points,
    er_points = excluded.er_points, authenticity_points = excluded.authenticity_points,
    affordability_points = excluded.affordability_points, candidate = excluded.candidate
WHERE campaigns_fitscore.candidate IS DISTINCT FROM excluded.candidate
   OR campaigns_fitscore.score IS DISTINCT FROM excluded.score
   OR campaigns_fitscore.niche_points IS DISTINCT FROM excluded.niche_points
   OR campaigns_fitscore.country_points IS DISTINCT FROM excluded.country_points
   OR campaigns_fitscore.er_points IS DISTINCT FROM excluded.er_points
   OR campaigns_fitscore.affordability_points IS DISTINCT FROM excluded.affordability_points
"""
_DELETE_INACTIVE_SQL = """
DELETE FROM campaigns_fitscore WHERE creator_id IN (
    SELECT c.id FROM creators_creator c WHERE c.status <> 'active' AND {where}
)
"""


def _benchmarks_sql() -> str:
    return " UNION ALL ".join(f"SELECT '{tier}' AS tier, {er} AS er" for tier, er in ER_BENCHMARK.items())


def recalculate(scope: Scope) -> None:
    """Refresh the fit scores of the creators in ``scope`` for every brand (a recalculation step)."""
    where, params = scope.where("c.id")
    sql = _FIT_SQL.format(where=where, benchmarks=_benchmarks_sql())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(_DELETE_INACTIVE_SQL.format(where=where), params)


def tier_benchmarks_refresh() -> None:
    """Store each tier's median estimated cost per engagement over active creators (for affordability)."""
    for tier, _ in Creator._meta.get_field("tier").choices:
        active = Creator.objects.filter(status="active", tier=tier)
        costs = active.filter(cost_per_engagement__isnull=False).order_by("cost_per_engagement")
        priced = costs.count()
        median = costs.values_list("cost_per_engagement", flat=True)[priced // 2] if priced else None
        TierBenchmark.objects.update_or_create(tier=tier, defaults={"median_cpe": median, "creators": active.count()})
