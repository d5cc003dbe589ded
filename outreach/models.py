"""Outreach: a brand's message templates, sequences (a first message and up to three follow-ups), the creators
enrolled in one, every message sent, and the addresses that opted out of all outreach."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from campaigns.models import Brand, Collaboration


class Template(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="outreach_templates")
    name = models.CharField(max_length=100)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Variables: {{ creator_name }}, {{ brand }}, {{ campaign }}, {{ brief }}, {{ fee }}, "
        "{{ portal_link }}."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint("brand", Lower("name"), name="outreach_template_name_unique")]

    def __str__(self) -> str:
        return self.name


class Sequence(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="outreach_sequences")
    name = models.CharField(max_length=100)
    first = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+", verbose_name="first message")
    follow_up_1 = models.ForeignKey(Template, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    days_1 = models.PositiveSmallIntegerField("days after the first", default=3)
    follow_up_2 = models.ForeignKey(Template, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    days_2 = models.PositiveSmallIntegerField("days after follow-up 1", default=4)
    follow_up_3 = models.ForeignKey(Template, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    days_3 = models.PositiveSmallIntegerField("days after follow-up 2", default=7)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint("brand", Lower("name"), name="outreach_sequence_name_unique")]

    def __str__(self) -> str:
        return self.name

    def steps(self) -> list[tuple[Template, int]]:
        """(template, days after the previous message) for each message, the first at day 0."""
        steps = [(self.first, 0)]
        for template, days in ((self.follow_up_1, self.days_1), (self.follow_up_2, self.days_2)):
            if template is None:
                return steps
            steps.append((template, days))
        if self.follow_up_3 is not None:
            steps.append((self.follow_up_3, self.days_3))
        return steps


def _token() -> str:
    return secrets.token_urlsafe(18)


class Enrollment(models.Model):
    """A creator's collaboration in a sequence; ``token`` is in its reply address."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="enrollments")
    sequence = models.ForeignKey(Sequence, on_delete=models.PROTECT, related_name="enrollments")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    step_sent = models.SmallIntegerField(default=-1)
    next_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=40, unique=True, default=_token)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "collaboration", condition=Q(stopped_at__isnull=True), name="outreach_one_running_sequence"
            )
        ]
        indexes = [models.Index(fields=["next_at"], condition=Q(stopped_at__isnull=True), name="outreach_due")]

    def __str__(self) -> str:
        return f"{self.collaboration} in {self.sequence}"


class Message(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent (will retry)"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="messages")
    step = models.PositiveSmallIntegerField()
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        # Never twice by mistake: one message per enrollment and step.
        constraints = [models.UniqueConstraint("enrollment", "step", name="outreach_message_once")]

    def __str__(self) -> str:
        return self.subject


class OptOut(models.Model):
    """An address that gets no further outreach from any brand."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email
