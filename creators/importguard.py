"""Imports one at a time: a second import waits for the first to commit, then sees what it wrote.

Two files that share new creators would otherwise both try to insert them, and the second would die on the unique
e-mail index. On PostgreSQL a transaction-scoped advisory lock serializes them (waiting at most ``wait`` seconds);
SQLite's IMMEDIATE transactions already do. Anything that still collides, such as a profile URL added at the same
moment, ends as a clear file-level problem with nothing written, never an IntegrityError.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction

from .csvfiles import InvalidFile, Problem

LOCK_KEY = 0x6D72_696D  # "mrim": the import lock's key among PostgreSQL advisory locks
T = TypeVar("T")
WAIT_SECONDS = 15  # a browser request; the commands wait longer

BUSY = "another import is still running; nothing was imported. Try again when it has finished."
COLLIDED = "someone else saved the same creators or accounts meanwhile; nothing was imported. Import the file again."


def one_at_a_time(work: Callable[..., T], *, wait: float = WAIT_SECONDS, **kwargs) -> T:
    """Run ``work(**kwargs)`` in a transaction that holds the import lock; all or nothing."""
    try:
        with transaction.atomic():
            _lock(wait)
            return work(**kwargs)
    except IntegrityError:
        raise InvalidFile([Problem(0, "file", COLLIDED)]) from None
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "55P03":  # lock_not_available: the wait ran out
            raise InvalidFile([Problem(0, "file", BUSY)]) from None
        raise


def _lock(wait: float) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait * 1000)}ms"])
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
