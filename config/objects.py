"""The one way an access rule answers for a single object: the object, or a 404 that looks like no object at all."""

from django.db.models import Model, QuerySet
from django.http import Http404


def one_of(model: type[Model], allowed: QuerySet, pk, *, queryset: QuerySet | None = None):
    """The object with primary key ``pk`` among ``allowed`` (read through ``queryset`` when given); 404 otherwise,
    for a malformed id too."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None
    base = allowed if queryset is None else queryset.filter(pk__in=allowed.values("pk"))
    try:
        return base.get(pk=pk)
    except model.DoesNotExist:
        raise Http404("No such object.") from None
