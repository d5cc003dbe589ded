"""PostgreSQL only: the per-tier followers index of migration 0006 goes.

A tier is a range of followers (``metrics.tier_followers``), so the directory's tier filter sorted by followers walks
the followers index within that range; the index cost every creator row a recalculation rewrites an entry at a random
place. The per-tier ER index stays: ER does not follow from the tier (mega creators sorted by ER would otherwise skip
most of the ER index: 1.7 s instead of 0.2 ms at a million creators)."""

from django.db import migrations

INDEXES = [
    ("creator_tier_followers_desc", "creators_creator (tier, followers DESC NULLS LAST, id DESC)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


class Migration(migrations.Migration):
    dependencies = [("creators", "0011_run_creators_changed")]
    operations = [migrations.RunPython(forwards, backwards)]
