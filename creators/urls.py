from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("creators/", views.directory, name="directory"),
    path("creators/export.csv", views.directory_export, name="export"),
    path("creators/lookup.json", views.creator_lookup, name="lookup"),
    path("creators/<int:pk>/", views.creator_detail, name="creator_detail"),
    path("creators/<int:pk>/accounts/<int:account_pk>/growth.svg", views.account_growth_chart, name="growth_chart"),
    path("creators/<int:pk>/er.svg", views.er_trend_chart, name="er_chart"),
    path("creators/import/", views.import_csv, name="import"),
    path("creators/import/<int:pk>/", views.import_job, name="import_job"),
    path("creators/import/<int:pk>/progress.json", views.import_job_progress, name="import_job_progress"),
    path("creators/import/<int:pk>/problems.txt", views.import_job_problems, name="import_job_problems"),
]
