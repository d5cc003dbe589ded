"""The import page's limits: an upload too large is refused from its Content-Length, and a long list of problems is
kept for the user who ran the import, to download, instead of filling the page."""

import secrets

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

PROBLEMS_KEPT_SECONDS = 3600


def too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the request's declared body exceeds ``limit`` bytes (checked before anything of it is read)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024  # the form's other fields
    except ValueError:
        return True


def keep_problems(request: HttpRequest, text: str) -> str:
    """Keep ``text`` for this user; return the URL it can be downloaded from."""
    token = secrets.token_urlsafe(16)
    cache.set(f"import-problems:{token}", (request.user.pk, text), PROBLEMS_KEPT_SECONDS)
    return reverse("creators:import_problems", args=[token])


def kept_problems(request: HttpRequest, token: str) -> str | None:
    kept = cache.get(f"import-problems:{token}")
    if kept is None or kept[0] != request.user.pk:
        return None
    return kept[1]
