"""Pages of the creator base: the dashboard, the directory, its CSV export and the staff import page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from campaigns.access import current_brand

from . import csvfiles, recalculation, selectors, services
from .forms import DirectoryFilterForm, ImportForm
from .models import Creator
from .pagination import CappedPage

PAGE_SIZE = 50


def _directory_filters(request: HttpRequest) -> tuple[DirectoryFilterForm, dict, list[str]]:
    form = DirectoryFilterForm(request.GET)
    filters, ignored = form.cleaned_filters()
    return form, filters, ignored


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form, filters, ignored = _directory_filters(request)
    for message in ignored:
        messages.warning(request, message)
    queryset = selectors.creators_for_export(selectors.creators_directory(filters))
    page = CappedPage(queryset, request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    brand = current_brand(request)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "targets": campaign_selectors.add_targets(brand) if brand else {},
    }
    return render(request, "creators/directory.html", context)


@require_GET
def creator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from campaigns.forms import RelationshipEntryForm

    creator = get_object_or_404(Creator.objects.select_related("primary_account"), pk=pk)
    brand = current_brand(request)
    context = selectors.creator_profile(creator) | {
        "creator": creator,
        "brand": brand,
        "log_form": RelationshipEntryForm(initial={"date": timezone.localdate()}),
        "targets": campaign_selectors.add_targets(brand) if brand else {},
    }
    if brand:
        context |= campaign_selectors.creator_history(brand, creator)
    return render(request, "creators/creator_detail.html", context)


@require_GET
def directory_export(request: HttpRequest) -> StreamingHttpResponse:
    _, filters, _ = _directory_filters(request)
    queryset = selectors.creators_for_export(selectors.creators_directory(filters))
    response = StreamingHttpResponse(
        selectors.export_lines(selectors.iterate(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="creators.csv"'
    return response


def import_csv(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Importing files is for staff.")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[csvfiles.Problem] = []
    if request.method == "POST" and form.is_valid():
        service = services.creators_import if form.cleaned_data["kind"] == "creators" else services.posts_import
        try:
            summary = service(text=csvfiles.decode(form.cleaned_data["file"].read()))
        except csvfiles.InvalidFile as invalid:
            problems = invalid.problems
        else:
            services.recalculate_after_import(creator_ids=summary.creator_ids)
            messages.success(request, f"Imported {form.cleaned_data['file'].name}: {summary}.")
            return redirect("creators:import")
    return render(
        request, "creators/import.html", {"form": form, "problems": problems}, status=400 if problems else 200
    )
