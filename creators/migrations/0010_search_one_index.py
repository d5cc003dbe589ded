"""PostgreSQL only: names and e-mails searched through one trigram index (one index scan instead of two).

The two are joined by a line break, which a search term cannot contain, so no match spans both."""

from django.db import migrations

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS creator_search_text_trgm ON creators_creatorsearch "
    "USING gin ((name || E'\\n' || email) gin_trgm_ops)",
    "DROP INDEX IF EXISTS creator_search_name_trgm",
    "DROP INDEX IF EXISTS creator_search_email_trgm",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS creator_search_name_trgm ON creators_creatorsearch USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS creator_search_email_trgm ON creators_creatorsearch USING gin (email gin_trgm_ops)",
    "DROP INDEX IF EXISTS creator_search_text_trgm",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("creators", "0009_account_creator_index")]
    operations = [migrations.RunPython(forwards, backwards)]
