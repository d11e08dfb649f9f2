from django.urls import path

from media import views

app_name = "media"
urlpatterns = [
    path("groups/<pid:group_id>/", views.group_files, name="group_files"),
    path("groups/<pid:group_id>/upload/", views.group_upload, name="group_upload"),
    path("<pid:media_id>/delete/", views.media_delete, name="media_delete"),
    path("<pid:media_id>/<int:version>/<str:name>", views.rendition, name="rendition"),
]
