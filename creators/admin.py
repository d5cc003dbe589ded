"""The Django admin as the curation tool for the shared creator base."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django_countries import countries

from config import queue
from config.words import counted

from . import metrics, pagination, partitions, recalculation, selectors, services
from .models import Creator, FollowerSnapshot, Niche, Platform, Post, RecalcRun, SocialAccount


class PlatformFilter(admin.SimpleListFilter):
    title = "platform"
    parameter_name = "platform"

    def lookups(self, request, model_admin):
        return Platform.choices

    def queryset(self, request, queryset):
        if self.value() in Platform.values:
            return queryset.filter(Exists(SocialAccount.objects.filter(creator=OuterRef("pk"), platform=self.value())))
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The countries creators are in (not all ~250 of the world), read at most every ten minutes."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return [(code, countries.name(code)) for code in selectors.creator_countries()]

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


METRIC_FIELDS = (
    "tier",
    "followers",
    "er",
    "is_flagged",
    "is_suspicious",
    "suspicion",
    "cpe",
    "accounts_count",
    "metrics_updated_at",
)


class RoundedFigures:
    """The computed rates as the pages show them (two decimals for a percentage, four for a cost), not as stored
    floats (5.06570242277684)."""

    @admin.display(description="ER %", ordering="engagement_rate")
    def er(self, obj) -> str:
        return "unknown" if obj.engagement_rate is None else f"{obj.engagement_rate:.2f}"

    @admin.display(description="cost per engagement", ordering="cost_per_engagement")
    def cpe(self, obj) -> str:
        return "unknown" if obj.cost_per_engagement is None else f"{obj.cost_per_engagement:,.4f}"


class SocialAccountInline(RoundedFigures, admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ("platform", "handle", "profile_url", "followers", "following", "tier", "er", "er_posts")
    readonly_fields = ("tier", "er", "er_posts")
    show_change_link = True


@admin.register(Creator)
class CreatorAdmin(RoundedFigures, admin.ModelAdmin):
    list_display = (
        "name",
        "email",
        "primary",
        "followers",
        "tier",
        "er",
        "is_flagged",
        "status",
        "country_name",
        "accounts_count",
    )
    list_select_related = ("primary_account",)
    list_filter = ("tier", "is_flagged", "is_suspicious", "status", PlatformFilter, "niches", CountryFilter)
    search_fields = ("name", "email", "accounts__handle")
    autocomplete_fields = ("niches",)
    inlines = [SocialAccountInline]
    readonly_fields = (*METRIC_FIELDS, "created_at", "updated_at", "recent_posts")
    fieldsets = (
        (None, {"fields": ("name", "email", "status", "niches", "country", "city", "rate", "notes")}),
        ("Metrics (computed by recalculation)", {"fields": METRIC_FIELDS}),
        ("Recent posts", {"fields": ("recent_posts",)}),
        ("History", {"fields": ("created_at", "updated_at")}),
    )
    actions = ["archive", "restore", "recalculate_selected", "export_selected"]
    show_full_result_count = False
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        """Name, email or handle, through the same index-backed search as the directory (no duplicates)."""
        term = search_term.strip().lstrip("@")
        if not term:
            return queryset, False
        # Searched once (the list's count and its rows then read the ids), capped as the directory's count is.
        cap = pagination.COUNT_CAP
        ids = selectors.creator_ids_matching(term, limit=cap + 1)
        if len(ids) > cap:
            self.message_user(
                request, f"More than {cap:,} creators match “{term}”; narrow the search.", messages.WARNING
            )
        return queryset.filter(pk__in=ids[:cap]), False

    @admin.display(description="primary account", ordering="primary_account__followers")
    def primary(self, creator: Creator) -> str:
        return str(creator.primary_account) if creator.primary_account else "—"

    @admin.display(description="country", ordering="country")
    def country_name(self, creator: Creator) -> str:
        # A dictionary lookup; the default display scans all ~250 country choices for every row.
        return creator.country.name or "—"

    @admin.display(description="recent posts")
    def recent_posts(self, creator: Creator) -> str:
        posts = Post.objects.filter(account__creator=creator).select_related("account")[:10]
        if not posts:
            return "No posts."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href='{}'>{}</a></td></tr>",
            ((p.posted_at.date(), p.account, p.interactions, p.url, p.url[:60]) for p in posts),
        )
        return format_html(
            "<table><tr><th>Date</th><th>Account</th><th>Interactions</th><th>URL</th></tr>{}</table>", rows
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.recalculate_soon(creator_ids=[form.instance.pk])

    @admin.action(description="Archive selected creators", permissions=["change"])
    def archive(self, request: HttpRequest, queryset) -> None:
        changed = services.creators_set_status(creator_ids=queryset.values_list("pk", flat=True), status="archived")
        self.message_user(request, f"Archived {counted(changed, 'creator')}.", messages.SUCCESS)

    @admin.action(description="Restore selected creators", permissions=["change"])
    def restore(self, request: HttpRequest, queryset) -> None:
        changed = services.creators_set_status(creator_ids=queryset.values_list("pk", flat=True), status="active")
        self.message_user(request, f"Restored {counted(changed, 'creator')}.", messages.SUCCESS)

    @admin.action(description="Recalculate metrics of selected creators", permissions=["change"])
    def recalculate_selected(self, request: HttpRequest, queryset) -> None:
        count = services.recalculate(creator_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Recalculated {counted(count, 'creator')}.", messages.SUCCESS)

    @admin.action(description="Export selected creators as CSV", permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        rows = selectors.export_lines(
            selectors.iterate(selectors.creators_for_export(queryset.order_by("email"))), for_spreadsheets=True
        )
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="creators.csv"'
        return response


@admin.register(Niche)
class NicheAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "creator_count")
    ordering = ("name",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(creator_count=Count("creators"))

    @admin.display(description="creators", ordering="creator_count")
    def creator_count(self, niche: Niche) -> int:
        return niche.creator_count


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ("posted_at", "url", "likes", "comments", "shares", "saves", "views", "interactions")
    readonly_fields = ("interactions",)
    ordering = ("-posted_at",)
    show_change_link = True

    def get_queryset(self, request):
        # Only posts that can still count for the ER are edited inline; older ones stay on the post list.
        since = timezone.now() - timedelta(days=settings.ER_WINDOW_DAYS)
        return super().get_queryset(request).filter(posted_at__gte=since)


@admin.register(SocialAccount)
class SocialAccountAdmin(RoundedFigures, admin.ModelAdmin):
    list_display = ("handle", "platform", "creator", "followers", "following", "tier", "er", "er_posts")
    list_select_related = ("creator",)
    list_filter = ("platform", "tier", "is_high_engagement")
    search_fields = ("handle", "creator__name", "creator__email")
    autocomplete_fields = ("creator",)
    readonly_fields = ("tier", "er", "is_high_engagement", "er_posts", "created_at", "updated_at")
    inlines = [PostInline]
    show_full_result_count = False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        account = form.instance
        services.snapshots_record(account_ids=[account.pk])
        services.recalculate_soon(creator_ids=[account.creator_id])


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("url", "account", "posted_at", "likes", "comments", "shares", "saves", "views", "interactions")
    list_select_related = ("account",)
    list_filter = ("account__platform", "posted_at")
    search_fields = ("url", "account__handle")
    autocomplete_fields = ("account",)
    readonly_fields = ("interactions", "created_at", "updated_at")
    date_hierarchy = "posted_at"
    show_full_result_count = False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.recalculate_soon(creator_ids=[obj.account.creator_id])

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**_table_sizes(), **(extra_context or {})})


def _table_sizes() -> dict:
    """The sizes of the tables that grow for years, for their changelists."""
    return {"table_sizes": partitions.table_sizes(), "snapshot_retention_days": settings.SNAPSHOT_RETENTION_DAYS}


@admin.register(FollowerSnapshot)
class FollowerSnapshotAdmin(admin.ModelAdmin):
    list_display = ("account", "date", "followers")
    list_select_related = ("account",)
    search_fields = ("account__handle",)
    autocomplete_fields = ("account",)
    date_hierarchy = "date"
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**_table_sizes(), **(extra_context or {})})

    # A snapshot edited here is not a recorded one: the account's growth figures are recomputed from its history.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        metrics.growth_refresh(account_ids=[obj.account_id])
        services.recalculate_soon(creator_ids=[obj.account.creator_id])

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        metrics.growth_refresh(account_ids=[obj.account_id])
        services.recalculate_soon(creator_ids=[obj.account.creator_id])

    def delete_queryset(self, request, queryset) -> None:
        accounts = dict(queryset.values_list("account_id", "account__creator_id").distinct())
        super().delete_queryset(request, queryset)
        metrics.growth_refresh(account_ids=list(accounts))
        services.recalculate_soon(creator_ids=set(accounts.values()))


@admin.register(RecalcRun)
class RecalcRunAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "trigger",
        "status",
        "progress",
        "started_at",
        "finished_at",
        "duration",
        "creators_updated",
        "creators_changed",
    )
    list_filter = ("status", "trigger")
    readonly_fields = [f.name for f in RecalcRun._meta.fields] + ["progress", "duration"]

    actions = ["resume"]

    @admin.display(description="progress")
    def progress(self, run: RecalcRun) -> str:
        text = f"{run.percent} % ({run.chunks_done}/{run.chunks_total} chunks)"
        if run.status == RecalcRun.Status.RUNNING and recalculation.chunks_stalled(run):
            return f"{text} — stalled: a worker died holding chunks; resume it (it resumes by itself within minutes)"
        return text

    @admin.action(
        description="Resume the selected running recalculations (re-issue chunks not done)", permissions=["resume"]
    )
    def resume(self, request: HttpRequest, queryset) -> None:
        try:
            issued = recalculation.runs_resume(
                older_than=timedelta(0),
                enqueue=lambda run, low, high: queue.enqueue("creators.tasks.recalculate_chunk", args=(run, low, high)),
                run_ids=list(queryset.values_list("pk", flat=True)),
            )
        except Exception:
            self.message_user(request, "The task queue is unavailable; try again later.", messages.ERROR)
            return
        self.message_user(request, f"Re-issued {counted(issued, 'chunk')}.", messages.SUCCESS)

    def has_resume_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("creators.change_recalcrun")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
