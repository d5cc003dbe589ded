"""Saved searches and notifications. Both are the user's own in their current brand: another's answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from campaigns.views import brand_required

from . import notifications, searches
from .forms import NotificationSettingsForm, SaveSearchForm
from .models import Notification, NotificationSettings, SavedSearch


def directory_part(brand, **objects) -> dict:
    """The directory page's "save this search" form (creators' page hook)."""
    return {"save_search_form": SaveSearchForm()}


def _mine(model, request: HttpRequest, pk):
    """One rule for both kinds: the object is the user's own (else 404)."""
    try:
        return get_object_or_404(model, pk=int(pk), user=request.user)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None


@require_GET
@brand_required
def search_list(request: HttpRequest, brand) -> HttpResponse:
    rows = SavedSearch.objects.filter(user=request.user, brand=brand)
    return render(request, "workspace/search_list.html", {"searches": rows})


@require_POST
@brand_required
def search_create(request: HttpRequest, brand) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    query = searches.clean_query(request.POST.get("query", ""))
    back = reverse("creators:directory") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, "Give the search a name (at most 80 characters) to save it.")
        return redirect(back)
    try:
        search = searches.saved_search_create(
            user=request.user, brand=brand, name=form.cleaned_data["name"], query=query
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        f"Saved “{search.name}”: {search.matches:,} creator{'s' if search.matches != 1 else ''} match now. "
        "Saved searches shows how many are new when you come back.",
    )
    return redirect(back)


@require_GET
def search_open(request: HttpRequest, pk: int) -> HttpResponse:
    search = _mine(SavedSearch, request, pk)
    searches.saved_search_visit(search=search)
    return redirect(reverse("creators:directory") + (f"?{search.query}" if search.query else ""))


@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _mine(SavedSearch, request, pk)
    search.delete()
    messages.success(request, f"Deleted the saved search “{search.name}”.")
    return redirect("workspace:search_list")


def notification_list(request: HttpRequest) -> HttpResponse:
    choice, _ = NotificationSettings.objects.get_or_create(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        form.save()
        on = form.cleaned_data["email_digest"]
        messages.success(request, "Daily digest on." if on else "Daily digest off.")
        return redirect("workspace:notification_list")
    rows = Notification.objects.filter(user=request.user).select_related("brand")[:100]
    return render(request, "workspace/notification_list.html", {"notifications": rows, "form": form})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _mine(Notification, request, pk)
    notifications.notification_read(notification=notice)
    safe = url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None) and notice.url.startswith("/")
    return redirect(notice.url if safe else "workspace:notification_list")


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    done = notifications.notifications_read_all(user=request.user)
    messages.success(request, f"Marked {done:,} notification{'s' if done != 1 else ''} as read.")
    return redirect("workspace:notification_list")
