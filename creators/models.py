"""The curated creator base: niches, creators, their social accounts, posts and follower history.

Fields marked *computed* are written only by ``creators.metrics`` (CONTRACT section 3) and read by pages.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django_countries.fields import CountryField


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    X = "x", "X"
    TWITCH = "twitch", "Twitch"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    PINTEREST = "pinterest", "Pinterest"
    SNAPCHAT = "snapchat", "Snapchat"
    THREADS = "threads", "Threads"
    BLOG = "blog", "Blog"


class Tier(models.TextChoices):
    EMERGING = "emerging", "Emerging"
    MICRO = "micro", "Micro"
    MACRO = "macro", "Macro"
    MEGA = "mega", "Mega"


class Niche(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="niche_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Creator(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200)
    email = models.EmailField(
        max_length=254,
        blank=True,
        help_text="Identifies the creator; stored lower-case. Empty for a creator added from a profile URL.",
    )
    # A database default too, so that set-based inserts (the benchmark's data set) need not name it.
    avatar = models.ImageField(
        upload_to="avatars/", blank=True, default="", db_default="", editable=False, help_text="From the platform."
    )
    country = CountryField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    niches = models.ManyToManyField(Niche, related_name="creators", blank=True)
    rate = models.DecimalField(
        "rate per post",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Typical fee for one post, in the deployment's currency.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # computed
    # The two account pointers are computed from the creator's own accounts in the same statement, so they carry
    # no database constraint or index (each would cost every rewritten row; deleting an account still nulls them).
    primary_account = models.ForeignKey(
        "SocialAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
    )
    followers = models.BigIntegerField(null=True, blank=True, editable=False)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, editable=False)
    engagement_rate = models.FloatField("ER %", null=True, blank=True, editable=False)
    is_flagged = models.BooleanField("flagged", default=False, editable=False)
    cost_per_engagement = models.FloatField(null=True, blank=True, editable=False)
    qualifying_account = models.ForeignKey(
        "SocialAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        help_text="The micro-tier, high-engagement account that flags the creator.",
    )
    is_suspicious = models.BooleanField("suspicious", default=False, editable=False)
    suspicion = models.CharField(max_length=300, blank=True, editable=False)
    audience_suspicious = models.BooleanField(
        default=False, editable=False, help_text="A follower spike, mass following or a lopsided likes-per-comment."
    )
    accounts_count = models.PositiveIntegerField(default=0, editable=False)
    metrics_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="creator_email_unique_ci"),
            models.CheckConstraint(condition=Q(rate__isnull=True) | Q(rate__gte=0), name="creator_rate_gte_0"),
            models.CheckConstraint(condition=Q(status__in=["active", "archived"]), name="creator_status_valid"),
        ]
        # The directory's "descending, nulls last" orders have matching indexes on PostgreSQL
        # (migration 0005; SQLite cannot declare them).
        indexes = [
            models.Index(F("created_at").desc(), F("id").desc(), name="creator_added_desc"),
            models.Index(fields=["name", "id"], name="creator_name"),
            models.Index(fields=["country"], name="creator_country"),
            models.Index(fields=["is_flagged"], condition=Q(is_flagged=True), name="creator_flagged"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("creators:creator_detail", args=[self.pk])


class SocialAccount(models.Model):
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="Without a leading @; unique per platform, any case.")
    profile_url = models.URLField(max_length=500, blank=True)
    followers = models.BigIntegerField(default=0)
    following = models.BigIntegerField(null=True, blank=True)
    display_name = models.CharField(
        max_length=200, blank=True, default="", db_default="", help_text="The name the platform shows."
    )
    # A database default too, so that set-based inserts (the benchmark's data set) need not name it.
    avatar = models.ImageField(
        upload_to="avatars/", blank=True, default="", db_default="", editable=False, help_text="From the platform."
    )
    synced_at = models.DateTimeField(
        "data as of", null=True, blank=True, editable=False, help_text="When the platform's API last answered."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # computed
    engagement_rate = models.FloatField("ER %", null=True, blank=True, editable=False)
    is_high_engagement = models.BooleanField(default=False, editable=False)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, editable=False)
    er_posts = models.PositiveSmallIntegerField("posts in ER", default=0, editable=False)
    suspicion = models.CharField(max_length=300, blank=True, editable=False, help_text="Authenticity warnings.")
    audience_suspicious = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-followers", "id"]
        constraints = [
            models.UniqueConstraint("platform", Lower("handle"), name="account_handle_unique_ci"),
            models.CheckConstraint(condition=Q(followers__gte=0), name="account_followers_gte_0"),
            models.CheckConstraint(
                condition=Q(following__isnull=True) | Q(following__gte=0), name="account_following_gte_0"
            ),
            models.CheckConstraint(condition=~Q(handle=""), name="account_handle_not_empty"),
        ]
        # Only the creator (the foreign key's index) and the handle are indexed: a recalculation or an import that
        # changes followers or metrics then updates rows in place (HOT), without new entries in the handle index.

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"


class Post(models.Model):
    # Indexed by (account, -posted_at, -id) below, which also serves lookups by account.
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="posts", db_index=False)
    posted_at = models.DateTimeField()
    url = models.URLField(max_length=500, unique=True)
    # NULL: the platform hides the like count; such a post does not count toward the ER (CONTRACT sections 3 and 8).
    likes = models.BigIntegerField(default=0, null=True, blank=True)
    comments = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    saves = models.BigIntegerField(default=0)
    views = models.BigIntegerField(default=0)
    interactions = models.GeneratedField(
        expression=F("likes") + F("comments") + F("shares") + F("saves"),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likes__gte=0) & Q(comments__gte=0) & Q(shares__gte=0) & Q(saves__gte=0) & Q(views__gte=0),
                name="post_counts_gte_0",
            ),
        ]
        indexes = [models.Index(fields=["account", "-posted_at", "-id"], name="post_account_recent")]

    def __str__(self) -> str:
        return self.url


class CreatorSearch(models.Model):
    """A creator's searchable text, kept by PostgreSQL triggers (migration 0008) and searched by trigram indexes.

    It lives apart from ``creators_creator`` because a recalculation rewrites creator rows: with the trigram
    indexes there, every rewritten row would add dozens of index entries for a name that did not change.
    Other databases leave it empty and search the creator table directly.
    """

    creator = models.OneToOneField(
        Creator, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254)

    def __str__(self) -> str:
        return self.name


class FollowerSnapshot(models.Model):
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="snapshots")
    date = models.DateField()
    followers = models.BigIntegerField()
    engagement_rate = models.FloatField("ER %", null=True, blank=True)

    class Meta:
        ordering = ["account", "date"]
        constraints = [
            models.UniqueConstraint("account", "date", name="snapshot_one_per_day"),
            models.CheckConstraint(condition=Q(followers__gte=0), name="snapshot_followers_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.date}: {self.followers}"


class FollowerGrowth(models.Model):
    """The follower-spike figures of an account's window (``creators.metrics``), kept as snapshots are recorded so
    that a recalculation reads one row per account instead of every snapshot of the window.

    They cover the account's snapshots dated ``since`` or later; a recalculation whose window starts later than
    ``oldest`` (a snapshot left the window) or ends before ``latest`` computes the account from its snapshots instead.
    """

    account = models.OneToOneField(SocialAccount, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # The account's creator when the figures were computed, so that a chunk of creators reads only its rows (an
    # account moved to another creator is read from its snapshots until its next snapshot).
    creator_id = models.BigIntegerField(db_index=True)
    since = models.DateField(help_text="The first day of the window the figures cover.")
    oldest = models.DateField(null=True, help_text="The oldest snapshot on or after since.")
    latest = models.DateField(null=True, help_text="The latest snapshot on or after since.")
    latest_followers = models.BigIntegerField(null=True)
    steps = models.PositiveIntegerField(default=0, help_text="Day-over-day growth steps in the window.")
    total = models.FloatField(default=0.0, help_text="The sum of the steps' growth.")
    top = models.FloatField(null=True, help_text="The largest step's growth.")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.steps} steps since {self.since}"


class RecalcRun(models.Model):
    """One full recalculation: its progress while it runs, its outcome after."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    trigger = models.CharField(max_length=20, default="command")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    creators_total = models.PositiveIntegerField(default=0)
    creators_updated = models.PositiveIntegerField(default=0)
    creators_changed = models.PositiveIntegerField(default=0, help_text="creators whose stored metrics changed")
    lock_holder = models.CharField(max_length=64, blank=True, editable=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "recalculation run"

    def __str__(self) -> str:
        return f"Recalculation {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.chunks_total else int(100 * self.chunks_done / self.chunks_total)

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class RecalcChunk(models.Model):
    """One chunk of a full run: done once, whatever the task redeliveries; re-issued by the run if it stalls."""

    run = models.ForeignKey(RecalcRun, on_delete=models.CASCADE, related_name="chunks")
    low = models.BigIntegerField()
    high = models.BigIntegerField()
    issued_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "low"], name="recalc_chunk_once")]
        indexes = [models.Index(fields=["run", "done_at"], name="recalc_chunk_pending")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.low}–{self.high}{' done' if self.done_at else ''}"


class RecalcLock(models.Model):
    """The single lock row that keeps two full recalculations from running at once; it expires on a crash."""

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'free'}"


class RecalcRequest(models.Model):
    """A creator whose metrics wait for an incremental recalculation (coalesced: one row per creator)."""

    creator_id = models.BigIntegerField(primary_key=True)
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"creator {self.creator_id}"


class TierBenchmark(models.Model):
    """Per tier, active creators and their median estimated cost per engagement (refreshed by full runs)."""

    tier = models.CharField(max_length=10, choices=Tier.choices, unique=True)
    median_cpe = models.FloatField(null=True, blank=True)
    creators = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tier}: median CPE {self.median_cpe}"


def import_upload_path(job: "ImportJob", filename: str) -> str:
    """Where an uploaded import waits for its worker: a name of its own, never the user's file name."""
    return f"imports/{uuid.uuid4().hex}.csv"


class ImportJob(models.Model):
    """A CSV file uploaded in the browser and imported by a worker: its progress while it runs, its outcome after
    (the import history). The file is kept in the media storage (under imports/, never served) until the import has
    finished, then deleted."""

    class Kind(models.TextChoices):
        CREATORS = "creators", "Creators and accounts"
        POSTS = "posts", "Posts"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=import_upload_path, blank=True, max_length=300, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="data rows in the file")
    counts = models.JSONField(default=dict, blank=True, help_text="what the import wrote, per kind and action")
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True, help_text="every problem, one per line (row: column: message)")
    first_problems = models.JSONField(
        default=list, blank=True, help_text="the first problems as (row, column, message)"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="import_job_status")]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("creators:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def summary(self) -> str:
        return "; ".join(f"{key}: {value:,}" for key, value in self.counts.items())

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything (then the creators it touched were recalculated)."""
        return any(value for key, value in self.counts.items() if not key.endswith(" unchanged"))

    @property
    def took(self) -> str:
        """How long the import ran, e.g. "4 s" or "2 min 5 s" (empty while it runs)."""
        if not (self.started_at and self.finished_at):
            return ""
        minutes, seconds = divmod(round((self.finished_at - self.started_at).total_seconds()), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
