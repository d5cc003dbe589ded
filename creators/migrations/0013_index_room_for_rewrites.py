"""PostgreSQL only: the indexes a recalculation writes at random places are built with room (fillfactor 70).

A recalculation that changes a creator's metrics writes a new row version, and every index of the table gets an
entry for it: in the metric indexes at a new place (ER, followers), in the others beside the old one. A page packed
by an index build (PostgreSQL fills B-tree pages to 90 %) splits at the first such entry, so the first full run after
a build or a restore split pages all over every index. Measured at a million creators, the worst-case full run
(one process) took 160–167 s from packed indexes and 143 s from indexes built with room. The setting applies
whenever an index is built; the existing indexes are rebuilt here without blocking reads or writes (13 s for these
and the fit indexes at a million creators).
"""

from django.db import migrations

INDEXES = [
    "creator_er_desc",
    "creator_tier_er_desc",
    "creator_followers_desc",
    "creator_name",
    "creator_country",
    "creator_flagged",
    "creator_email_unique_ci",
]
FILLFACTOR = 70


def rebuild_with_room(schema_editor, indexes: list[str], fillfactor: int | None) -> None:
    """Set (or, with None, reset) the fillfactor of ``indexes`` and rebuild them concurrently."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in indexes:
        setting = f"SET (fillfactor = {fillfactor})" if fillfactor else "RESET (fillfactor)"
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} {setting}")
        schema_editor.execute(f"REINDEX INDEX CONCURRENTLY {name}")


def forwards(apps, schema_editor):
    rebuild_with_room(schema_editor, INDEXES, FILLFACTOR)


def backwards(apps, schema_editor):
    rebuild_with_room(schema_editor, INDEXES, None)


class Migration(migrations.Migration):
    atomic = False  # REINDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("creators", "0012_drop_tier_followers_index")]
    operations = [migrations.RunPython(forwards, backwards)]
