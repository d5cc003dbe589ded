from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("creators/", views.directory, name="directory"),
    path("creators/export.csv", views.directory_export, name="export"),
    path("creators/<int:pk>/", views.creator_detail, name="creator_detail"),
    path("creators/import/", views.import_csv, name="import"),
]
