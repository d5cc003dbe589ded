"""A marketer's own workspace: saved directory searches (with the matches new since the last visit) and
notifications of what needs them (renewals, partnerships behind, overdue deliverables, new matches)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from campaigns.models import Brand


class SavedSearch(models.Model):
    """A named directory query. ``matches`` and ``new_matches`` are stored, refreshed by ``workspace.searches``
    when creators change (scheduled) and on a visit, never per page view."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True, help_text="The directory's query string, without the page.")
    created_at = models.DateTimeField(auto_now_add=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    # The creators matching at the last visit (ids), to tell the new ones apart; null when there were more than
    # ``searches.SEEN_LIMIT`` of them.
    seen = models.JSONField(default=list, blank=True, null=True)
    matches = models.PositiveIntegerField(default=0)
    new_matches = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint("user", "brand", Lower("name"), name="saved_search_name_unique")]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    class Kind(models.TextChoices):
        RENEWAL = "renewal", "Renewal due"
        BEHIND = "behind", "Behind cadence"
        OVERDUE = "overdue", "Overdue deliverable"
        MATCHES = "matches", "New matches"
        ANSWER = "answer", "A creator's answer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the notice is about, once per user: a second run of the daily task adds nothing.
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint("user", "key", name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class NotificationSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_digest = models.BooleanField(
        "e-mail me a daily digest", default=False, help_text="Once a day, the notifications not yet read, by e-mail."
    )

    def __str__(self) -> str:
        return f"notification settings of {self.user}"
