from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("searches/", views.search_list, name="search_list"),
    path("searches/new/", views.search_create, name="search_create"),
    path("searches/<int:pk>/", views.search_open, name="search_open"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
