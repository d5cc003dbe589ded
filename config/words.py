"""How counts read in sentences the app shows: "1 creator", "3 creators", never "creator(s)"."""

from collections.abc import Sequence


def counted(number: int, singular: str, plural: str = "") -> str:
    """``number`` with thousands separators and the word that agrees with it."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
