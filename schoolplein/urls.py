from django.urls import include, path, register_converter

from core.ids import PublicIdConverter
from schoolplein.api import api

register_converter(PublicIdConverter, "pid")

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("schools.urls")),
    path("media/", include("media.urls")),
    path("", include("posts.urls")),
    path("messages/", include("conversations.urls")),
    path("absences/", include("absences.urls")),
    path("conferences/", include("conferences.urls")),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("consent.urls")),
    path("moderation/", include("moderation.urls")),
    path("", include("roster.urls")),
    path("", include("privacy.urls")),
    path("forms/", include("forms.urls")),
    path("translate/", include("translation.urls")),
    path("demo/", include("demo.urls")),
    path("api/v1/", api.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
