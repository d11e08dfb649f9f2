from django.urls import path

from roster import views

app_name = "roster"

base = "school/<pid:school_id>/roster/"
urlpatterns = [
    path(base, views.roster_home, name="home"),
    path(f"{base}<pid:import_id>/", views.roster_detail, name="detail"),
    path(f"{base}<pid:import_id>/columns/", views.roster_mapping, name="mapping"),
    path(f"{base}<pid:import_id>/apply/", views.roster_apply, name="apply"),
    path(f"{base}<pid:import_id>/preview.csv", views.roster_preview_csv, name="preview_csv"),
]
