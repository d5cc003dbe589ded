"""The brand's part of the creator base's pages, registered with ``creators.hooks`` (see ``apps.py``): the partner
filter and the fit order of the directory, the "add to…" menus, and the brand's history with a creator."""

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from config.fragments import cached_value
from creators import hooks

from . import access, selectors
from .forms import RelationshipEntryForm
from .middleware import brand_versions
from .models import Brand, Partnership


def partner_filter(queryset: QuerySet, filters: dict, brand: Brand) -> QuerySet:
    """The directory's "Partner of my brand" filter."""
    if "has_partnership" not in filters:
        return queryset
    partner = Exists(Partnership.objects.filter(Partnership.running(), brand=brand, creator=OuterRef("pk")))
    return queryset.filter(partner if filters["has_partnership"] == "true" else ~partner)


def fit_order(queryset: QuerySet, brand: Brand, descending: bool) -> QuerySet:
    """The directory by the brand's fit score, driven from its fit scores (an index in score order); creators without
    one (archived) drop out."""
    queryset = queryset.filter(fit_scores__brand=brand).annotate(fit=F("fit_scores__score"))
    return queryset.order_by(F("fit").desc() if descending else F("fit").asc(), "fit_scores__creator_id")


def directory_part(brand: Brand) -> dict:
    return {"targets": selectors.add_targets(brand)}


def creator_part(brand: Brand, *, creator) -> dict:
    """The brand's part of the creator page: read once, then from the cache until the brand's next write (or the
    next recalculation, or ``config.fragments.TIMEOUT``)."""

    def read() -> dict:
        history = {name: list(rows) for name, rows in selectors.creator_history(brand, creator).items()}
        return {"targets": selectors.add_targets(brand), **history, "fit": selectors.fit_for(brand, creator)}

    parts = ("creator-brand-part", brand.pk, creator.pk, brand_versions(brand.pk))
    return {"log_form": RelationshipEntryForm(initial={"date": timezone.localdate()}), **cached_value(parts, read)}


def register() -> None:
    hooks.register_brand(access.current_brand)
    hooks.register_directory_filter(partner_filter)
    hooks.register_directory_order("fit", fit_order)
    hooks.register_page_part("directory", directory_part)
    hooks.register_page_part("creator", creator_part)
