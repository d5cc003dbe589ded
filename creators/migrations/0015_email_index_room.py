"""PostgreSQL only: the e-mail index, rebuilt by 0014 as a partial index (creators added from a profile URL have no
e-mail), gets back the room 0013 gave it."""

from django.db import migrations

from config.schema import postgresql_only, rebuild_with_room


class Migration(migrations.Migration):
    atomic = False  # REINDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("creators", "0014_platform_sync_fields")]
    operations = [
        postgresql_only(rebuild_with_room(["creator_email_unique_ci"], 70), rebuild_with_room(["creator_email_unique_ci"], None))
    ]
