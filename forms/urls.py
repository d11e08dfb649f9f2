from django.urls import path

from forms import views

app_name = "forms"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.form_new, name="form_new"),
    path("evaluation/<pid:school_id>/", views.evaluation_new, name="evaluation_new"),
    path("<pid:form_id>/", views.form_detail, name="form_detail"),
    path("<pid:form_id>/results/", views.form_results, name="form_results"),
    path("<pid:form_id>/children/", views.form_children, name="form_children"),
    path("<pid:form_id>/export.csv", views.form_export, name="form_export"),
    path("<pid:form_id>/remind/", views.form_remind, name="form_remind"),
]
