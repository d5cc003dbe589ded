"""After any request that may have written to a brand's objects, that brand's cached reads start over."""

from django.http import HttpRequest

from config.fragments import bump_scopes, scope_versions

from .access import request_brands

SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}
ALL_BRANDS = "brands"  # an admin's change may touch any brand


def brand_scope(brand_id: int) -> str:
    return f"brand:{brand_id}"


def brand_versions(brand_id: int) -> tuple[int, ...]:
    """What a cached read of the brand's objects is keyed on: the brand's writes and the admin's."""
    return scope_versions(brand_scope(brand_id), ALL_BRANDS)


class BrandWritesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE and user is not None and user.is_authenticated:
            scopes = [brand_scope(b.pk) for b in request_brands(request)]
            if request.path.startswith("/admin/"):
                scopes.append(ALL_BRANDS)
            bump_scopes(scopes)
        return response
