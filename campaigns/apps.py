from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Brands and campaigns"

    def ready(self) -> None:
        from creators import recalculation, schedules

        from . import fit, rollups

        recalculation.register_step(rollups.recalculate)
        recalculation.register_step(fit.recalculate)
        recalculation.register_run_start(fit.tier_benchmarks_refresh)
        schedules.register_schedule(
            "Partnership health and renewal reminders",
            "campaigns.tasks.partnership_reminders",
            {"minute": "0", "hour": "7"},
        )
