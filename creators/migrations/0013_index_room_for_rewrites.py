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

from config.schema import postgresql_only, rebuild_with_room

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


class Migration(migrations.Migration):
    atomic = False  # REINDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("creators", "0012_drop_tier_followers_index")]
    operations = [postgresql_only(rebuild_with_room(INDEXES, FILLFACTOR), rebuild_with_room(INDEXES, None))]
