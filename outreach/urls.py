from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<int:pk>/", views.campaign_send, name="campaign_send"),
    path("invite/", views.invite, name="invite"),
    path("inbound/", views.inbound, name="inbound"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
