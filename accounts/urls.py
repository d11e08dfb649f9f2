from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
    path("login-link/", views.login_link_view, name="login_link"),
    path("login-link/<str:token>/", views.login_link_use_view, name="login_link_use"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("two-factor/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify_view, name="two_factor_verify"),
    path("settings/", views.settings_view, name="settings"),
    path("password/", views.password_change_view, name="password_change"),
    path("devices/", views.devices_view, name="devices"),
    path("devices/log-out-others/", views.devices_logout_others_view, name="devices_logout_others"),
    path("devices/<pid:session_id>/log-out/", views.device_logout_view, name="device_logout"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<pid:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]

# Pages a staff member may open before their session has passed two-factor.
OPEN_BEFORE_TWO_FACTOR = {
    "login",
    "logout",
    "language",
    "login_link",
    "login_link_use",
    "invitation",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "two_factor_setup",
    "two_factor_verify",
}
