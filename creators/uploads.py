"""The import page's limit: an upload too large is refused from its Content-Length, before it is read."""

from django.http import HttpRequest


def too_large(request: HttpRequest, limit: int) -> bool:
    """Whether the request's declared body exceeds ``limit`` bytes (checked before anything of it is read)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024  # the form's other fields
    except ValueError:
        return True
