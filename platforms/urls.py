from django.urls import path

from . import views

app_name = "platforms"
urlpatterns = [
    path("sources/", views.sources, name="sources"),
    path("sources/sync/", views.sources_sync, name="sources_sync"),
    path("creators/add/", views.add_profiles, name="add"),
    path("creators/add/arriving/", views.arriving, name="arriving"),
]
