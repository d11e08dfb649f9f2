from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("consent")

    def ready(self):
        from consent.actions import find_faces_when_ready
        from media.actions import READY_HOOKS

        if find_faces_when_ready not in READY_HOOKS:
            READY_HOOKS.append(find_faces_when_ready)
