"""Notifications: what needs a brand member, gathered once a day (and idempotent: a notice is made once per user and
subject), shown in the app and, for those who opt in, sent as one daily e-mail digest."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Brand, Deliverable, Membership, Partnership, RelationshipEntry
from config.mail import send_after_commit
from config.words import counted

from .models import Notification, NotificationSettings, SavedSearch

log = logging.getLogger(__name__)


def unread_key(user_id: int) -> str:
    return f"workspace:unread:{user_id}"


def unread_count(user) -> int:
    """Kept in the cache until notifications change; read there on every page (counted again when the cache is
    down: pages survive it)."""

    def count() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    try:
        return cache.get_or_set(unread_key(user.pk), count, 24 * 3600)
    except Exception:
        log.warning("unread notifications counted without the cache: it is unavailable")
        return count()


def _forget_counts(user_ids) -> None:
    try:
        cache.delete_many([unread_key(pk) for pk in set(user_ids)])
    except Exception:  # the cache is down; a count it kept expires within a day
        log.warning("unread counts not cleared: the cache is unavailable")


def _brand_notices(brand: Brand, today: date) -> list[dict]:
    notices = []
    partnerships = Partnership.objects.filter(
        brand=brand, health__in=[Partnership.Health.RENEWAL_DUE, Partnership.Health.BEHIND]
    ).select_related("creator")
    for p in partnerships:
        if p.health == Partnership.Health.RENEWAL_DUE:
            renewal = p.renewal_date or p.end_date
            when = f" on {renewal:%-d %b %Y}" if renewal else ""
            notices.append(
                {
                    "kind": Notification.Kind.RENEWAL,
                    "key": f"renewal:{p.pk}:{renewal}",
                    "text": f"The partnership with {p.creator.name} is due for renewal{when}.",
                    "url": p.get_absolute_url(),
                }
            )
        else:
            notices.append(
                {
                    "kind": Notification.Kind.BEHIND,
                    "key": f"behind:{p.pk}:{today:%Y-%m}",
                    "text": f"The partnership with {p.creator.name} is behind its cadence: {p.health_reason}",
                    "url": p.get_absolute_url(),
                }
            )
    overdue = (
        Deliverable.objects.filter(collaboration__campaign__brand=brand, due_date__lt=today)
        .exclude(status=Deliverable.Status.PUBLISHED)
        .exclude(collaboration__campaign__status__in=["completed", "archived"])
        .select_related("collaboration__creator", "collaboration__campaign")
    )
    for d in overdue:
        c = d.collaboration
        notices.append(
            {
                "kind": Notification.Kind.OVERDUE,
                "key": f"overdue:{d.pk}:{d.due_date}",
                "text": f"{c.creator.name}'s {d.get_kind_display().lower()} for {c.campaign.name} was due "
                f"{d.due_date:%-d %b %Y}.",
                "url": reverse("campaigns:collaboration_detail", args=[c.pk]),
            }
        )
    notices += _creator_answers(brand)
    return notices


ANSWERS_SINCE_DAYS = 2


def _creator_answers(brand: Brand) -> list[dict]:
    """What creators said lately: their answers and drafts in the portal, their replies to outreach."""
    since = timezone.now() - timedelta(days=ANSWERS_SINCE_DAYS)
    entries = (
        RelationshipEntry.objects.filter(brand=brand, created_at__gte=since)
        .filter(
            Q(kind=RelationshipEntry.Kind.PORTAL) | Q(kind=RelationshipEntry.Kind.EMAIL, summary__startswith="Reply:")
        )
        .select_related("creator")
    )
    return [
        {
            "kind": Notification.Kind.ANSWER,
            "key": f"answer:{entry.pk}",
            "text": f"{entry.creator.name}: {entry.summary[:250]}",
            "url": reverse("creators:creator_detail", args=[entry.creator_id]),
        }
        for entry in entries
    ]


def _search_notices(searches: QuerySet) -> dict[int, list[dict]]:
    by_user: dict[int, list[dict]] = {}
    for s in searches.filter(new_matches__gt=0):
        by_user.setdefault(s.user_id, []).append(
            {
                "kind": Notification.Kind.MATCHES,
                "key": f"matches:{s.pk}:{s.matches}:{s.new_matches}:{s.visited_at:%Y%m%d%H%M%S}",
                "text": f"{counted(s.new_matches, 'new creator')} match{'es' if s.new_matches == 1 else ''} "
                f"your saved search “{s.name}”.",
                "url": reverse("workspace:search_open", args=[s.pk]),
                "brand_id": s.brand_id,
            }
        )
    return by_user


def notifications_refresh(*, today: date | None = None) -> int:
    """Make the day's notifications (each once); return how many are new."""
    today = today or timezone.localdate()
    made: list[Notification] = []
    searches = _search_notices(SavedSearch.objects.all())
    for brand in Brand.objects.all():
        notices = _brand_notices(brand, today)
        for user_id in Membership.objects.filter(brand=brand).values_list("user_id", flat=True):
            mine = notices + [
                {k: v for k, v in n.items() if k != "brand_id"}
                for n in searches.get(user_id, [])
                if n["brand_id"] == brand.pk
            ]
            made += [Notification(user_id=user_id, brand=brand, **n) for n in mine]
    before = Notification.objects.count()
    Notification.objects.bulk_create(made, ignore_conflicts=True)
    _forget_counts(n.user_id for n in made)
    return Notification.objects.count() - before


def notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _forget_counts([notification.user_id])


def notifications_read_all(*, user) -> int:
    done = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    _forget_counts([user.pk])
    return done


def digests_send(*, site: str = "") -> int:
    """One e-mail per opted-in user with unread notifications not yet e-mailed; each notice is e-mailed once."""
    sent = 0
    for choice in NotificationSettings.objects.filter(email_digest=True).select_related("user"):
        user = choice.user
        pending = list(
            Notification.objects.filter(user=user, read_at__isnull=True, emailed_at__isnull=True).select_related(
                "brand"
            )
        )
        if not pending or not user.email:
            continue
        context = {"user": user, "notifications": pending, "site": (site or settings.SITE_URL).rstrip("/")}
        send_after_commit(
            subject=f"Microreach: {counted(len(pending), 'thing')} need{'s' if len(pending) == 1 else ''} you",
            body=render_to_string("emails/digest_body.txt", context),
            to=[user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
        sent += 1
    return sent
