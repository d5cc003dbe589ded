"""PostgreSQL-only indexes: trigram indexes for substring search (name, email, handle) and the directory's
"descending, nulls last" orders. Other databases get nothing here."""

from django.db import migrations

INDEXES = [
    ("creator_name_trgm", "creators_creator", "name"),
    ("creator_email_trgm", "creators_creator", "email"),
    ("account_handle_trgm", "creators_socialaccount", "handle"),
]


ORDER_INDEXES = [
    ("creator_followers_desc", "creators_creator (followers DESC NULLS LAST, id DESC)"),
    ("creator_er_desc", "creators_creator (engagement_rate DESC NULLS LAST, id DESC)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
    for name, definition in ORDER_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [n for n, _, _ in INDEXES] + [n for n, _ in ORDER_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("creators", "0004_directory_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
