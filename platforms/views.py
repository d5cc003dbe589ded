"""The data-sources page (staff) and adding creators from profile URLs (staff and marketers allowed to)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.permissions import require_perms

from . import selectors, sync, tasks
from .forms import AddProfilesForm
from .profiles import accounts_add


def _require_adder(request: HttpRequest) -> None:
    # Marketers may be given the permission too: adding by URL needs no staff status.
    require_perms(request, "creators.add_creator", "creators.add_socialaccount", staff=False)


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    require_perms(request, "platforms.view_accountsync")
    return render(request, "platforms/sources.html", {"platforms": selectors.platform_overview()})


@require_POST
def sources_sync(request: HttpRequest) -> HttpResponse:
    require_perms(request, "platforms.change_accountsync")
    platform = request.POST.get("platform", "")
    if platform not in sync.PLATFORMS or sync.credentials_missing(platform):
        messages.error(request, "That platform is not configured on this deployment.")
        return redirect("platforms:sources")
    try:
        tasks.sync_platform.delay(platform, None, "staff")
    except Exception:
        messages.error(request, "The task queue is unavailable; the scheduled sync will run when it is back.")
    else:
        messages.success(request, f"Queued a sync of every {platform} account; the counts below update as it runs.")
    return redirect("platforms:sources")


def add_profiles(request: HttpRequest) -> HttpResponse:
    _require_adder(request)
    form = AddProfilesForm(request.POST or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        added = accounts_add(text=form.cleaned_data["profiles"], platform=form.cleaned_data["platform"])
        problems = added.problems
        if not problems:
            ids = ",".join(str(a.pk) for a in added.accounts)
            return redirect(f"{reverse('platforms:arriving')}?accounts={ids}")
    configured = sync.configured_platforms()
    status = 400 if problems or (request.method == "POST" and not form.is_valid()) else 200
    return render(
        request,
        "platforms/add.html",
        {"form": form, "problems": problems, "configured": configured, "missing": _missing()},
        status=status,
    )


def _missing() -> list[tuple[str, str]]:
    return [(p, reason) for p in sync.PLATFORMS if (reason := sync.credentials_missing(p))]


@require_GET
def arriving(request: HttpRequest) -> HttpResponse:
    _require_adder(request)
    ids = [int(part) for part in request.GET.get("accounts", "").split(",") if part.strip().isdigit()][:500]
    accounts = selectors.accounts_arriving(ids)
    waiting = any(
        getattr(a, "sync", None) is None or a.sync.status == a.sync.Status.PENDING
        for a in accounts
        if not sync.credentials_missing(a.platform)
    )
    return render(request, "platforms/arriving.html", {"accounts": accounts, "waiting": waiting})
