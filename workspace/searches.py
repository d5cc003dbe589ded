"""Saved searches: a marketer names a directory query and sees, when they come back, how many creators match and how
many of them are new since their last visit.

"New" is exact while a search matches at most ``SEEN_LIMIT`` creators (the ids matching at the last visit are kept and
compared); above that it counts the matching creators added to Microreach since the last visit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from creators import selectors
from creators.forms import DirectoryFilterForm

from .models import SavedSearch

SEEN_LIMIT = 10_000
IGNORED_PARAMETERS = ("page", "csrfmiddlewaretoken")


def clean_query(query: str) -> str:
    """The directory query without the page (and anything but the filters' own parameters)."""
    params = QueryDict(query.lstrip("?"), mutable=True)
    for name in IGNORED_PARAMETERS:
        params.pop(name, None)
    known = set(DirectoryFilterForm.base_fields)
    for name in list(params):
        if name not in known:
            params.pop(name)
    return params.urlencode()


def matching(search: SavedSearch) -> QuerySet:
    filters, _ = DirectoryFilterForm(QueryDict(search.query)).cleaned_filters()
    return selectors.creators_directory(filters, search.brand).order_by()


def _look(search: SavedSearch) -> tuple[int, set[int] | None]:
    queryset = matching(search)
    ids = set(queryset.values_list("pk", flat=True)[: SEEN_LIMIT + 1])
    if len(ids) <= SEEN_LIMIT:
        return len(ids), ids
    return queryset.count(), None


def saved_search_refresh(*, search: SavedSearch) -> SavedSearch:
    """Count the matches and the new ones (the scheduled refresh: the counts pages show are these stored ones)."""
    count, ids = _look(search)
    if ids is not None and search.seen is not None:
        new = len(ids - set(search.seen))
    else:  # too many matches to keep them all: the creators added since the last visit
        since = search.visited_at or search.created_at
        new = matching(search).filter(created_at__gt=since).count()
    search.matches, search.new_matches, search.counted_at = count, new, timezone.now()
    search.save(update_fields=["matches", "new_matches", "counted_at"])
    return search


def saved_search_visit(*, search: SavedSearch) -> SavedSearch:
    """The marketer opens the search: what matches now is what they have seen."""
    count, ids = _look(search)
    search.seen = sorted(ids) if ids is not None else None
    search.matches, search.new_matches = count, 0
    search.visited_at = search.counted_at = timezone.now()
    search.save(update_fields=["seen", "matches", "new_matches", "visited_at", "counted_at"])
    return search


def saved_search_create(*, user, brand, name: str, query: str) -> SavedSearch:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the search a name.")
    search = SavedSearch(user=user, brand=brand, name=name, query=clean_query(query))
    search.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError:
        raise ValidationError(f"You already have a saved search named “{name}”; choose another name.") from None
    return saved_search_visit(search=search)


def saved_searches_refresh() -> int:
    searches = SavedSearch.objects.select_related("brand")
    for search in searches.iterator():
        saved_search_refresh(search=search)
    return searches.count()
