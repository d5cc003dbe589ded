from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, media

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", media.media, name="media"),
    path("", include("platforms.urls")),
    path("", include("creators.urls")),
    path("bench/floor", health.bench_floor),
    path("", include("campaigns.urls")),
]
