from django.http import HttpRequest

from .notifications import unread_count


def unread(request: HttpRequest) -> dict:
    """The unread notifications' count in the header (from the cache, kept when notifications change)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(request.user)}
