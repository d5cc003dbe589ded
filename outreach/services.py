"""Outreach that follows up by itself. A marketer enrolls creators of a campaign in a sequence. ``send_due`` (a
Celery task, every ten minutes and right after an enrollment) sends each message when it is due: the first at once,
each follow-up N days after the previous one. It stops when the creator replies (``inbound``), opts out, or the
collaboration moves on (accepted or declined in the portal, or moved on the board). Each message is sent once per
enrollment and step, carries a reply address with the enrollment's token and an unsubscribe link, and is recorded and
shown in the brand's relationship log."""

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import Context, Engine, loader
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Collaboration, Membership, RelationshipEntry, Stage
from config.mail import send_after_commit
from config.queue import enqueue
from portal import signin

from .models import Enrollment, Message, OptOut, Sequence, Template

log = logging.getLogger(__name__)
ENGINE = Engine(autoescape=False)  # plain-text e-mail; the variables are plain strings, never objects
OPEN_STAGES = (Stage.SHORTLISTED, Stage.CONTACTED)  # past these the collaboration has moved on
RETRY_AFTER = timedelta(minutes=15)
UNSUBSCRIBE_SALT = "outreach.unsubscribe"
REPLY_TOKEN = re.compile(r"reply\+([A-Za-z0-9_-]{10,40})@", re.IGNORECASE)


def template_check(text: str) -> None:
    """Raise TemplateSyntaxError for a subject or body that would not render."""
    ENGINE.from_string(text)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def variables(collaboration: Collaboration, portal_link: str = "") -> dict[str, str]:
    """A message's variables. ``portal_link`` is the creator's own single-use sign-in link, made when the message is
    sent; a preview shows the portal's sign-in page in its place."""
    campaign = collaboration.campaign
    fee = f"{collaboration.fee:,.2f} {campaign.currency}" if collaboration.fee is not None else ""
    return {
        "creator_name": collaboration.creator.name,
        "brand": campaign.brand.name,
        "campaign": campaign.name,
        "brief": campaign.objective,
        "fee": fee,
        "portal_link": portal_link or site_url(reverse("portal:sign_in")),
    }


def portal_link(collaboration: Collaboration) -> str:
    return signin.outreach_link(
        creator=collaboration.creator,
        collaboration_id=collaboration.pk,
        link_for=lambda token: site_url(reverse("portal:link", args=[token])),
    )


def preview_link(collaboration: Collaboration) -> str:
    """What a preview shows for ``{{ portal_link }}``: the real link is made when the message is sent."""
    days = settings.PORTAL_OUTREACH_LINK_DAYS
    return f"[{collaboration.creator.name}'s own sign-in link: it works once, within {days} days]"


def render(template: Template, collaboration: Collaboration, portal_link: str = "") -> tuple[str, str]:
    context = Context(variables(collaboration, portal_link))
    subject = " ".join(ENGINE.from_string(template.subject).render(context).split())
    return subject, ENGINE.from_string(template.body).render(context)


def reply_address(enrollment: Enrollment) -> str:
    return f"reply+{enrollment.token}@{settings.OUTREACH_REPLY_DOMAIN}"


def unsubscribe_url(email: str) -> str:
    token = signing.dumps(email.lower(), salt=UNSUBSCRIBE_SALT)
    return site_url(reverse("outreach:unsubscribe", args=[token]))


def opted_out(email: str) -> bool:
    return OptOut.objects.filter(email=email.lower()).exists()


@dataclass
class Enrolled:
    started: list[Enrollment] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason → creator names

    def skip(self, reason: str, name: str) -> None:
        self.skipped.setdefault(reason, []).append(name)


@transaction.atomic
def enroll(*, collaborations, sequence: Sequence, user) -> Enrolled:
    """Start the sequence for each collaboration that can take it; say why the others were left out."""
    done = Enrolled()
    now = timezone.now()
    for c in collaborations:
        name = c.creator.name
        if not c.creator.email:
            done.skip("no e-mail address", name)
        elif opted_out(c.creator.email):
            done.skip("opted out of all outreach", name)
        elif c.stage not in OPEN_STAGES:
            done.skip("past the contacted stage", name)
        elif Enrollment.objects.filter(collaboration=c, stopped_at__isnull=True).exists():
            done.skip("already in a sequence", name)
        else:
            done.started.append(
                Enrollment.objects.create(collaboration=c, sequence=sequence, started_by=user, next_at=now)
            )
            if c.stage == Stage.SHORTLISTED:
                campaign_services.collaboration_move(collaboration=c, stage=Stage.CONTACTED, user=user)
    if done.started:
        transaction.on_commit(_send_soon)
    return done


def _send_soon() -> None:
    try:
        enqueue("outreach.tasks.send_due")
    except Exception:  # no broker now: the scheduled run sends them within ten minutes
        log.warning("outreach: could not queue the first messages; the schedule sends them")


def _stop_running(enrollments, reason: str) -> int:
    """Stop the running ones of ``enrollments`` (a queryset) in one statement; return how many."""
    return enrollments.filter(stopped_at__isnull=True).update(
        stopped_at=timezone.now(), stop_reason=reason, next_at=None
    )


def stop(enrollment: Enrollment, reason: str) -> None:
    if enrollment.stopped_at is None:
        _stop_running(Enrollment.objects.filter(pk=enrollment.pk), reason)
        enrollment.stopped_at, enrollment.stop_reason = timezone.now(), reason


def _moved_on(stage: str) -> str:
    return f"the collaboration moved on ({Stage(stage).label.lower()})"


def collaboration_moved(*, collaboration: Collaboration, stage: str, by_creator: bool, **_) -> None:
    """A moved collaboration past the contacted stage stops its running sequence now (its list says so at once)."""
    if stage in OPEN_STAGES:
        return
    if by_creator:
        reason = {
            Stage.CONTRACTED: "the creator accepted in the portal",
            Stage.DECLINED: "the creator declined in the portal",
            Stage.NEGOTIATING: "the creator proposed another fee in the portal",
        }.get(stage, "the creator answered in the portal")
    else:
        reason = _moved_on(stage)
    _stop_running(Enrollment.objects.filter(collaboration=collaboration), reason)


def _why_stop(enrollment: Enrollment) -> str:
    collaboration = enrollment.collaboration
    if collaboration.stage not in OPEN_STAGES:
        return _moved_on(collaboration.stage)
    if opted_out(collaboration.creator.email):
        return "the creator opted out"
    return ""


def send_due(*, now=None) -> int:
    """Send every message that is due; return how many were sent. Safe to run twice at once."""
    now = now or timezone.now()
    due = Enrollment.objects.filter(stopped_at__isnull=True, next_at__lte=now).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            enrollment = (
                Enrollment.objects.select_for_update(skip_locked=True)
                .select_related("sequence", "collaboration__creator", "collaboration__campaign__brand")
                .filter(pk=pk, stopped_at__isnull=True, next_at__lte=now)
                .first()
            )
            if enrollment is not None:
                sent += _send_next(enrollment, now)
    return sent


def _send_next(enrollment: Enrollment, now) -> int:
    if reason := _why_stop(enrollment):
        stop(enrollment, reason)
        return 0
    steps = enrollment.sequence.steps()
    step = enrollment.step_sent + 1
    if step >= len(steps):
        stop(enrollment, "sequence finished")
        return 0
    collaboration = enrollment.collaboration
    subject, body = render(steps[step][0], collaboration, portal_link(collaboration))
    to = collaboration.creator.email
    body = f"{body.rstrip()}\n\n--\nNo more e-mails like this: {unsubscribe_url(to)}\n"
    message, created = Message.objects.get_or_create(
        enrollment=enrollment, step=step, defaults={"to": to, "subject": subject, "body": body, "status": "failed"}
    )
    if not created and message.status == Message.Status.SENT:  # sent before a crash: move on, never twice
        return _advance(enrollment, step, steps, now)
    email = EmailMessage(
        subject,
        body,
        to=[to],
        reply_to=[reply_address(enrollment)],
        headers={"List-Unsubscribe": f"<{unsubscribe_url(to)}>"},
    )
    try:
        email.send()
    except OSError as error:  # the SMTP server is unreachable or refused: try again later, nothing lost
        Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error=str(error)[:300])
        Enrollment.objects.filter(pk=enrollment.pk).update(next_at=now + RETRY_AFTER)
        log.warning("outreach message %s not sent: %s", message.pk, error)
        return 0
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now(), error="")
    _log(
        collaboration,
        RelationshipEntry.Kind.EMAIL,
        f"Sent “{subject}”, {'the first message' if step == 0 else f'follow-up {step}'}",
    )
    return _advance(enrollment, step, steps, now) or 1


def _advance(enrollment: Enrollment, step: int, steps, now) -> int:
    if step + 1 < len(steps):
        next_at = now + timedelta(days=steps[step + 1][1])
        Enrollment.objects.filter(pk=enrollment.pk).update(step_sent=step, next_at=next_at)
    else:
        Enrollment.objects.filter(pk=enrollment.pk).update(step_sent=step)
        stop(enrollment, "sequence finished")
    return 0


def _log(collaboration: Collaboration, kind: str, summary: str) -> None:
    campaign_services.collaboration_log(collaboration=collaboration, kind=kind, summary=summary)


class UnknownReply(Exception):
    """An inbound message that is not a reply to any of our outreach threads."""


@transaction.atomic
def inbound(raw: bytes) -> Enrollment:
    """Take in a reply (the raw RFC 5322 message an inbound route forwards): log it and stop the sequence."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
        addresses = " ".join(str(message.get(h, "")) for h in ("To", "Cc", "Delivered-To", "X-Original-To"))
    except Exception:
        raise UnknownReply("not an e-mail message") from None
    tokens = REPLY_TOKEN.findall(addresses)
    enrollment = (
        Enrollment.objects.select_related("collaboration__campaign", "collaboration__creator")
        .filter(token__in=tokens)
        .first()
    )
    if enrollment is None:
        raise UnknownReply("no outreach thread has this reply address")
    try:
        text = message.get_body(preferencelist=("plain", "html"))
        content = text.get_content() if text is not None else ""
    except Exception:
        content = ""
    summary = " ".join(content.split())[:800]
    subject = " ".join(str(message.get("Subject", "")).split())[:200]
    _log(enrollment.collaboration, RelationshipEntry.Kind.EMAIL, f"Reply: “{subject}” {summary}".strip())
    stop(enrollment, "the creator replied")
    _tell_sender(enrollment, subject, content)
    return enrollment


def _tell_sender(enrollment: Enrollment, subject: str, content: str) -> None:
    """E-mail the reply to the marketer who started the sequence, while they are still in the brand."""
    user, collaboration = enrollment.started_by, enrollment.collaboration
    if user is None or not user.email or not user.is_active:
        return
    if not Membership.objects.filter(brand_id=collaboration.campaign.brand_id, user=user).exists():
        return
    context = {
        "creator": collaboration.creator,
        "campaign": collaboration.campaign,
        "subject": subject,
        "content": content.strip()[:5000],
        "url": site_url(collaboration.get_absolute_url()),
    }
    send_after_commit(
        subject=f"{collaboration.creator.name} replied: {subject}"[:200],
        body=loader.render_to_string("emails/outreach_reply_body.txt", context),
        to=[user.email],
    )


@transaction.atomic
def unsubscribe(*, token: str) -> str:
    """Opt the address out of every brand's outreach; return it. Raise BadSignature for a forged link."""
    email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    try:
        with transaction.atomic():
            OptOut.objects.get_or_create(email=email.lower())
    except IntegrityError:
        pass
    _stop_running(Enrollment.objects.filter(collaboration__creator__email__iexact=email), "the creator opted out")
    return email
