from django.urls import path

from absences import views

app_name = "absences"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.report_new, name="report_new"),
    path("sick/", views.sick_new, name="sick_new"),
    path("<pid:absence_id>/", views.absence_detail, name="absence_detail"),
    path("<pid:absence_id>/change/", views.absence_change, name="absence_change"),
    path("<pid:absence_id>/withdraw/", views.absence_withdraw, name="absence_withdraw"),
    path("<pid:absence_id>/recovered/", views.absence_recovered, name="absence_recovered"),
    path("leave/new/", views.leave_new, name="leave_new"),
    path("leave/<pid:leave_id>/", views.leave_detail, name="leave_detail"),
    path("leave/<pid:leave_id>/decide/", views.leave_decide, name="leave_decide"),
    path("leave/<pid:leave_id>/withdraw/", views.leave_withdraw, name="leave_withdraw"),
    path("overview/", views.overview, name="overview"),
    path("overview/export/", views.export, name="export"),
    path("overview/sick-call/", views.sick_call, name="sick_call"),
    path("school/<pid:school_id>/", views.school_settings, name="school_settings"),
    path("school/<pid:school_id>/kinds/", views.kinds_save, name="kinds_save"),
    path("school/<pid:school_id>/closures/", views.closure_add, name="closure_add"),
    path(
        "school/<pid:school_id>/closures/<pid:closure_id>/delete/",
        views.closure_delete,
        name="closure_delete",
    ),
]
