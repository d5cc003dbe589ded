"""Sign-in by e-mailed link (CONTRACT section 9): a creator gives the address Microreach knows them by and gets a
link that signs them in once, within ``PORTAL_LINK_MINUTES``. The answer never tells whether the address is known.
Outreach messages carry a link of their own (``outreach_link``): also single use, but alive for
``PORTAL_OUTREACH_LINK_DAYS``, since an invitation is read days after it is sent, and leading to the collaboration the
message is about."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template import loader
from django.utils import timezone

from config.mail import send_after_commit
from creators.models import Creator

from .models import SignInLink

SALT = "portal.sign-in"


class LinkRefused(Exception):
    """The link is not ours, has expired, was used, or is for another creator than the session's. ``email`` is the
    address the link was sent to, when it was ours: the page offers a new link to it in one click."""

    def __init__(self, message: str, email: str = "") -> None:
        super().__init__(message)
        self.email = email


def link_send(*, email: str, link_for) -> bool:
    """E-mail a sign-in link when ``email`` is an active creator's; return whether one was sent (for logs only)."""
    creator = (
        Creator.objects.filter(email__iexact=email.strip(), status=Creator.Status.ACTIVE).exclude(email="").first()
    )
    if creator is None:
        return False
    with transaction.atomic():
        token = _token(creator, timedelta(minutes=settings.PORTAL_LINK_MINUTES))
        context = {"creator": creator, "link": link_for(token), "minutes": settings.PORTAL_LINK_MINUTES}
        send_after_commit(
            subject="Your sign-in link to Microreach",
            body=loader.render_to_string("emails/portal_link_body.txt", context),
            to=[creator.email],
        )
    return True


def _token(creator: Creator, lifetime: timedelta, collaboration_id: int | None = None) -> str:
    link = SignInLink.objects.create(
        creator=creator, expires_at=timezone.now() + lifetime, collaboration_id=collaboration_id
    )
    return signing.dumps({"l": link.pk, "c": creator.pk}, salt=SALT, compress=True)


def outreach_link(*, creator: Creator, collaboration_id: int, link_for) -> str:
    """A fresh single-use sign-in link for one outreach message, leading to its collaboration."""
    lifetime = timedelta(days=settings.PORTAL_OUTREACH_LINK_DAYS)
    return link_for(_token(creator, lifetime, collaboration_id))


def _longest() -> int:
    return max(settings.PORTAL_LINK_MINUTES * 60, settings.PORTAL_OUTREACH_LINK_DAYS * 86400)


def link_creator(token: str) -> Creator:
    """The creator a link is for, if it can still be used (nothing is used up by looking)."""
    return _link(token)[1]


def _link(token: str) -> tuple[SignInLink, Creator]:
    expired = LinkRefused("This sign-in link has expired. Ask for a new one below.")
    try:
        data = signing.loads(token, salt=SALT, max_age=_longest())
    except signing.SignatureExpired:
        raise expired from None
    except signing.BadSignature:
        raise LinkRefused("This sign-in link is not valid. Ask for a new one below.") from None
    link = SignInLink.objects.select_related("creator").filter(pk=data.get("l"), creator_id=data.get("c")).first()
    if link is None or link.creator.status != Creator.Status.ACTIVE:
        raise LinkRefused("This sign-in link is not valid. Ask for a new one below.")
    expires = link.expires_at or link.created_at + timedelta(minutes=settings.PORTAL_LINK_MINUTES)
    if expires <= timezone.now():
        expired.email = link.creator.email
        raise expired
    if link.used_at is not None:
        raise LinkRefused("This sign-in link has been used already. Ask for a new one below.", link.creator.email)
    return link, link.creator


@transaction.atomic
def link_use(*, token: str, session_creator_id: int | None) -> tuple[Creator, int | None]:
    """Use the link up; return its creator and the collaboration it leads to (None: the portal's home). A session
    signed in as another creator must sign out first."""
    link, creator = _link(token)
    if session_creator_id and session_creator_id != creator.pk:
        raise LinkRefused("You are signed in as another creator here: sign out first, then open the link again.")
    used = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not used:  # another request used it a moment ago
        raise LinkRefused("This sign-in link has been used already. Ask for a new one below.", creator.email)
    return creator, link.collaboration_id
