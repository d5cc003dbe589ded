"""A staging table for an import: the file's rows go in as they are read (PostgreSQL's ``COPY``, batched inserts on
SQLite), so memory holds one row at a time, and the checks that span the whole file and the writes become a few
set-based statements that read it.

The table is temporary, so no other connection sees it, and lives inside the import's transaction: it is dropped
when the import ends (a rollback drops it too).
"""

import contextlib
from collections.abc import Iterator, Sequence

from django.db import DatabaseError, connection

BATCH = 5000


class StagingTable:
    """A temporary table of typed columns: fill it inside ``filling()``, then read it in SQL by ``name``."""

    def __init__(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        self.name, self.columns = name, [column for column, _ in columns]
        self.rows = 0
        self._write = None

    @contextlib.contextmanager
    def filling(self) -> Iterator["StagingTable"]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    self._write = copy.write_row
                    yield self
                cursor.execute(f"ANALYZE {self.name}")  # the planner's row estimates for the statements that follow
            else:
                pending: list[tuple] = []
                marks = ", ".join(["%s"] * len(self.columns))

                def write(row: tuple) -> None:
                    pending.append(tuple(_sqlite_value(value) for value in row))
                    if len(pending) >= BATCH:
                        cursor.executemany(f"INSERT INTO {self.name} VALUES ({marks})", pending)
                        pending.clear()

                self._write = write
                yield self
                if pending:
                    cursor.executemany(f"INSERT INTO {self.name} VALUES ({marks})", pending)
        self._write = None

    def write(self, row: tuple) -> None:
        """Add a row (values in the order of the columns); only inside ``filling()``."""
        self.rows += 1
        self._write(row)


def _sqlite_value(value):
    """A value as Django stores it on SQLite (an aware datetime as UTC text, as the model's columns hold it)."""
    if getattr(value, "tzinfo", None) is not None:
        return connection.ops.adapt_datetimefield_value(value)
    return value


@contextlib.contextmanager
def staging_table(name: str, columns: Sequence[tuple[str, str]]) -> Iterator[StagingTable]:
    """A temporary table ``name`` with these (column, SQL type) pairs for the block, inside the caller's
    transaction; dropped when the block ends."""
    definition = ", ".join(f"{column} {kind}" for column, kind in columns)
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({definition})")
    try:
        yield StagingTable(name, columns)
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:  # a failed transaction drops it
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
