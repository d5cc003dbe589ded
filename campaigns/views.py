"""Pages of the brand workspace. Every object is fetched through ``access`` (another brand's is a 404)."""

import csv
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.fragments import CSRF_PLACEHOLDER, cached_fragment, with_csrf
from config.ratelimit import limited
from config.redirects import redirect_next
from config.spreadsheets import safe_row
from config.words import counted, listed
from creators.models import Creator

from . import access, selectors, services
from .forms import (
    AddCreatorsForm,
    BulkMoveForm,
    CampaignForm,
    CollaborationForm,
    DeliverableForm,
    ListFilterForm,
    MoveForm,
    PartnershipForm,
    RelationshipEntryForm,
    ShortlistForm,
)
from .middleware import brand_versions
from .models import Campaign, Collaboration, Deliverable, Partnership, Shortlist, ShortlistEntry, Stage


def brand_required(view):
    """Give the view the user's current brand; a user without a brand sees a page that says so."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        brand = access.current_brand(request)
        if brand is None:
            return render(request, "campaigns/no_brand.html")
        return view(request, brand, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, queryset, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_POST
def brand_switch(request: HttpRequest) -> HttpResponse:
    brand = access.choose_brand(request, request.POST.get("brand"))
    messages.success(request, f"You are now working in {brand.name}.")
    return redirect_next(request, "/", rewrite=_section_of_brand_object)


# A page of one brand's object, and the list of its kind: switching brand there goes to the new brand's list.
BRAND_OBJECT_PAGES = {
    "campaign_": "campaigns:campaign_list",
    "collaboration_": "campaigns:campaign_list",
    "deliverable_": "campaigns:campaign_list",
    "partnership_": "campaigns:partnership_list",
    "shortlist_": "campaigns:shortlist_list",
}


def _section_of_brand_object(path: str) -> str:
    """``path``, unless it shows one brand's object (a campaign, a partnership …): then the list of its kind."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    if match.namespace == "campaigns" and "pk" in match.kwargs:
        for prefix, section in BRAND_OBJECT_PAGES.items():
            if match.url_name.startswith(prefix):
                return reverse(section)
    return path


# --- Campaigns ------------------------------------------------------------------------------------


def _filtered_list(request: HttpRequest, brand, *, select, statuses, template: str, extra=None) -> HttpResponse:
    """A brand's list page: search and status filters from the query string, paginated."""
    filters = ListFilterForm(request.GET, statuses=statuses)
    rows = select(brand, **filters.values())
    context = {"page": _page(request, rows), "filters": filters, "query": _query_without_page(request), **(extra or {})}
    return render(request, template, context)


@require_GET
@brand_required
def campaign_list(request: HttpRequest, brand) -> HttpResponse:
    return _filtered_list(
        request,
        brand,
        select=selectors.campaigns_of,
        statuses=Campaign.Status.choices,
        template="campaigns/campaign_list.html",
    )


@brand_required
def campaign_create(request: HttpRequest, brand) -> HttpResponse:
    form = CampaignForm(request.POST or None, initial={"currency": "USD"})
    if request.method == "POST" and form.is_valid():
        form.instance.brand = brand
        campaign = form.save()
        messages.success(request, f"Campaign “{campaign.name}” created.")
        return redirect(campaign)
    return render(request, "campaigns/form.html", {"form": form, "title": "New campaign"})


def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_for_user(Campaign, request.user, pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.campaign_saved(campaign=campaign)
        if campaign.spend > campaign.budget:
            messages.warning(request, f"Committed fees ({campaign.spend}) exceed the budget ({campaign.budget}).")
        messages.success(request, "Campaign saved.")
        return redirect(campaign)
    return render(request, "campaigns/form.html", {"form": form, "title": f"Edit {campaign.name}", "back": campaign})


@require_POST
def campaign_archive(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_for_user(Campaign, request.user, pk)
    services.campaign_archive(campaign=campaign)
    messages.success(request, f"Campaign “{campaign.name}” archived; its history is kept.")
    return redirect("campaigns:campaign_list")


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_for_user(Campaign, request.user, pk, queryset=Campaign.objects.select_related("brand"))

    def board() -> str:
        # Rendered once per change of the brand (a move, a fee, a new creator) or recalculation, for every member;
        # its forms hold a placeholder, not this request's CSRF token.
        context = selectors.campaign_board(campaign) | {"campaign": campaign, "csrf_token": CSRF_PLACEHOLDER}
        return render_to_string("campaigns/snippets/board.html", context)

    cached = cached_fragment(("board", campaign.pk, campaign.status, brand_versions(campaign.brand_id)), board)
    context = {
        "campaign": campaign,
        "board": with_csrf(cached, request),
        "budget_used": selectors.budget_used(campaign),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The pipeline as CSV (one row per creator); ``?table=results`` gives the campaign's results instead."""
    campaign = access.get_for_user(Campaign, request.user, pk)
    if refused := limited(request, "export"):
        return refused
    results = request.GET.get("table") == "results"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"campaign-{campaign.pk}-results.csv" if results else f"campaign-{campaign.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    rows = selectors.campaign_results_rows(campaign) if results else selectors.campaign_export_rows(campaign)
    for row in rows:
        writer.writerow(safe_row(row))
    return response


@require_POST
def campaign_add_creators(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_for_user(Campaign, request.user, pk)
    form = AddCreatorsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one or more active creators to add.")
    else:
        chosen = form.cleaned_data["creator"]
        try:
            added = services.collaborations_add(campaign=campaign, creators=chosen, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _report_added(request, added, len(chosen), campaign.name, " as shortlisted")
    return redirect(campaign)


# --- The pipeline ---------------------------------------------------------------------------------


def collaboration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = access.get_for_user(
        Collaboration, request.user, pk, queryset=Collaboration.objects.select_related("campaign", "creator")
    )
    form = CollaborationForm(request.POST or None, instance=collaboration)
    if request.method == "POST" and form.is_valid():
        services.collaboration_update(
            collaboration=collaboration, fee=form.cleaned_data["fee"], notes=form.cleaned_data["notes"]
        )
        messages.success(request, "Saved.")
        return redirect(collaboration)
    context = {
        "collaboration": collaboration,
        "form": form,
        "move_form": MoveForm(initial={"stage": collaboration.stage}),
        "deliverable_form": DeliverableForm(collaboration=collaboration, auto_id="deliverable_%s"),
        "history": collaboration.stage_changes.select_related("changed_by"),
        "deliverables": collaboration.deliverables.select_related("post").prefetch_related("drafts"),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/collaboration_detail.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _moved_answer(request: HttpRequest, campaign: Campaign, level: str, text: str, moved: list[int]) -> HttpResponse:
    """The board's answer to a move: JSON for its script (the message, the new counts and fee totals), else the
    message and back to the board (or ``next``)."""
    if _wants_json(request):
        totals = selectors.board_totals(campaign)
        columns = {
            stage: {"count": t["count"], "fees": f"{intcomma(round(t['fees']))} {campaign.currency}"}
            for stage, t in totals.items()
        }
        status = 400 if level == "error" else 200
        return JsonResponse({"level": level, "message": text, "moved": moved, "columns": columns}, status=status)
    getattr(messages, level)(request, text)
    return redirect_next(request, campaign)


@require_POST
def collaboration_move(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = access.get_for_user(
        Collaboration, request.user, pk, queryset=Collaboration.objects.select_related("campaign", "creator")
    )
    campaign = collaboration.campaign
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _moved_answer(request, campaign, "error", "Choose a stage from the list.", [])
    previous, stage = collaboration.stage, form.cleaned_data["stage"]
    if not services.collaboration_move(collaboration=collaboration, stage=stage, user=request.user):
        text = f"{collaboration.creator} is already {Stage(collaboration.stage).label.lower()}."
        return _moved_answer(request, campaign, "info", text, [])
    moved = f"{collaboration.creator} moved to {Stage(collaboration.stage).label}"
    concerns = selectors.move_concerns(collaboration, previous)
    if concerns:
        return _moved_answer(request, campaign, "warning", f"{moved}, but {listed(concerns)}.", [collaboration.pk])
    return _moved_answer(request, campaign, "success", f"{moved}.", [collaboration.pk])


@require_POST
def campaign_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the creators selected on the board to one stage; any id not on this campaign refuses the whole move."""
    campaign = access.get_for_user(Campaign, request.user, pk)
    form = BulkMoveForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return _moved_answer(request, campaign, "error", " ".join(form.problems()), [])
    stage = form.cleaned_data["stage"]
    chosen = form.cleaned_data["collaboration"]
    before = {c.pk: c.stage for c in chosen}
    moved = services.collaborations_move(collaborations=chosen, stage=stage, user=request.user)
    label = Stage(stage).label
    text = f"{counted(len(moved), 'creator')} moved to {label}"
    if len(moved) < len(chosen):
        text += f" ({counted(len(chosen) - len(moved), 'was', 'were')} there already)"
    concerns = sorted({concern for c in moved for concern in selectors.move_concerns(c, before[c.pk])})
    if concerns:
        return _moved_answer(request, campaign, "warning", f"{text}, but {listed(concerns)}.", [c.pk for c in moved])
    return _moved_answer(request, campaign, "success", f"{text}.", [c.pk for c in moved])


@require_POST
def deliverable_create(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = access.get_for_user(Collaboration, request.user, pk)
    return _deliverable_save(request, collaboration, Deliverable(collaboration=collaboration))


def deliverable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = access.get_for_user(
        Deliverable, request.user, pk, queryset=Deliverable.objects.select_related("collaboration", "post")
    )
    if request.method == "POST":
        return _deliverable_save(request, deliverable.collaboration, deliverable)
    form = DeliverableForm(instance=deliverable, collaboration=deliverable.collaboration)
    return render(
        request, "campaigns/form.html", {"form": form, "title": "Edit deliverable", "back": deliverable.collaboration}
    )


def _deliverable_save(request: HttpRequest, collaboration: Collaboration, deliverable: Deliverable) -> HttpResponse:
    form = DeliverableForm(request.POST, instance=deliverable, collaboration=collaboration)
    if form.is_valid():
        deliverable = form.save(commit=False)
        deliverable.post = form.chosen_post()
        try:
            services.deliverable_save(deliverable=deliverable)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Deliverable saved.")
            return redirect(collaboration)
    return render(
        request, "campaigns/form.html", {"form": form, "title": "Deliverable", "back": collaboration}, status=400
    )


# --- Partnerships ---------------------------------------------------------------------------------


@require_GET
@brand_required
def partnership_list(request: HttpRequest, brand) -> HttpResponse:
    return _filtered_list(
        request,
        brand,
        select=selectors.partnerships_of,
        statuses=Partnership.Health.choices,
        template="campaigns/partnership_list.html",
        extra={"duplicates": selectors.partnership_duplicates(brand)},
    )


@brand_required
def partnership_create(request: HttpRequest, brand) -> HttpResponse:
    form = PartnershipForm(
        request.POST or None,
        initial={"creator": request.GET.get("creator"), "start_date": timezone.localdate()},
        brand=brand,
    )
    if request.method == "POST" and form.is_valid() and _saved(form):
        partnership = form.instance
        services.partnership_saved(partnership=partnership)
        messages.success(request, f"Partnership with {partnership.creator} created.")
        return redirect(partnership)
    return render(request, "campaigns/form.html", {"form": form, "title": "New partnership"})


def _saved(form: PartnershipForm) -> bool:
    """Save the partnership; False, with the form saying why, when a current one was saved meanwhile."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error(None, "A current partnership with this creator was saved meanwhile; open it from the list.")
        return False
    return True


def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_for_user(Partnership, request.user, pk)
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid() and _saved(form):
        services.partnership_saved(partnership=partnership)
        messages.success(request, "Partnership saved.")
        return redirect(partnership)
    return render(request, "campaigns/form.html", {"form": form, "title": f"Edit {partnership}", "back": partnership})


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access.get_for_user(
        Partnership, request.user, pk, queryset=Partnership.objects.select_related("brand", "creator")
    )
    context = selectors.partnership_overview(partnership) | {
        "partnership": partnership,
        "log_form": RelationshipEntryForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "campaigns/partnership_detail.html", context)


# --- Relationship log and shortlists --------------------------------------------------------------


@require_POST
@brand_required
def relationship_entry_add(request: HttpRequest, brand, creator_pk: int) -> HttpResponse:
    creator = Creator.objects.filter(pk=creator_pk).first()
    form = RelationshipEntryForm(request.POST)
    if creator is None:
        messages.error(request, "No such creator.")
    elif form.is_valid():
        services.relationship_entry_add(
            brand=brand,
            creator=creator,
            user=request.user,
            kind=form.cleaned_data["kind"],
            day=form.cleaned_data["date"],
            summary=form.cleaned_data["summary"],
        )
        messages.success(request, "Added to the relationship log.")
    else:
        missing = [f"a {form.fields[name].label.lower()}" for name in form.errors if name in form.fields]
        messages.error(request, f"The log entry needs {listed(missing or ['a kind, a date and a summary'])}.")
    return redirect_next(request, "/")


@brand_required
def shortlist_list(request: HttpRequest, brand) -> HttpResponse:
    form = ShortlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.brand = brand
        shortlist = form.save()
        messages.success(request, f"Shortlist “{shortlist.name}” created.")
        return redirect(shortlist)
    shortlists = access.for_user(Shortlist, request.user, brand=brand)
    return render(
        request,
        "campaigns/shortlist_list.html",
        {"shortlists": selectors.shortlists_with_counts(shortlists), "form": form},
    )


@require_GET
def shortlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = access.get_for_user(Shortlist, request.user, pk)
    entries = shortlist.entries.select_related("creator", "creator__primary_account")
    campaigns = (
        access.for_user(Campaign, request.user).filter(brand=shortlist.brand).exclude(status=Campaign.Status.ARCHIVED)
    )
    return render(
        request, "campaigns/shortlist_detail.html", {"shortlist": shortlist, "entries": entries, "campaigns": campaigns}
    )


@require_POST
def shortlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = access.get_for_user(Shortlist, request.user, pk)
    form = AddCreatorsForm(request.POST)
    if form.is_valid():
        added = services.shortlist_add(
            shortlist=shortlist, creators=form.cleaned_data["creator"], note=request.POST.get("note", "")[:2000]
        )
        _report_added(request, added, len(form.cleaned_data["creator"]), shortlist.name)
    else:
        messages.error(request, "Choose one or more active creators to add.")
    return redirect_next(request, shortlist)


@require_POST
def shortlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_for_user(
        ShortlistEntry, request.user, pk, queryset=ShortlistEntry.objects.select_related("shortlist")
    )
    entry.delete()
    messages.success(request, f"Removed {entry.creator} from “{entry.shortlist.name}”.")
    return redirect(entry.shortlist)


@require_POST
@brand_required
def bulk_add(request: HttpRequest, brand) -> HttpResponse:
    """Add the checked creators of the directory to one of the brand's campaigns or shortlists."""
    kind, _, target_id = str(request.POST.get("target", "")).partition(":")
    model = {"campaign": Campaign, "shortlist": Shortlist}.get(kind)
    form = AddCreatorsForm(request.POST)
    back = redirect_next(request, "creators:directory")
    if model is None:
        messages.error(request, "Choose a campaign or a shortlist to add the creators to.")
        return back
    target = access.get_for_user(model, request.user, target_id)
    if not form.is_valid():
        messages.error(request, "Check one or more active creators first.")
        return back
    creators = form.cleaned_data["creator"]
    if model is Campaign:
        try:
            added = services.collaborations_add(campaign=target, creators=creators, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
    else:
        added = services.shortlist_add(shortlist=target, creators=creators)
    _report_added(request, added, len(creators), str(target))
    return back


def _report_added(request: HttpRequest, added: int, chosen: int, target: str, how: str = "") -> None:
    """Say how many creators were added, and why the others were not (they were there already)."""
    if added == 0:
        already = "is already" if chosen == 1 else "are already"
        messages.info(
            request, f"Nothing added: {'the creator' if chosen == 1 else 'those creators'} {already} on “{target}”."
        )
        return
    there = f"; {counted(chosen - added, 'was', 'were')} there already" if chosen > added else ""
    messages.success(request, f"Added {counted(added, 'creator')} to “{target}”{how}{there}.")


@require_GET
@brand_required
def activity(request: HttpRequest, brand) -> HttpResponse:
    """Who changed what in the brand's workspace (managers only)."""
    events = access.audit_events_for(request.user, brand)
    return render(request, "campaigns/activity.html", {"page": _page(request, events, per_page=50)})
