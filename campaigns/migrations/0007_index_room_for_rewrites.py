"""PostgreSQL only: the fit score indexes a recalculation writes at random places are built with room (fillfactor
70; see creators migration 0013 for the measurement)."""

from importlib import import_module

from django.db import migrations

INDEXES = ["fit_brand_score", "fit_brand_candidate"]
room = import_module("creators.migrations.0013_index_room_for_rewrites")


def forwards(apps, schema_editor):
    room.rebuild_with_room(schema_editor, INDEXES, room.FILLFACTOR)


def backwards(apps, schema_editor):
    room.rebuild_with_room(schema_editor, INDEXES, None)


class Migration(migrations.Migration):
    atomic = False  # REINDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("campaigns", "0006_fit_candidates_only"), ("creators", "0013_index_room_for_rewrites")]
    operations = [migrations.RunPython(forwards, backwards)]
