from django.urls import path

from demo import views

app_name = "demo"
urlpatterns = [
    path("login/<slug:persona>/", views.login, name="login"),
]
