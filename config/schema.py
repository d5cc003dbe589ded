"""Schema statements that only PostgreSQL runs, for migrations (other databases skip them and stay as they are)."""

from collections.abc import Callable

from django.db import migrations


def postgresql_only(forwards: list[str], backwards: list[str]) -> migrations.RunPython:
    """A migration operation running ``forwards`` (``backwards`` when unapplied) on PostgreSQL, nothing elsewhere."""

    def run(statements: list[str]) -> Callable:
        def apply(apps, schema_editor) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for sql in statements:
                    schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forwards), run(backwards))


def rebuild_with_room(indexes: list[str], fillfactor: int | None) -> list[str]:
    """Set (with None: reset) the fillfactor of ``indexes`` and rebuild them without blocking reads or writes
    (in a migration with ``atomic = False``: a concurrent rebuild cannot run in a transaction)."""
    setting = f"SET (fillfactor = {fillfactor})" if fillfactor else "RESET (fillfactor)"
    statements = []
    for name in indexes:
        statements += [f"ALTER INDEX IF EXISTS {name} {setting}", f"REINDEX INDEX CONCURRENTLY {name}"]
    return statements
