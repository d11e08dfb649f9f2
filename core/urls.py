from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("more/", views.more, name="more"),
    path("offline/", views.offline, name="offline"),
]
