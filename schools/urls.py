from django.urls import path

from schools import views

app_name = "schools"

school = "school/<pid:school_id>/"
urlpatterns = [
    path("groups/<pid:group_id>/", views.group_detail, name="group_detail"),
    path("groups/earlier/", views.earlier_classes, name="earlier_classes"),
    path(school, views.admin_home, name="admin_home"),
    path(f"{school}pupils/", views.admin_pupils, name="admin_pupils"),
    path(f"{school}pupils/new/", views.admin_pupil_add, name="admin_pupil_add"),
    path(f"{school}pupils/<pid:pupil_id>/", views.admin_pupil, name="admin_pupil"),
    path(f"{school}pupils/<pid:pupil_id>/move/", views.admin_pupil_move, name="admin_pupil_move"),
    path(
        f"{school}pupils/<pid:pupil_id>/guardians/new/", views.admin_guardian_add, name="admin_guardian_add"
    ),
    path(
        f"{school}pupils/<pid:pupil_id>/guardians/<pid:guardian_id>/remove/",
        views.admin_guardianship_remove,
        name="admin_guardianship_remove",
    ),
    path(f"{school}guardians/", views.admin_guardians, name="admin_guardians"),
    path(
        f"{school}guardians/invite-all/", views.admin_guardians_invite_all, name="admin_guardians_invite_all"
    ),
    path(
        f"{school}guardians/<pid:guardian_id>/invite/",
        views.admin_guardian_invite,
        name="admin_guardian_invite",
    ),
    path(f"{school}groups/", views.admin_groups, name="admin_groups"),
    path(f"{school}groups/<pid:group_id>/teachers/", views.admin_teacher_add, name="admin_teacher_add"),
    path(
        f"{school}groups/<pid:group_id>/class-parents/",
        views.admin_class_parent_add,
        name="admin_class_parent_add",
    ),
    path(
        f"{school}teachers/<pid:assignment_id>/remove/",
        views.admin_teacher_remove,
        name="admin_teacher_remove",
    ),
    path(
        f"{school}class-parents/<pid:class_parent_id>/remove/",
        views.admin_class_parent_remove,
        name="admin_class_parent_remove",
    ),
    path(f"{school}staff/", views.admin_staff, name="admin_staff"),
    path(f"{school}staff/<pid:role_id>/remove/", views.admin_staff_remove, name="admin_staff_remove"),
]
