"""The sync state in the admin: per account (inline, list columns, a "sync now" action) and the runs.

The creators app knows nothing of platforms, so its account admin is extended here, not there."""

from django.contrib import admin, messages

from config.words import counted
from creators.admin import SocialAccountAdmin
from creators.models import SocialAccount

from . import sync, tasks
from .models import AccountSync, QuotaDay, SyncRun


class AccountSyncInline(admin.StackedInline):
    model = AccountSync
    can_delete = False
    extra = 0
    readonly_fields = [f.name for f in AccountSync._meta.fields if f.name != "account"] + ["error"]
    fields = readonly_fields
    verbose_name = verbose_name_plural = "sync with the platform"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SyncedAccountAdmin(SocialAccountAdmin):
    list_display = (*SocialAccountAdmin.list_display, "sync_status", "synced_at")
    list_select_related = ("creator", "sync")
    list_filter = (*SocialAccountAdmin.list_filter, "sync__status", "sync__error_reason")
    readonly_fields = (*SocialAccountAdmin.readonly_fields, "display_name", "synced_at", "avatar")
    inlines = [AccountSyncInline, *SocialAccountAdmin.inlines]
    actions = ["sync_now"]

    @admin.display(description="sync", ordering="sync__status")
    def sync_status(self, account: SocialAccount) -> str:
        state = getattr(account, "sync", None)
        if state is None:
            return "not synced yet" if account.platform in sync.PLATFORMS else "CSV only"
        return f"{state.get_status_display()}{f' ({state.error})' if state.error else ''}"

    @admin.action(description="Sync the selected accounts now", permissions=["change"])
    def sync_now(self, request, queryset) -> None:
        queued = 0
        for platform in sync.PLATFORMS:
            ids = list(queryset.filter(platform=platform).values_list("pk", flat=True))
            if not ids:
                continue
            if missing := sync.credentials_missing(platform):
                self.message_user(request, f"{platform}: not synced, {missing}.", messages.WARNING)
                continue
            try:
                tasks.enqueue(platform, ids, trigger="admin")
            except Exception:
                self.message_user(request, "The task queue is unavailable; try again later.", messages.ERROR)
                return
            queued += len(ids)
        others = queryset.exclude(platform__in=sync.PLATFORMS).count()
        if others:
            self.message_user(
                request,
                f"{counted(others, 'account')} on other platforms {'comes' if others == 1 else 'come'} from CSV "
                "files only.",
            )
        if queued:
            self.message_user(
                request, f"Queued {counted(queued, 'account')} for a sync; see Data sources for the outcome."
            )


admin.site.unregister(SocialAccount)
admin.site.register(SocialAccount, SyncedAccountAdmin)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "platform",
        "trigger",
        "started_at",
        "finished_at",
        "accounts",
        "synced",
        "failed",
        "deferred",
    )
    list_filter = ("platform", "trigger")
    readonly_fields = [f.name for f in SyncRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuotaDay)
class QuotaDayAdmin(admin.ModelAdmin):
    list_display = ("day", "platform", "units")
    list_filter = ("platform",)
    readonly_fields = ("platform", "day", "units")

    def has_add_permission(self, request) -> bool:
        return False
