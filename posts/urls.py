from django.urls import path

from posts import views, views_compose

app_name = "posts"
urlpatterns = [
    path("posts/", views.feed, name="feed"),
    path("posts/new/", views_compose.post_new, name="post_new"),
    path("posts/new/photos/", views_compose.compose_photos, name="compose_photos"),
    path("posts/approvals/", views.approvals, name="approvals"),
    path("posts/<pid:post_id>/", views.post_detail, name="post_detail"),
    path("posts/<pid:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<pid:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<pid:post_id>/pin/", views.post_pin, name="post_pin"),
    path("posts/<pid:post_id>/approve/", views.post_approve, name="post_approve"),
    path("posts/<pid:post_id>/reject/", views.post_reject, name="post_reject"),
    path("posts/<pid:post_id>/receipts/", views.post_receipts, name="post_receipts"),
    path("posts/<pid:post_id>/rsvp/", views.post_rsvp, name="post_rsvp"),
    path("posts/<pid:post_id>/event.ics", views.post_ics, name="post_ics"),
    path("posts/<pid:post_id>/photos.zip", views.post_photos_zip, name="post_photos_zip"),
    path("posts/tasks/<pid:task_id>/signup/", views.task_signup, name="task_signup"),
    path("posts/<pid:post_id>/comments/", views.post_comment, name="post_comment"),
    path("posts/<pid:post_id>/react/", views.post_react, name="post_react"),
    path("posts/comments/<pid:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path(
        "groups/<pid:group_id>/timeline-settings/",
        views.group_timeline_settings,
        name="group_timeline_settings",
    ),
    path("school/<pid:school_id>/timeline/", views.school_timeline_settings, name="school_timeline_settings"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/address/", views.calendar_address, name="calendar_address"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("groups/<pid:group_id>/album/", views.album, name="album"),
]
