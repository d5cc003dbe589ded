"""PostgreSQL only: the per-tier followers index of migration 0006 goes.

A tier is a range of followers (``metrics.tier_followers``), so the directory's tier filter sorted by followers walks
the followers index within that range; the index cost every creator row a recalculation rewrites an entry at a random
place. The per-tier ER index stays: ER does not follow from the tier (mega creators sorted by ER would otherwise skip
most of the ER index: 1.7 s instead of 0.2 ms at a million creators)."""

from django.db import migrations

from config.schema import postgresql_only


class Migration(migrations.Migration):
    dependencies = [("creators", "0011_run_creators_changed")]
    operations = [
        postgresql_only(
            ["DROP INDEX IF EXISTS creator_tier_followers_desc"],
            [
                "CREATE INDEX IF NOT EXISTS creator_tier_followers_desc "
                "ON creators_creator (tier, followers DESC NULLS LAST, id DESC)"
            ],
        )
    ]
