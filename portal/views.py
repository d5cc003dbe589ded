"""The creators' side (``/portal/``): sign-in by e-mailed link, then their own collaborations only."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from campaigns import drafts
from campaigns.models import Collaboration, Deliverable, Draft
from config.media import private_file
from config.ratelimit import allow, limited
from creators import uploads

from . import access, answers, profiles, signin
from .forms import AccountForm, AnswerForm, DraftForm, LiveForm, ProfileForm, SignInForm

log = logging.getLogger(__name__)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if access.signed_in_creator(request) is not None:
        return redirect("portal:home")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refused := limited(request, "portal_link"):
            return refused
        if form.is_valid():
            email = form.cleaned_data["email"].lower()
            if allow("portal_link_email", email, limit=5, window=3600):
                sent = signin.link_send(
                    email=email,
                    link_for=lambda token: request.build_absolute_uri(reverse("portal:link", args=[token])),
                )
                log.info("portal sign-in link %s", "sent" if sent else "not sent: unknown address")
            return render(request, "portal/link_sent.html", {"email": email, "minutes": settings.PORTAL_LINK_MINUTES})
    return render(request, "portal/sign_in.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
def link(request: HttpRequest, token: str) -> HttpResponse:
    """Looking at the link uses nothing up (mail scanners open links); the button signs in."""
    session_creator = request.session.get(access.SESSION_KEY)
    try:
        if request.method != "POST":
            return render(request, "portal/link.html", {"creator": signin.link_creator(token)})
        creator, collaboration_id = signin.link_use(token=token, session_creator_id=session_creator)
    except signin.LinkRefused as refused:
        form = SignInForm(initial={"email": refused.email})
        return render(request, "portal/sign_in.html", {"form": form, "problem": str(refused)}, status=410)
    request.session.cycle_key()
    request.session[access.SESSION_KEY] = creator.pk
    if collaboration_id and access.for_creator(Collaboration, creator).filter(pk=collaboration_id).exists():
        return redirect("portal:collaboration", collaboration_id)
    return redirect("portal:home")


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(access.SESSION_KEY, None)
    request.session.cycle_key()
    messages.success(request, "You are signed out of the portal.")
    return redirect("portal:sign_in")


@login_not_required
@access.creator_required
def home(request: HttpRequest, creator) -> HttpResponse:
    rows = (
        access.for_creator(Collaboration, creator)
        .select_related("campaign", "campaign__brand")
        .order_by("-updated_at", "-id")
    )
    return render(request, "portal/home.html", {"creator": creator, "collaborations": rows})


@login_not_required
@access.creator_required
def collaboration(request: HttpRequest, creator, pk: int) -> HttpResponse:
    item = access.get_for_creator(
        Collaboration, creator, pk, queryset=Collaboration.objects.select_related("campaign", "campaign__brand")
    )
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            said = answers.collaboration_answer(
                collaboration=item,
                answer=form.cleaned_data["answer"],
                fee=form.cleaned_data["fee"],
                message=form.cleaned_data["message"],
                rights=form.cleaned_data["rights"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # shown with the form, or above the page when nothing is left to answer
        else:
            messages.success(request, said)
            return redirect("portal:collaboration", pk=item.pk)
    context = {
        "creator": creator,
        "collaboration": item,
        "campaign": item.campaign,
        "deliverables": _deliverables(item),
        "form": form if answers.can_answer(item) else None,
        "problems": form.non_field_errors(),
    }
    return render(request, "portal/collaboration.html", context, status=400 if form.errors else 200)


def _deliverables(collaboration) -> list:
    """Each deliverable with its versions and what the creator can do next (a new version, the live post)."""
    rows = list(collaboration.deliverables.prefetch_related("drafts").select_related("collaboration"))
    for d in rows:
        d.versions = list(d.drafts.all())
        d.draft_form = DraftForm(auto_id=f"d{d.pk}_%s") if drafts.can_submit(d) else None
        d.live_form = LiveForm(auto_id=f"l{d.pk}_%s") if drafts.can_go_live(d) else None
    return rows


@login_not_required
@require_POST
@access.creator_required
def draft_submit(request: HttpRequest, creator, pk: int) -> HttpResponse:
    deliverable = access.get_for_creator(Deliverable, creator, pk)
    if uploads.too_large(request, settings.DRAFT_MAX_BYTES):
        messages.error(request, f"The file is larger than {settings.DRAFT_MAX_BYTES // (1024 * 1024)} MB.")
        return redirect("portal:collaboration", pk=deliverable.collaboration_id)
    form = DraftForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft = drafts.draft_submit(
                deliverable=deliverable,
                caption=form.cleaned_data["caption"],
                link=form.cleaned_data["link"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {draft.version} sent to the brand for review.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("portal:collaboration", pk=deliverable.collaboration_id)


@login_not_required
@require_POST
@access.creator_required
def go_live(request: HttpRequest, creator, pk: int) -> HttpResponse:
    deliverable = access.get_for_creator(Deliverable, creator, pk)
    form = LiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the live post's full URL (https://…).")
    else:
        try:
            linked = drafts.deliverable_go_live(deliverable=deliverable, url=form.cleaned_data["url"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Published: the post is linked and its results count for the campaign."
                if linked
                else "Thank you: the post is linked as soon as your account's next sync brings it in.",
            )
    return redirect("portal:collaboration", pk=deliverable.collaboration_id)


@login_not_required
@access.creator_required
def draft_file(request: HttpRequest, creator, pk: int):
    draft = access.get_for_creator(Draft, creator, pk)
    return private_file(draft.file, draft.content_type)


@login_not_required
@access.creator_required
def profile(request: HttpRequest, creator) -> HttpResponse:
    initial = {"rate": creator.rate, "city": creator.city}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profiles.profile_update(creator=creator, rate=form.cleaned_data["rate"], city=form.cleaned_data["city"])
        messages.success(request, "Your profile is saved; the brands you work with see it.")
        return redirect("portal:profile")
    context = {
        "creator": creator,
        "form": form,
        "account_form": AccountForm(),
        "accounts": creator.accounts.order_by("platform", "handle"),
        "currency": settings.CURRENCY,
    }
    return render(request, "portal/profile.html", context, status=400 if form.errors else 200)


@login_not_required
@require_POST
@access.creator_required
def account_add(request: HttpRequest, creator) -> HttpResponse:
    form = AccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the account's profile URL, or its @handle and platform.")
        return redirect("portal:profile")
    try:
        account = profiles.account_add(
            creator=creator, url=form.cleaned_data["url"], platform=form.cleaned_data["platform"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"@{account.handle} added: its followers and engagement count once the platform's sync has read them.",
        )
    return redirect("portal:profile")
