# Leaner writes for the recalculation: redundant foreign-key indexes dropped, the computed account pointers
# without constraints, and (PostgreSQL) the trigram search moved to creators_creatorsearch, kept by triggers.

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL only. Statement-level triggers copy new creators in bulk; a row trigger follows a renamed creator
# (it fires only for statements that set name or email, so metric rewrites never run it).
SEARCH_SQL = [
    """CREATE OR REPLACE FUNCTION creators_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO creators_creatorsearch (creator_id, name, email) SELECT id, name, email FROM new_rows
        ON CONFLICT (creator_id) DO UPDATE SET name = excluded.name, email = excluded.email;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION creators_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE creators_creatorsearch SET name = NEW.name, email = NEW.email WHERE creator_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION creators_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM creators_creatorsearch s USING old_rows o WHERE s.creator_id = o.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER creators_search_insert AFTER INSERT ON creators_creator
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION creators_search_insert()""",
    """CREATE TRIGGER creators_search_update AFTER UPDATE OF name, email ON creators_creator FOR EACH ROW
       WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
       EXECUTE FUNCTION creators_search_update()""",
    """CREATE TRIGGER creators_search_delete AFTER DELETE ON creators_creator
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION creators_search_delete()""",
    """INSERT INTO creators_creatorsearch (creator_id, name, email) SELECT id, name, email FROM creators_creator
       ON CONFLICT (creator_id) DO NOTHING""",
    "CREATE INDEX IF NOT EXISTS creator_search_name_trgm ON creators_creatorsearch USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS creator_search_email_trgm ON creators_creatorsearch USING gin (email gin_trgm_ops)",
    "DROP INDEX IF EXISTS creator_name_trgm",
    "DROP INDEX IF EXISTS creator_email_trgm",
    # Account rows are rewritten by every recalculation and none of the rewritten columns is indexed: room on
    # each page lets PostgreSQL update them in place (HOT), without touching the account indexes.
    "ALTER TABLE creators_socialaccount SET (fillfactor = 50)",
]
SEARCH_SQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS creators_search_insert ON creators_creator",
    "DROP TRIGGER IF EXISTS creators_search_update ON creators_creator",
    "DROP TRIGGER IF EXISTS creators_search_delete ON creators_creator",
    "DROP FUNCTION IF EXISTS creators_search_insert, creators_search_update, creators_search_delete",
    "CREATE INDEX IF NOT EXISTS creator_name_trgm ON creators_creator USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS creator_email_trgm ON creators_creator USING gin (email gin_trgm_ops)",
    "ALTER TABLE creators_socialaccount RESET (fillfactor)",
]


def search_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in SEARCH_SQL:
            schema_editor.execute(sql)


def search_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in SEARCH_SQL_BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0007_audience_suspicious"),
    ]

    operations = [
        migrations.CreateModel(
            name="CreatorSearch",
            fields=[
                (
                    "creator",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="creators.creator",
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("email", models.CharField(max_length=254)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="creator",
            name="creator_tier",
        ),
        migrations.AlterField(
            model_name="creator",
            name="primary_account",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="creators.socialaccount",
            ),
        ),
        migrations.AlterField(
            model_name="creator",
            name="qualifying_account",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                help_text="The micro-tier, high-engagement account that flags the creator.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="creators.socialaccount",
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="account",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="posts",
                to="creators.socialaccount",
            ),
        ),
        migrations.AlterField(
            model_name="socialaccount",
            name="creator",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="accounts",
                to="creators.creator",
            ),
        ),
        migrations.RunPython(search_forwards, search_backwards),
    ]
