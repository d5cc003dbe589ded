"""Admin registrations for brands, campaigns, the pipeline, partnerships and shortlists."""

from django.contrib import admin

from creators.services import recalculate_soon

from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Membership,
    Partnership,
    PartnershipMonth,
    RelationshipEntry,
    Shortlist,
    ShortlistEntry,
    StageChange,
)


class RecalculateOnSave:
    """Admin edits refresh the rollups they affect (coalesced, after the transaction commits)."""

    def creator_ids(self, obj) -> list[int]:
        return [obj.creator_id]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        recalculate_soon(creator_ids=self.creator_ids(obj))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("target_niches",)
    inlines = [MembershipInline]


class CollaborationInline(admin.TabularInline):
    model = Collaboration
    extra = 0
    fields = ("creator", "stage", "fee", "notes")
    autocomplete_fields = ("creator",)
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(RecalculateOnSave, admin.ModelAdmin):
    def creator_ids(self, obj) -> list[int]:
        return list(obj.collaborations.values_list("creator_id", flat=True))

    list_display = (
        "name",
        "brand",
        "status",
        "start_date",
        "end_date",
        "budget",
        "spend",
        "posts_published",
        "interactions",
        "cpe",
    )
    list_filter = ("status", "brand")
    list_select_related = ("brand",)
    search_fields = ("name", "objective")
    autocomplete_fields = ("target_niches",)
    readonly_fields = (
        "spend",
        "posts_published",
        "reach",
        "interactions",
        "content_er",
        "cpe",
        "cpm",
        "collaborations_count",
    )
    inlines = [CollaborationInline]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ("from_stage", "to_stage", "changed_by", "changed_at")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    raw_id_fields = ("post",)


@admin.register(Collaboration)
class CollaborationAdmin(RecalculateOnSave, admin.ModelAdmin):
    list_display = ("creator", "campaign", "stage", "fee", "updated_at")
    list_filter = ("stage", "campaign__brand")
    list_select_related = ("creator", "campaign")
    search_fields = ("creator__name", "campaign__name")
    autocomplete_fields = ("creator",)
    raw_id_fields = ("campaign",)
    inlines = [DeliverableInline, StageChangeInline]


@admin.register(Deliverable)
class DeliverableAdmin(RecalculateOnSave, admin.ModelAdmin):
    def creator_ids(self, obj) -> list[int]:
        return [obj.collaboration.creator_id]

    list_display = ("collaboration", "kind", "due_date", "status", "post")
    list_filter = ("status", "kind")
    list_select_related = ("collaboration__creator", "collaboration__campaign", "post")
    raw_id_fields = ("collaboration", "post")


class PartnershipMonthInline(admin.TabularInline):
    model = PartnershipMonth
    extra = 0
    readonly_fields = ("month", "spend", "interactions", "posts")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partnership)
class PartnershipAdmin(RecalculateOnSave, admin.ModelAdmin):
    list_display = ("creator", "brand", "status", "health", "renewal_date", "cadence", "retainer_fee", "lifetime_spend")
    list_filter = ("status", "health", "brand")
    list_select_related = ("creator", "brand")
    search_fields = ("creator__name", "brand__name")
    autocomplete_fields = ("creator",)
    readonly_fields = ("health", "health_reason", "published_last_30_days", "lifetime_spend", "lifetime_interactions")
    inlines = [PartnershipMonthInline]


@admin.register(RelationshipEntry)
class RelationshipEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "creator", "brand", "author")
    list_filter = ("kind", "brand")
    list_select_related = ("creator", "brand", "author")
    search_fields = ("summary", "creator__name")
    autocomplete_fields = ("creator",)


class ShortlistEntryInline(admin.TabularInline):
    model = ShortlistEntry
    extra = 0
    autocomplete_fields = ("creator",)


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "created_at")
    list_filter = ("brand",)
    list_select_related = ("brand",)
    inlines = [ShortlistEntryInline]
