"""The growth figures carry their account's creator, so that a recalculation's chunk reads only its own rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("creators", "0020_import_job_file")]

    operations = [
        migrations.AddField(
            model_name="followergrowth",
            name="creator_id",
            field=models.BigIntegerField(db_index=True, default=0),
            preserve_default=False,
        ),
        migrations.RunSQL(
            """UPDATE creators_followergrowth SET creator_id = (
                   SELECT a.creator_id FROM creators_socialaccount a WHERE a.id = creators_followergrowth.account_id)""",
            migrations.RunSQL.noop,
        ),
    ]
