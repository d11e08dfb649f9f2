from django.urls import path

from translation import views

app_name = "translation"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("school/<pid:school_id>/", views.school_settings, name="school"),
    path("glossary/<pid:term_id>/delete/", views.glossary_delete, name="glossary_delete"),
    path("<slug:kind>/<pid:item_id>/", views.translated, name="translated"),
    path("<slug:kind>/<pid:item_id>/original/", views.original, name="original"),
]
