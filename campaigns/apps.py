from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Brands and campaigns"

    def ready(self) -> None:
        from audit.tracking import track
        from creators import recalculation, schedules

        from . import creator_pages, drafts, fit, rollups
        from .models import (
            Brand,
            Campaign,
            Collaboration,
            Deliverable,
            Invitation,
            Membership,
            Partnership,
            StageChange,
        )

        track(Brand, brand=lambda brand: brand.pk)
        for model in (Membership, Invitation, Campaign, Partnership):
            track(model, brand=lambda obj: obj.brand_id)
        track(Collaboration, brand=lambda c: Campaign.objects.values_list("brand_id", flat=True).get(pk=c.campaign_id))
        track(
            StageChange,
            brand=lambda s: Collaboration.objects.values_list("campaign__brand_id", flat=True).get(
                pk=s.collaboration_id
            ),
        )
        track(
            Deliverable,
            brand=lambda d: Collaboration.objects.values_list("campaign__brand_id", flat=True).get(
                pk=d.collaboration_id
            ),
        )

        creator_pages.register()
        recalculation.register_step(drafts.live_posts_link)  # before the rollups, which count linked posts
        recalculation.register_step(rollups.recalculate)
        recalculation.register_step(fit.recalculate)
        recalculation.register_run_start(fit.tier_benchmarks_refresh)
        schedules.register_schedule(
            "Partnership health and renewal reminders",
            "campaigns.tasks.partnership_reminders",
            {"minute": "0", "hour": "7"},
        )
