"""The brand's side of drafts: each version's file, and the review (approve, or ask for changes with a comment)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from config.media import private_file

from . import access, drafts
from .models import Draft


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("changes", "Ask for changes")])
    comment = forms.CharField(required=False, max_length=5000)


@require_POST
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_for_user(Draft, request.user, pk, queryset=Draft.objects.select_related("deliverable"))
    form = ReviewForm(request.POST)
    back = redirect("campaigns:collaboration_detail", pk=draft.deliverable.collaboration_id)
    if not form.is_valid():
        messages.error(request, "Choose approve or ask for changes.")
        return back
    approve = form.cleaned_data["decision"] == "approve"
    try:
        drafts.draft_review(draft=draft, approve=approve, comment=form.cleaned_data["comment"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Version {draft.version} approved." if approve else f"Changes asked on version {draft.version}."
        )
    return back


@require_GET
def draft_file(request: HttpRequest, pk: int):
    draft = access.get_for_user(Draft, request.user, pk)
    return private_file(draft.file, draft.content_type)
