"""What the apps above ``creators`` add to its pages, registered from their ``AppConfig.ready()`` so that creators
never imports them (campaigns: the brand a request works in, the directory's partner filter and fit order, the
brand's part of the directory and the creator page). With nothing registered the pages show the creator base alone.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest

_brand_of: list[Callable[[HttpRequest], object | None]] = []
_directory_filters: list[Callable[[QuerySet, dict, object], QuerySet]] = []
_directory_orders: dict[str, Callable[[QuerySet, object, bool], QuerySet]] = {}
_page_parts: dict[str, list[Callable[..., dict]]] = {"directory": [], "creator": []}


def register_brand(brand_of: Callable[[HttpRequest], object | None]) -> None:
    """``brand_of(request)``: the brand the request's user works in, or None."""
    _brand_of[:] = [brand_of]


def brand(request: HttpRequest) -> object | None:
    return _brand_of[0](request) if _brand_of else None


def register_directory_filter(refine: Callable[[QuerySet, dict, object], QuerySet]) -> None:
    """``refine(queryset, filters, brand)``: the directory narrowed by the cleaned filters another app owns (called
    only for a brand)."""
    if refine not in _directory_filters:
        _directory_filters.append(refine)


def directory_filtered(queryset: QuerySet, filters: dict, brand) -> QuerySet:
    for refine in _directory_filters if brand is not None else ():
        queryset = refine(queryset, filters, brand)
    return queryset


def register_directory_order(sort: str, order: Callable[[QuerySet, object, bool], QuerySet]) -> None:
    """``order(queryset, brand, descending)``: the directory in the order ``sort`` (the parameter without its "-")
    means for a brand; without a brand the directory's own order of that name stands in."""
    _directory_orders[sort] = order


def directory_order(sort: str, brand) -> Callable[[QuerySet, object, bool], QuerySet] | None:
    return _directory_orders.get(sort.lstrip("-")) if brand is not None else None


def register_page_part(page: str, part: Callable[..., dict]) -> None:
    """``part(brand, **objects)``: more context for ``page`` ("directory"; "creator" with ``creator=``), for a brand."""
    if part not in _page_parts[page]:
        _page_parts[page].append(part)


def page_parts(page: str, brand, **objects) -> dict:
    context = {}
    for part in _page_parts[page] if brand is not None else ():
        context |= part(brand, **objects)
    return context
