from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_view, name="language"),
    path("settings/", views.settings_view, name="settings"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
]
