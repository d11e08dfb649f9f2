from django.urls import path

from consent import views

app_name = "consent"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("children/<pid:pupil_id>/", views.answer, name="answer"),
    path("children/<pid:pupil_id>/photo/", views.avatar, name="avatar"),
    path("children/<pid:pupil_id>/photo/remove/", views.avatar_remove, name="avatar_remove"),
    path("tasks/", views.tasks, name="tasks"),
    path("school/<pid:school_id>/", views.school, name="school"),
    path("school/<pid:school_id>/purposes/", views.purpose_add, name="purpose_add"),
    path("school/<pid:school_id>/requests/", views.request_send, name="request_send"),
    path("school/<pid:school_id>/settings/", views.settings_save, name="settings"),
    path("statement/<pid:school_id>/", views.statement, name="statement"),
    path("statement/<pid:school_id>/edit/", views.statement_save, name="statement_save"),
    path("purposes/<pid:purpose_id>/change/", views.purpose_change, name="purpose_change"),
    path("purposes/<pid:purpose_id>/remove/", views.purpose_remove, name="purpose_remove"),
    path("requests/<pid:request_id>/remind/", views.request_remind, name="request_remind"),
    path("groups/<pid:group_id>/", views.group, name="group"),
    path("groups/<pid:group_id>/release/", views.group_release, name="group_release"),
    path("media/<pid:media_id>/", views.media, name="media"),
    path("media/<pid:media_id>/tag/", views.media_tag, name="media_tag"),
    path("media/<pid:media_id>/blur/", views.media_blur, name="media_blur"),
    path("media/<pid:media_id>/remove/", views.media_remove, name="media_remove"),
    path("tags/<pid:tag_id>/remove/", views.tag_remove, name="tag_remove"),
]
