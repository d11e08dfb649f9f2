from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/<pid:export_id>/", views.export_status, name="export_status"),
    path("my-data/<pid:export_id>/download/", views.export_download, name="export_download"),
    path("school/<pid:school_id>/data/", views.retention, name="retention"),
    path("school/<pid:school_id>/data/exports/", views.staff_exports, name="staff_exports"),
    path("school/<pid:school_id>/data/erase/", views.erasure_search, name="erasure_search"),
    path(
        "school/<pid:school_id>/data/erase/<pid:guardian_id>/", views.erasure_confirm, name="erasure_confirm"
    ),
]
