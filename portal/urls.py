from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("link/<str:token>/", views.link, name="link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("collaborations/", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/accounts/", views.account_add, name="account_add"),
    path("collaborations/<int:pk>/", views.collaboration, name="collaboration"),
    path("deliverables/<int:pk>/drafts/", views.draft_submit, name="draft_submit"),
    path("deliverables/<int:pk>/live/", views.go_live, name="go_live"),
    path("drafts/<int:pk>/file", views.draft_file, name="draft_file"),
]
