from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
]
