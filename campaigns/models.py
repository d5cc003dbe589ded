"""Brands and everything that belongs to one: campaigns, the pipeline, partnerships, the relationship log.

Fields marked *rollup* are written only by ``campaigns.rollups`` during recalculation; pages read them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django_countries.fields import CountryField

from creators.models import Creator, Niche, Post


class Brand(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    target_niches = models.ManyToManyField(Niche, blank=True, related_name="target_of_brands")
    target_countries = CountryField(multiple=True, blank=True)
    currency = models.CharField(
        max_length=3, default="USD", help_text="ISO 4217 code of partnership retainers and the dashboard's totals."
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="brands")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Member"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint("brand", "user", name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.brand} ({self.role})"


class Invitation(models.Model):
    """A manager's invitation of a colleague to the brand: the e-mailed link (``campaigns.team``) joins it once."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per brand and address: inviting again re-sends it.
            models.UniqueConstraint(
                Lower("email"),
                "brand",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.brand}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=200)
    objective = models.TextField("objective / brief", blank=True)
    guidelines_fixed = models.TextField("what is fixed", blank=True, help_text="Mandatory messages, disclosure, dates.")
    guidelines_creative = models.TextField(
        "what is the creator's", blank=True, help_text="Style, format and voice are theirs: say where they are free."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD")
    usage_channels = models.CharField(
        "usage rights: channels",
        max_length=300,
        blank=True,
        help_text="Where the brand may reuse the content (e.g. its own Instagram, paid ads); the creator accepts them.",
    )
    usage_months = models.PositiveIntegerField("usage rights: months", null=True, blank=True)
    target_niches = models.ManyToManyField(Niche, blank=True, related_name="campaigns")
    target_engagements = models.PositiveIntegerField(null=True, blank=True)
    target_reach = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # rollup
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0, editable=False)
    posts_published = models.PositiveIntegerField(default=0, editable=False)
    reach = models.BigIntegerField(default=0, editable=False)
    interactions = models.BigIntegerField(default=0, editable=False)
    content_er = models.FloatField(null=True, blank=True, editable=False)
    cpe = models.FloatField("cost per engagement", null=True, blank=True, editable=False)
    cpm = models.FloatField("cost per mille reached", null=True, blank=True, editable=False)
    collaborations_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["brand", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def over_budget(self) -> bool:
        return self.spend > self.budget

    @property
    def usage_rights(self) -> str:
        """The usage rights in words ("" when the campaign asks for none)."""
        if not self.usage_channels:
            return ""
        months = f" for {self.usage_months} month{'s' if self.usage_months != 1 else ''}" if self.usage_months else ""
        return f"{self.usage_channels}{months}"


class Stage(models.TextChoices):
    SHORTLISTED = "shortlisted", "Shortlisted"
    CONTACTED = "contacted", "Contacted"
    NEGOTIATING = "negotiating", "Negotiating"
    CONTRACTED = "contracted", "Contracted"
    CONTENT_REVIEW = "content_review", "Content in review"
    PUBLISHED = "published", "Published"
    PAID = "paid", "Paid"
    DECLINED = "declined", "Declined"


# Stages from which an agreed fee counts as spend.
COMMITTED_STAGES = [Stage.CONTRACTED, Stage.CONTENT_REVIEW, Stage.PUBLISHED, Stage.PAID]


class Collaboration(models.Model):
    """A creator's place in a campaign's pipeline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="collaborations")
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="collaborations")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SHORTLISTED)
    fee = models.DecimalField("agreed fee", max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    # When the creator accepted the campaign's usage rights in the portal, and the rights as they then read.
    rights_accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    rights_accepted = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["creator__name", "id"]
        constraints = [
            models.UniqueConstraint("campaign", "creator", name="collaboration_unique"),
            models.CheckConstraint(condition=Q(fee__isnull=True) | Q(fee__gte=0), name="collaboration_fee_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.creator} in {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:collaboration_detail", args=[self.pk])


class StageChange(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_creator = models.BooleanField(default=False, help_text="Moved by the creator's answer in the portal.")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class Deliverable(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Post"
        REEL = "reel", "Reel"
        STORY = "story", "Story"
        VIDEO = "video", "Video"
        SHORT = "short", "Short"
        LIVE = "live", "Live stream"
        BLOG = "blog", "Blog article"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The live post's URL as the creator gave it in the portal; linked to ``post`` as soon as the post is synced.
    live_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.collaboration}"


class Draft(models.Model):
    """A version of a deliverable the creator submits in the portal, reviewed by the brand (``campaigns.drafts``)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for review"
        CHANGES = "changes", "Changes requested"
        APPROVED = "approved", "Approved"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="drafts")
    version = models.PositiveIntegerField()
    caption = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True, help_text="Where the draft can be seen, instead of a file.")
    # Stored under drafts/, never served by the media view: only by the draft views (the creator, the brand).
    file = models.FileField(upload_to="drafts/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True, help_text="The brand's, on this version.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deliverable_id", "version"]
        constraints = [models.UniqueConstraint("deliverable", "version", name="draft_version_unique")]

    def __str__(self) -> str:
        return f"version {self.version} of {self.deliverable}"


class Partnership(models.Model):
    """A long-term relationship between a brand and a creator."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    class Health(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        BEHIND = "behind", "Behind cadence"
        RENEWAL_DUE = "renewal_due", "Renewal due"
        ENDED = "ended", "Ended"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="partnerships")
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="partnerships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    renewal_date = models.DateField(null=True, blank=True)
    cadence = models.PositiveSmallIntegerField("deliverables per month", default=2)
    retainer_fee = models.DecimalField("monthly retainer", max_digits=12, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A second current partnership with the same creator, made before the database refused them (migration 0008):
    # kept, shown to the brand to end, and left out of the one-current-partnership rule.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", editable=False
    )

    # rollup
    health = models.CharField(max_length=12, choices=Health.choices, default=Health.ON_TRACK, editable=False)
    health_reason = models.CharField(max_length=200, blank=True, editable=False)
    published_last_30_days = models.PositiveIntegerField(default=0, editable=False)
    lifetime_spend = models.DecimalField(max_digits=14, decimal_places=2, default=0, editable=False)
    lifetime_interactions = models.BigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["creator__name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(retainer_fee__gte=0), name="partnership_fee_gte_0"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partnership_end_after_start",
            ),
            # One current (active or paused) partnership per brand and creator: a second would count the same
            # campaign fees again.
            models.UniqueConstraint(
                "brand",
                "creator",
                condition=~Q(status="ended") & Q(duplicate_of__isnull=True),
                name="partnership_one_current",
            ),
        ]
        indexes = [models.Index(fields=["brand", "health"])]

    def __str__(self) -> str:
        return f"{self.brand} × {self.creator}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:partnership_detail", args=[self.pk])

    @classmethod
    def running(cls) -> Q:
        """The partnerships that still run: not ended by their status, nor by an end date that passed."""
        return ~Q(status=cls.Status.ENDED) & ~Q(health=cls.Health.ENDED)

    @property
    def lifetime_cpe(self) -> float | None:
        return float(self.lifetime_spend) / self.lifetime_interactions if self.lifetime_interactions else None


class PartnershipMonth(models.Model):
    """A partnership's spend and interactions per calendar month (rollup, for cost per engagement over time)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    interactions = models.BigIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint("partnership", "month", name="partnership_month_unique")]

    def __str__(self) -> str:
        return f"{self.partnership} {self.month:%Y-%m}"

    @property
    def cpe(self) -> float | None:
        return float(self.spend) / self.interactions if self.interactions else None


class PartnershipReminder(models.Model):
    """A renewal reminder that was sent: at most one per partnership and renewal date."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminders")
    renewal_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("partnership", "renewal_date", name="reminder_once_per_window")]

    def __str__(self) -> str:
        return f"Reminder for {self.partnership} ({self.renewal_date})"


class RelationshipEntry(models.Model):
    """The brand's relationship log with a creator: notes and contacts."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        EMAIL = "email", "Email"
        CALL = "call", "Call"
        DM = "dm", "Direct message"
        MEETING = "meeting", "Meeting"
        PORTAL = "portal", "Creator's answer in the portal"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="relationship_entries")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="relationship_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    date = models.DateField()
    summary = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="relationship_entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "relationship log entries"
        indexes = [models.Index(fields=["brand", "creator", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}: {self.summary[:40]}"


class Shortlist(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="shortlists")
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:shortlist_detail", args=[self.pk])


class ShortlistEntry(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="shortlist_entries")
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "id"]
        constraints = [models.UniqueConstraint("shortlist", "creator", name="shortlist_entry_unique")]

    def __str__(self) -> str:
        return f"{self.creator} on {self.shortlist}"


class FitScore(models.Model):
    """How well a creator fits a brand, 0–100, with each component's points (rollup; see ``campaigns.fit``)."""

    # Lookups by brand use the (brand, score) index, by creator (a chunk of a recalculation, a creator's page) the
    # (creator, brand) unique index: one index fewer for every score a recalculation writes.
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="fit_scores", db_index=False)
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="fit_scores", db_index=False)
    score = models.FloatField()
    niche_points = models.FloatField()
    country_points = models.FloatField()
    er_points = models.FloatField()
    authenticity_points = models.FloatField()
    affordability_points = models.FloatField()
    # "clean" or "suspicious" for a flagged candidate, else empty: the dashboard's lists walk an index on it that
    # holds candidates only (most scores are not, and a rewritten score then adds no entry there).
    candidate = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint("creator", "brand", name="fit_creator_brand_unique")]
        indexes = [
            models.Index(fields=["brand", "-score", "creator"], name="fit_brand_score"),
            models.Index(
                fields=["brand", "candidate", "-score", "creator"],
                name="fit_brand_candidate",
                condition=~Q(candidate=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creator} for {self.brand}: {self.score:.0f}"


class BrandMonth(models.Model):
    """A brand's interactions and committed spend per calendar month (rollup, for the dashboard)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    interactions = models.BigIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint("brand", "month", name="brand_month_unique")]

    def __str__(self) -> str:
        return f"{self.brand} {self.month:%Y-%m}"
