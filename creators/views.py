"""Pages of the creator base: the directory, its CSV export, the creator page and charts, the staff import page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from campaigns.access import current_brand
from campaigns.forms import RelationshipEntryForm
from config.fragments import cached_fragment
from config.permissions import require_perms
from config.ratelimit import limited

from . import charts, csvfiles, selectors, services, uploads
from .forms import DirectoryFilterForm, ImportForm
from .metrics import spike_days
from .models import Creator, SocialAccount
from .pagination import CappedPage

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
    brand = current_brand(request)
    query = request.GET.copy()
    query.pop("page", None)

    def results() -> str:
        queryset = selectors.creators_for_export(selectors.creators_directory(filters, brand))
        page = CappedPage(queryset, request.GET.get("page"), per_page=PAGE_SIZE)
        context = {"page": page, "query": query.urlencode(), "current_brand": brand}
        return render_to_string("creators/snippets/directory_results.html", context)

    # The same filters for the same brand give the same rows until the next recalculation.
    parts = ("directory", brand.pk if brand else None, sorted(filters.items()), request.GET.get("page"))

    def filter_form() -> str:
        return render_to_string("creators/snippets/directory_form.html", {"form": form, "query": query.urlencode()})

    context = {
        "filter_form": cached_fragment(("directory-form", request.GET.urlencode()), filter_form),
        "results": cached_fragment(parts, results),
        "targets": campaign_selectors.add_targets(brand) if brand else {},
    }
    return render(request, "creators/directory.html", context)


@require_GET
def creator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    creator = get_object_or_404(Creator, pk=pk)
    brand = current_brand(request)

    def profile() -> str:
        # The same for every brand and user until the next recalculation: accounts, authenticity, posts.
        context = selectors.creator_profile(creator) | {"creator": creator}
        return render_to_string("creators/snippets/creator_profile.html", context)

    context = {
        "profile": cached_fragment(("creator-profile", creator.pk), profile),
        "creator": creator,
        "brand": brand,
        "log_form": RelationshipEntryForm(initial={"date": timezone.localdate()}),
        "targets": campaign_selectors.add_targets(brand) if brand else {},
    }
    if brand:
        context |= campaign_selectors.creator_history(brand, creator)
        context["fit"] = campaign_selectors.fit_for(brand, creator)
    return render(request, "creators/creator_detail.html", context)


@require_GET
def directory_export(request: HttpRequest) -> HttpResponse:
    if refused := limited(request, "export"):
        return refused
    _, filters, _ = _directory_filters(request)
    queryset = selectors.creators_for_export(selectors.creators_directory(filters, current_brand(request)))
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
PROBLEMS_SHOWN = 200


def import_csv(request: HttpRequest) -> HttpResponse:
    # Staff with the model permissions of at least one kind of file; the form offers only those kinds.
    kinds = [kind for kind, perms in IMPORT_PERMS.items() if request.user.has_perms(perms)]
    require_perms(request, *([] if kinds else IMPORT_PERMS["creators"]))
    if request.method == "POST" and uploads.too_large(request, ImportForm.MAX_BYTES):
        # Refused before the body is read: the upload never reaches memory or a temporary file.
        form, problems = ImportForm(kinds=kinds), [csvfiles.Problem(0, "file", ImportForm.TOO_LARGE)]
        return render(request, "creators/import.html", {"form": form, "problems": problems}, status=413)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    problems: list[csvfiles.Problem] = []
    if request.method == "POST" and form.is_valid():
        service = services.creators_import if form.cleaned_data["kind"] == "creators" else services.posts_import
        try:
            upload = form.cleaned_data["file"]
            summary = service(text=csvfiles.decode(upload.read()), name=upload.name)
        except csvfiles.InvalidFile as invalid:
            problems = invalid.problems
        else:
            services.recalculate(creator_ids=summary.creator_ids)
            messages.success(request, f"Imported {form.cleaned_data['file'].name}: {summary}.")
            return redirect("creators:import")
    context = {"form": form, "problems": problems[:PROBLEMS_SHOWN], "problem_count": len(problems)}
    if len(problems) > PROBLEMS_SHOWN:
        context["problems_file"] = uploads.keep_problems(request, "\n".join(map(str, problems)) + "\n")
    return render(request, "creators/import.html", context, status=400 if problems else 200)


@require_GET
def import_problems(request: HttpRequest, token: str) -> HttpResponse:
    """The whole list of an import's problems, for the user who ran it (kept for an hour)."""
    text = uploads.kept_problems(request, token)
    if text is None:
        raise Http404("That list of problems has expired; import the file again to see it.")
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-problems.txt"'
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
