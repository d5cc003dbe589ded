"""Reading values out of the platforms' JSON answers, refusing what is not what the references promise."""

from datetime import UTC, datetime

from creators.csvfiles import FIRST_YEAR, LAST_YEAR

from .errors import BadAnswer

# Counts above this are not a real post's or account's (and would not fit the database's bigint).
MAX_COUNT = 10**15


def count(value, name: str) -> int | None:
    """A count as the APIs send it (YouTube: a decimal string, Graph API: a number); None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadAnswer(f"{name} is not a count: {value!r}")
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise BadAnswer(f"{name} is not a count: {str(value)[:40]!r}")
    return value


def timestamp(value, name: str) -> datetime:
    """An ISO 8601 time (``2024-05-01T12:00:00Z``, ``2024-05-01T12:00:00+0000``), as an aware UTC datetime."""
    if not isinstance(value, str):
        raise BadAnswer(f"{name} is missing")
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # the Graph API's +0000
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadAnswer(f"{name} is not a time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadAnswer(f"{name} is out of range: {value[:40]!r}")
    return moment.astimezone(UTC)


def text(value, name: str, *, required: bool = False, limit: int = 500) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadAnswer(f"{name} is missing")
    return value.strip()[:limit]


def obj(value, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadAnswer(f"{name} is not an object")
    return value


def items(value, name: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadAnswer(f"{name} is not a list of objects")
    return value
