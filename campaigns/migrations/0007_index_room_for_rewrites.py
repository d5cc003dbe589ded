"""PostgreSQL only: the fit score indexes a recalculation writes at random places are built with room (fillfactor
70; see creators migration 0013 for the measurement)."""

from django.db import migrations

from config.schema import postgresql_only, rebuild_with_room

INDEXES = ["fit_brand_score", "fit_brand_candidate"]
FILLFACTOR = 70


class Migration(migrations.Migration):
    atomic = False  # REINDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("campaigns", "0006_fit_candidates_only"), ("creators", "0013_index_room_for_rewrites")]
    operations = [postgresql_only(rebuild_with_room(INDEXES, FILLFACTOR), rebuild_with_room(INDEXES, None))]
