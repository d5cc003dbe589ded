"""The brand page (targets and team) and the invitation link. Managers change; members read (403 on a change)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.ratelimit import limited

from . import access, team
from .forms import BrandTargetsForm, InvitationForm, JoinForm, RoleForm
from .models import Invitation, Membership
from .views import brand_required

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _page(request: HttpRequest, brand, **forms) -> HttpResponse:
    manager = team.is_manager(request.user, brand)
    context = {
        "brand": brand,
        "manager": manager,
        "targets": forms.get("targets") or BrandTargetsForm(instance=brand),
        "invite": forms.get("invite") or InvitationForm(),
        "members": brand.memberships.select_related("user").order_by("role", "user__username"),
        "invitations": brand.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
            "invited_by"
        ),
        "roles": Membership.Role.choices,
        "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "campaigns/brand_settings.html", context, status=400 if forms else 200)


@brand_required
def brand_settings(request: HttpRequest, brand) -> HttpResponse:
    if request.method != "POST":
        return _page(request, brand)
    team.require_manager(request.user, brand)
    form = BrandTargetsForm(request.POST, instance=brand)
    if not form.is_valid():
        return _page(request, brand, targets=form)
    form.save()
    messages.success(request, "Brand targets saved; the dashboard's candidates follow at the next recalculation.")
    return redirect("campaigns:brand_settings")


@require_POST
@brand_required
def invite(request: HttpRequest, brand) -> HttpResponse:
    team.require_manager(request.user, brand)
    if refused := limited(request, "invite"):
        return refused
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, brand, invite=form)
    try:
        sent = team.invitation_send(
            brand=brand,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            link_for=lambda token: request.build_absolute_uri(reverse("campaigns:invitation_accept", args=[token])),
        )
    except ValidationError as error:
        form.add_error("email", error)
        return _page(request, brand, invite=form)
    email = sent.invitation.email
    messages.success(request, f"Invitation sent again to {email}." if sent.again else f"Invitation sent to {email}.")
    return redirect("campaigns:brand_settings")


@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_for_user(Membership, request.user, pk, queryset=Membership.objects.select_related("brand"))
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose manager or member.")
        team.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.get_username()} is now {membership.get_role_display().lower()}.")
    return redirect("campaigns:brand_settings")


@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_for_user(Membership, request.user, pk, queryset=Membership.objects.select_related("brand"))
    leaving = membership.user_id == request.user.pk
    try:
        team.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaigns:brand_settings")
    if leaving:
        messages.success(request, f"You left {membership.brand.name}.")
        return redirect("campaigns:dashboard")
    messages.success(request, f"{membership.user.get_username()} no longer has access to {membership.brand.name}.")
    return redirect("campaigns:brand_settings")


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.get_for_user(Invitation, request.user, pk, queryset=Invitation.objects.select_related("brand"))
    team.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn; its link no longer works.")
    return redirect("campaigns:brand_settings")


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Signed in: join with this account. Signed out: create an account (or log in and come back)."""
    try:
        invitation = team.invitation_from_token(token)
    except team.InvitationInvalid as error:
        return render(request, "campaigns/invitation.html", {"problem": str(error)}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(request.POST or None)
    if request.method == "POST":
        if refused := limited(request, "invitation"):
            return refused
        return _join(request, invitation, form)
    return render(request, "campaigns/invitation.html", {"invitation": invitation, "form": form})


@transaction.atomic
def _join(request: HttpRequest, invitation: Invitation, form: JoinForm | None) -> HttpResponse:
    if form is not None:
        if not form.is_valid():
            return render(request, "campaigns/invitation.html", {"invitation": invitation, "form": form}, status=400)
        user = form.save(commit=False)
        user.email = invitation.email
        user.save()
        login(request, user, backend=AUTH_BACKEND)
    try:
        team.invitation_accept(invitation=invitation, user=request.user)
    except team.InvitationInvalid as error:
        transaction.set_rollback(True)
        return render(request, "campaigns/invitation.html", {"problem": str(error)}, status=410)
    access.choose_brand(request, invitation.brand_id)
    messages.success(request, f"Welcome to {invitation.brand.name}.")
    return redirect("campaigns:dashboard")
