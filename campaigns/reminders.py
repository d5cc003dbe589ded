"""Renewal reminders by e-mail to a brand's members: at most once per partnership and renewal date."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.words import counted

from . import rollups
from .models import Partnership, PartnershipReminder

log = logging.getLogger(__name__)


def send_due_reminders(*, today: date | None = None) -> int:
    """Refresh partnership health, then remind about each renewal due within the window; return e-mails sent."""
    today = today or timezone.localdate()
    rollups.partnerships_recalculate(list(Partnership.objects.values_list("pk", flat=True)), today=today)
    due = (
        Partnership.objects.filter(health=Partnership.Health.RENEWAL_DUE)
        .select_related("brand", "creator")
        .prefetch_related("brand__members")
    )
    sent = 0
    for partnership in due:
        renewal = partnership.renewal_date or partnership.end_date
        if renewal is None or renewal > today + timedelta(days=rollups.RENEWAL_WINDOW_DAYS):
            continue
        recipients = [member.email for member in partnership.brand.members.all() if member.email]
        try:
            with transaction.atomic():
                # The unique row is the "sent" mark: a second run (or a retried task) cannot send it again.
                PartnershipReminder.objects.create(partnership=partnership, renewal_date=renewal)
                if recipients:
                    context = {"partnership": partnership, "renewal": renewal}
                    send_mail(
                        render_to_string("emails/renewal_subject.txt", context).strip(),
                        render_to_string("emails/renewal_body.txt", context),
                        settings.DEFAULT_FROM_EMAIL,
                        recipients,
                    )
                    sent += 1
        except IntegrityError:
            continue
    log.info("Sent %s", counted(sent, "renewal reminder"))
    return sent
