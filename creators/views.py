"""Pages of the creator base: the directory, its CSV export, the creator page and charts, the staff import page."""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from config.fragments import cached_fragment
from config.permissions import require_perms
from config.ratelimit import limited

from . import charts, hooks, importjobs, selectors, uploads
from .forms import DirectoryFilterForm, ImportForm
from .metrics import spike_days
from .models import Creator, ImportJob, SocialAccount
from .pagination import CappedPage

log = logging.getLogger(__name__)
PAGE_SIZE = 50


def _directory_filters(request: HttpRequest) -> tuple[DirectoryFilterForm, dict, list[str]]:
    form = DirectoryFilterForm(request.GET)
    filters, ignored = form.cleaned_filters()
    return form, filters, ignored


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    if request.GET and (refused := limited(request, "search")):
        return refused
    form, filters, ignored = _directory_filters(request)
    for message in ignored:
        messages.warning(request, message)
    brand = hooks.brand(request)
    query = request.GET.copy()
    query.pop("page", None)

    def results() -> str:
        # The qualifying account too: a creator flagged through a secondary account says which (issue 15, defect 3).
        queryset = selectors.creators_for_export(selectors.creators_directory(filters, brand))
        queryset = queryset.select_related("qualifying_account")
        page = CappedPage(queryset, request.GET.get("page"), per_page=PAGE_SIZE)
        context = {"page": page, "query": query.urlencode(), "current_brand": brand}
        return render_to_string("creators/snippets/directory_results.html", context)

    # The same filters for the same brand give the same rows until the next recalculation.
    parts = ("directory", brand.pk if brand else None, sorted(filters.items()), request.GET.get("page"))

    def filter_form() -> str:
        return render_to_string("creators/snippets/directory_form.html", {"form": form, "query": query.urlencode()})

    context = {
        # Tier and ER filter on each creator's primary account (CONTRACT); "flagged" is any account's (defect 3).
        "primary_account_hint": bool({"tier", "min_er", "max_er"} & set(filters)) and "flagged" not in filters,
        "filter_form": cached_fragment(("directory-form", request.GET.urlencode()), filter_form),
        "results": cached_fragment(parts, results),
    } | hooks.page_parts("directory", brand)
    return render(request, "creators/directory.html", context)


@require_GET
def creator_lookup(request: HttpRequest) -> HttpResponse:
    """Creators for a picker (the creator search of the partnership form): ``?q=`` name, e-mail or handle."""
    if refused := limited(request, "search"):
        return refused
    found = selectors.creator_suggestions(request.GET.get("q", "")[:100])
    rows = [{"id": c.pk, "name": c.name, "detail": selectors.creator_summary(c)} for c in found]
    return JsonResponse({"results": rows})


@require_GET
def creator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    creator = get_object_or_404(Creator, pk=pk)
    brand = hooks.brand(request)

    def profile() -> str:
        # The same for every brand and user until the next recalculation: accounts, authenticity, posts.
        context = selectors.creator_profile(creator) | {"creator": creator}
        return render_to_string("creators/snippets/creator_profile.html", context)

    context = {
        "profile": cached_fragment(("creator-profile", creator.pk), profile),
        "creator": creator,
        "brand": brand,
    } | hooks.page_parts("creator", brand, creator=creator)
    return render(request, "creators/creator_detail.html", context)


@require_GET
def directory_export(request: HttpRequest) -> HttpResponse:
    if refused := limited(request, "export"):
        return refused
    _, filters, _ = _directory_filters(request)
    queryset = selectors.creators_for_export(selectors.creators_directory(filters, hooks.brand(request)))
    response = StreamingHttpResponse(
        selectors.export_lines(selectors.iterate(queryset), for_spreadsheets=True),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="creators.csv"'
    return response


IMPORT_PERMS = {
    "creators": (
        "creators.add_creator",
        "creators.change_creator",
        "creators.add_socialaccount",
        "creators.change_socialaccount",
    ),
    "posts": ("creators.add_post", "creators.change_post"),
}


def _import_kinds(request: HttpRequest) -> list[str]:
    """The kinds of file this user may import (staff with the model permissions of the kind)."""
    kinds = [kind for kind, perms in IMPORT_PERMS.items() if request.user.has_perms(perms)]
    require_perms(request, *([] if kinds else IMPORT_PERMS["creators"]))
    return kinds


def import_csv(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is stored and imported by a worker, and the browser follows it on the import's page."""
    kinds = _import_kinds(request)
    if request.method == "POST" and uploads.too_large(request, ImportForm.MAX_BYTES):
        # Refused before the body is read: the upload never reaches memory or a temporary file.
        form = ImportForm(kinds=kinds)
        form.errors["file"] = form.error_class([f"The file {ImportForm.TOO_LARGE}"])
        return render(request, "creators/import.html", _import_context(form, kinds), status=413)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = importjobs.job_create(
                user=request.user, kind=form.cleaned_data["kind"], name=upload.name, content=upload
            )
        except OSError:  # the storage is full or unreachable: say so, keep nothing
            log.exception("could not store the import %s", upload.name)
            form.add_error("file", importjobs.NOT_STORED)
        else:
            importjobs.job_enqueue(job)
            return redirect(job)
    status = 400 if form.is_bound else 200
    return render(request, "creators/import.html", _import_context(form, kinds), status=status)


def _import_context(form: ImportForm, kinds: list[str]) -> dict:
    return {"form": form, "history": importjobs.history(kinds=kinds)}


def _import_job(request: HttpRequest, pk: int) -> ImportJob:
    """An import, for staff allowed to import its kind of file (404 otherwise)."""
    return get_object_or_404(ImportJob.objects, pk=pk, kind__in=_import_kinds(request))


@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    context = {
        "job": job,
        "progress": importjobs.job_progress(job),
        "problems": job.first_problems,
        "stored_limit": importjobs.PROBLEMS_STORED,
    }
    return render(request, "creators/import_job.html", context)


@require_GET
def import_job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the import is, for the page's progress bar (read every second or two while it runs)."""
    progress = importjobs.job_progress(_import_job(request, pk))
    progress["text"] = render_to_string("creators/snippets/import_phase.txt", {"progress": progress}).strip()
    return JsonResponse(progress)


@require_GET
def import_job_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """Every problem of a failed import, as a text file."""
    job = _import_job(request, pk)
    response = HttpResponse(job.problems, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.txt"'
    return response


@require_GET
def account_growth_chart(request: HttpRequest, pk: int, account_pk: int) -> HttpResponse:
    account = get_object_or_404(SocialAccount, pk=account_pk, creator_id=pk)
    snapshots = selectors.account_snapshots(account)
    points = [(s.date, s.followers) for s in snapshots]
    return charts.svg_response(charts.follower_growth(points, spike_days(points), f"Followers of {account}"))


@require_GET
def er_trend_chart(request: HttpRequest, pk: int) -> HttpResponse:
    creator = get_object_or_404(Creator.objects.select_related("primary_account"), pk=pk)
    account = creator.primary_account
    points = (
        [(s.date, s.engagement_rate) for s in selectors.account_snapshots(account) if s.engagement_rate is not None]
        if account
        else []
    )
    return charts.svg_response(charts.er_trend(points, f"ER trend of {account or creator}"))
