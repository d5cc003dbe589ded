"""Sync state per account, the runs of the sync and the quota spent per day."""

from django.db import models

from creators.models import SocialAccount

from .errors import Reason


class AccountSync(models.Model):
    """Where an account stands with its platform: its ids there, the last sync, the last error, the next attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Not synced yet"
        SYNCED = "synced", "Synced"
        FAILED = "failed", "Failed"
        DEFERRED = "deferred", "Deferred"

    account = models.OneToOneField(SocialAccount, primary_key=True, on_delete=models.CASCADE, related_name="sync")
    platform_id = models.CharField("id on the platform", max_length=100, blank=True)
    uploads_playlist = models.CharField(max_length=100, blank=True, help_text="YouTube: the channel's uploads.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failures = models.PositiveSmallIntegerField(default=0, help_text="failed attempts in a row")
    error_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    avatar_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "account sync state"

    def __str__(self) -> str:
        return f"{self.account}: {self.get_status_display()}"

    @property
    def error(self) -> str:
        if not self.error_reason:
            return ""
        label = Reason(self.error_reason).label
        return label if self.error_message in ("", label) else f"{label}: {self.error_message}"


class SyncRun(models.Model):
    """One sync of a platform's accounts (a command, a beat slice or an add-by-URL): what came of it."""

    platform = models.CharField(max_length=20)
    trigger = models.CharField(max_length=20, default="command")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accounts = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    deferred = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "sync run"

    def __str__(self) -> str:
        return f"{self.platform} sync {self.pk}"


class QuotaDay(models.Model):
    """Quota units a platform's API counted against the deployment on one day (the platform's day)."""

    platform = models.CharField(max_length=20)
    day = models.DateField()
    units = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "platform"]
        constraints = [models.UniqueConstraint("platform", "day", name="quota_one_row_per_day")]

    def __str__(self) -> str:
        return f"{self.platform} {self.day}: {self.units}"
