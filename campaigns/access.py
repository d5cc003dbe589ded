"""The one access rule: a user sees and changes only objects of brands they are a member of.

Every view, form and export gets brand objects through ``for_user`` / ``get_for_user``; an object of
another brand is indistinguishable from one that does not exist (404).
"""

from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpRequest

from config.objects import one_of

from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Draft,
    Invitation,
    Membership,
    Partnership,
    RelationshipEntry,
    Shortlist,
    ShortlistEntry,
    StageChange,
)

# The path from each object kind to its brand.
BRAND_PATH: dict[type[Model], str] = {
    Brand: "",
    Membership: "brand__",
    Invitation: "brand__",
    Campaign: "brand__",
    Collaboration: "campaign__brand__",
    StageChange: "collaboration__campaign__brand__",
    Deliverable: "collaboration__campaign__brand__",
    Draft: "deliverable__collaboration__campaign__brand__",
    Partnership: "brand__",
    RelationshipEntry: "brand__",
    Shortlist: "brand__",
    ShortlistEntry: "shortlist__brand__",
}
SESSION_KEY = "current_brand_id"


def for_user(model: type[Model], user, *, brand: Brand | None = None) -> QuerySet:
    """Objects of ``model`` that belong to the user's brands (only ``brand``'s when given)."""
    path = BRAND_PATH[model]
    queryset = model.objects.filter(**{f"{path}memberships__user": user})
    if brand is not None:
        queryset = queryset.filter(**({"pk": brand.pk} if not path else {f"{path.removesuffix('__')}": brand}))
    return queryset


def get_for_user(model: type[Model], user, pk, *, queryset: QuerySet | None = None):
    """The object with primary key ``pk`` if it belongs to one of the user's brands; 404 otherwise."""
    return one_of(model, for_user(model, user), pk, queryset=queryset)


def user_brands(user) -> QuerySet[Brand]:
    """The user's brands, each with ``my_role`` (the user's role in it; the filter's join, no extra query)."""
    return for_user(Brand, user).annotate(my_role=F("memberships__role")).order_by("name")


def current_brand(request: HttpRequest) -> Brand | None:
    """The brand the user works in now: the one chosen in the session, else their first."""
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_current_brand", False)
    if cached is not False:
        return cached
    brands = request_brands(request)
    chosen = request.session.get(SESSION_KEY)
    brand = next((b for b in brands if b.pk == chosen), None) or (brands[0] if brands else None)
    request._current_brand = brand
    return brand


def request_brands(request: HttpRequest) -> list[Brand]:
    """The user's brands, read once per request (the switcher and ``current_brand`` share them)."""
    if not hasattr(request, "_user_brands"):
        request._user_brands = list(user_brands(request.user))
    return request._user_brands


def choose_brand(request: HttpRequest, brand_id) -> Brand:
    brand = get_for_user(Brand, request.user, brand_id)
    request.session[SESSION_KEY] = brand.pk
    request._current_brand = brand
    return brand


def audit_events_for(user, brand: Brand) -> QuerySet:
    """The audit trail of ``brand``'s objects, for its managers only (404 for anyone else)."""
    from audit.models import AuditEvent

    if not Membership.objects.filter(user=user, brand=brand, role=Membership.Role.MANAGER).exists():
        raise Http404("No such page.")
    return AuditEvent.objects.filter(brand_id=brand.pk).select_related("content_type")
