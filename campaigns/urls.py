from django.urls import path

from . import dashboard_views, views

app_name = "campaigns"
urlpatterns = [
    path("", dashboard_views.home, name="dashboard"),
    path("charts/tiers.svg", dashboard_views.tier_chart, name="chart_tiers"),
    path("charts/scatter.svg", dashboard_views.scatter_chart, name="chart_scatter"),
    path("charts/funnel.svg", dashboard_views.funnel_chart, name="chart_funnel"),
    path("charts/interactions.svg", dashboard_views.interactions_chart, name="chart_interactions"),
    path("brands/switch/", views.brand_switch, name="brand_switch"),
    path("creators/bulk-add/", views.bulk_add, name="bulk_add"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/archive/", views.campaign_archive, name="campaign_archive"),
    path("campaigns/<int:pk>/export.csv", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/add-creators/", views.campaign_add_creators, name="campaign_add_creators"),
    path("collaborations/<int:pk>/", views.collaboration_detail, name="collaboration_detail"),
    path("collaborations/<int:pk>/move/", views.collaboration_move, name="collaboration_move"),
    path("collaborations/<int:pk>/deliverables/new/", views.deliverable_create, name="deliverable_create"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable_edit"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("creators/<int:creator_pk>/log/", views.relationship_entry_add, name="relationship_entry_add"),
    path("activity/", views.activity, name="activity"),
    path("shortlists/", views.shortlist_list, name="shortlist_list"),
    path("shortlists/<int:pk>/", views.shortlist_detail, name="shortlist_detail"),
    path("shortlists/<int:pk>/add/", views.shortlist_add, name="shortlist_add"),
    path("shortlist-entries/<int:pk>/remove/", views.shortlist_remove, name="shortlist_remove"),
]
