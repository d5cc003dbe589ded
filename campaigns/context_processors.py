from django.http import HttpRequest

from . import access


def brand(request: HttpRequest) -> dict:
    """The current brand and the user's other brands, for the brand switcher."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"current_brand": access.current_brand(request), "user_brands": access.request_brands(request)}
