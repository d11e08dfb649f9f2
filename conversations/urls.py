from django.urls import path

from conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.unread_badge, name="unread"),
    path("new/", views.new, name="new"),
    path("new/<pid:pupil_id>/", views.start, name="start"),
    path("availability/<pid:school_id>/", views.availability, name="availability"),
    path("school/<pid:school_id>/", views.school_settings, name="school_settings"),
    path("<pid:conversation_id>/", views.thread, name="thread"),
    path("<pid:conversation_id>/send/", views.send, name="send"),
    path("<pid:conversation_id>/close/", views.close, name="close"),
    path("<pid:conversation_id>/reopen/", views.reopen, name="reopen"),
    path("<pid:conversation_id>/director/", views.add_director, name="add_director"),
]
