"""PostgreSQL-only: the directory's orders within a tier (the most common filter), so a filtered page walks an
index instead of skipping the other tiers' rows."""

from django.db import migrations

INDEXES = [
    ("creator_tier_er_desc", "creators_creator (tier, engagement_rate DESC NULLS LAST, id DESC)"),
    ("creator_tier_followers_desc", "creators_creator (tier, followers DESC NULLS LAST, id DESC)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("creators", "0005_trigram_search")]
    operations = [migrations.RunPython(forwards, backwards)]
