from django.urls import path

from roster import views, views_rollover

app_name = "roster"

base = "school/<pid:school_id>/roster/"
rollover = "school/<pid:school_id>/rollover/"
urlpatterns = [
    path(base, views.roster_home, name="home"),
    path(f"{base}<pid:import_id>/", views.roster_detail, name="detail"),
    path(f"{base}<pid:import_id>/columns/", views.roster_mapping, name="mapping"),
    path(f"{base}<pid:import_id>/apply/", views.roster_apply, name="apply"),
    path(f"{base}<pid:import_id>/preview.csv", views.roster_preview_csv, name="preview_csv"),
    path("school/<pid:school_id>/rollover/", views_rollover.rollover_start, name="rollover"),
    path(f"{rollover}groups/", views_rollover.rollover_groups, name="rollover_groups"),
    path(
        f"{rollover}groups/<pid:group_id>/rename/",
        views_rollover.rollover_group_rename,
        name="rollover_rename",
    ),
    path(
        f"{rollover}groups/<pid:group_id>/merge/", views_rollover.rollover_group_merge, name="rollover_merge"
    ),
    path(
        f"{rollover}groups/<pid:group_id>/split/", views_rollover.rollover_group_split, name="rollover_split"
    ),
    path(
        f"{rollover}groups/<pid:group_id>/teachers/",
        views_rollover.rollover_group_teachers,
        name="rollover_group_teachers",
    ),
    path(f"{rollover}pupils/", views_rollover.rollover_pupils, name="rollover_pupils"),
    path(f"{rollover}pupils/<pid:pupil_id>/", views_rollover.rollover_place, name="rollover_place"),
    path(f"{rollover}teachers/", views_rollover.rollover_teachers, name="rollover_teachers"),
    path(f"{rollover}confirm/", views_rollover.rollover_confirm, name="rollover_confirm"),
]
