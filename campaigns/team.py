"""A brand's team, run by its managers: invitations by e-mail (a signed, expiring, single-use link), roles, removal.

The rules: only managers invite, change roles, remove members and edit the brand's targets; a brand always keeps at
least one manager; an address has at most one open invitation per brand (inviting it again sends the same one anew).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import loader
from django.utils import timezone

from config.mail import send_after_commit

from .models import Brand, Invitation, Membership

SALT = "campaigns.invitation"


def is_manager(user, brand: Brand) -> bool:
    return Membership.objects.filter(user=user, brand=brand, role=Membership.Role.MANAGER).exists()


def require_manager(user, brand: Brand) -> None:
    if not is_manager(user, brand):
        raise PermissionDenied("Only the brand's managers can do this.")


# --- The link -----------------------------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=SALT, compress=True)


class InvitationInvalid(Exception):
    """The link is not one of ours, has expired, was used, or was withdrawn; the message says which."""


def invitation_from_token(token: str) -> Invitation:
    max_age = settings.INVITATION_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid(
            f"This invitation has expired (links work for {settings.INVITATION_DAYS} days). "
            "Ask the brand's manager to invite you again."
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid("This invitation link is not valid. Check that you copied all of it.") from None
    invitation = (
        Invitation.objects.select_related("brand").filter(pk=data.get("i"), email__iexact=data.get("e", "")).first()
    )
    if invitation is None:
        raise InvitationInvalid("This invitation link is not valid. Check that you copied all of it.")
    if invitation.revoked_at:
        raise InvitationInvalid("This invitation was withdrawn by the brand's manager.")
    if invitation.accepted_at:
        raise InvitationInvalid("This invitation has already been used. Log in to work in the brand.")
    # A re-sent invitation is a new link; an older link of the same invitation still works until it expires.
    return invitation


# --- Services -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    again: bool  # the address already had an open invitation, which was sent again


@transaction.atomic
def invitation_send(*, brand: Brand, email: str, role: str, invited_by, link_for) -> InvitationSent:
    """Invite ``email`` (or send its open invitation again, with the role asked now). ``link_for(token)`` makes the
    absolute URL of the link. Refused for an address that is already a member."""
    require_manager(invited_by, brand)
    email = email.strip()
    if Membership.objects.filter(brand=brand, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {brand.name}.")
    invitation = (
        Invitation.objects.select_for_update()
        .filter(brand=brand, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    again = invitation is not None
    if invitation is None:
        invitation = Invitation(brand=brand, email=email)
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.sent_at = timezone.now()
    invitation.full_clean()
    invitation.save()
    context = {
        "brand": brand,
        "invitation": invitation,
        "inviter": invited_by,
        "link": link_for(invitation_token(invitation)),
        "days": settings.INVITATION_DAYS,
    }
    send_after_commit(
        subject="".join(loader.render_to_string("emails/invitation_subject.txt", context).splitlines()),
        body=loader.render_to_string("emails/invitation_body.txt", context),
        to=[invitation.email],
    )
    return InvitationSent(invitation=invitation, again=again)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the brand with the invitation's role; the invitation is used up. Already a member: the membership stays
    as it is (a manager is never demoted by an old invitation)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationInvalid("This invitation has already been used or was withdrawn.")
    membership, _ = Membership.objects.get_or_create(
        brand_id=invitation.brand_id, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    require_manager(by, invitation.brand)
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _other_managers(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(brand_id=membership.brand_id, role=Membership.Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by) -> None:
    require_manager(by, membership.brand)
    if role not in Membership.Role.values:
        raise ValidationError("Choose manager or member.")
    if (
        role != Membership.Role.MANAGER
        and membership.role == Membership.Role.MANAGER
        and not _other_managers(membership)
    ):
        raise ValidationError(f"{membership.brand.name} needs at least one manager: make someone else manager first.")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Remove a member from the brand, or leave it oneself (past work stays: entries and stage changes keep their
    author)."""
    if membership.user_id != by.pk:
        require_manager(by, membership.brand)
    if membership.role == Membership.Role.MANAGER and not _other_managers(membership):
        raise ValidationError(f"{membership.brand.name} needs at least one manager: make someone else manager first.")
    membership.delete()
