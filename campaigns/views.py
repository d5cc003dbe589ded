"""Pages of the brand workspace."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/campaign_list.html", {"campaigns": []})


@require_GET
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/partnership_list.html", {"partnerships": []})
