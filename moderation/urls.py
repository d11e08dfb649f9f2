from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
    path("report/<slug:kind>/<pid:item_id>/", views.report, name="report"),
    path("reports/", views.my_reports, name="my_reports"),
    path("queue/", views.queue, name="queue"),
    path("queue/<pid:report_id>/", views.report_detail, name="report_detail"),
    path("queue/<pid:report_id>/hide/", views.report_hide, name="report_hide"),
    path("queue/<pid:report_id>/resolve/", views.report_resolve, name="report_resolve"),
    path("feedback/", views.feedback, name="feedback"),
    path("mute/conversation/<pid:conversation_id>/", views.mute, name="mute"),
    path("schools/<pid:school_id>/rules/", views.rules_edit, name="rules_edit"),
    path("schools/<pid:school_id>/terms/", views.terms, name="terms"),
    path("schools/<pid:school_id>/terms/<pid:term_id>/delete/", views.term_delete, name="term_delete"),
    path("schools/<pid:school_id>/suspensions/", views.suspensions, name="suspensions"),
    path(
        "schools/<pid:school_id>/suspensions/<pid:suspension_id>/lift/",
        views.suspension_lift,
        name="suspension_lift",
    ),
    path("schools/<pid:school_id>/feedback/", views.feedback_list, name="feedback_list"),
    path("schools/<pid:school_id>/audit/", views.audit, name="audit"),
]
