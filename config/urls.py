from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, media, passwords, twofactor_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's icon link says: send them to the icon, not a 404.
    path("favicon.ico", media.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/two-factor/", twofactor_views.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", twofactor_views.verify, name="two_factor_verify"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", media.media, name="media"),
    path("", include("platforms.urls")),
    path("", include("creators.urls")),
    path("bench/floor", health.bench_floor),
    path("", include("campaigns.urls")),
    path("", include("workspace.urls")),
    path("portal/", include("portal.urls")),
    path("outreach/", include("outreach.urls")),
]
