from django.urls import path

from conferences import views

app_name = "conferences"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.round_new, name="round_new"),
    path("<pid:round_id>/", views.round_detail, name="round_detail"),
    path("<pid:round_id>/edit/", views.round_edit, name="round_edit"),
    path("<pid:round_id>/preferences/", views.round_preferences, name="round_preferences"),
    path("<pid:round_id>/plan/", views.round_plan, name="round_plan"),
    path("<pid:round_id>/publish/", views.round_publish, name="round_publish"),
    path("<pid:round_id>/evening/", views.round_evening, name="round_evening"),
    path("<pid:round_id>/my-times/", views.round_my_times, name="round_my_times"),
    path("<pid:round_id>/calendar.ics", views.round_calendar, name="round_calendar"),
    path("<pid:round_id>/groups/<pid:group_id>/", views.round_group, name="round_group"),
    path("<pid:round_id>/groups/<pid:group_id>/flag/", views.round_group_flag, name="round_group_flag"),
    path(
        "<pid:round_id>/groups/<pid:group_id>/settings/",
        views.round_group_settings,
        name="round_group_settings",
    ),
    path("talks/<pid:talk_id>/", views.talk_detail, name="talk_detail"),
    path("talks/<pid:talk_id>/calendar.ics", views.talk_calendar, name="talk_calendar"),
    path("talks/<pid:talk_id>/move/", views.talk_move, name="talk_move"),
    path("talks/<pid:talk_id>/swap/", views.talk_swap, name="talk_swap"),
    path("swaps/<pid:swap_id>/answer/", views.swap_answer, name="swap_answer"),
]
