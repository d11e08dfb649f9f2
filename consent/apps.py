from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("consent")

    def ready(self):
        from consent.actions import find_faces_when_ready, hold_faces_on_attach
        from media.actions import ATTACH_HOOKS, READY_HOOKS
        from notifications.rules import register_kind

        # Notices without a line on the preferences page: the school asks, a photo waits for its author.
        register_kind("consent.requested", push=True, email=False, digest=False)
        register_kind("consent.withheld", push=True, email=False, digest=False)

        if find_faces_when_ready not in READY_HOOKS:
            READY_HOOKS.append(find_faces_when_ready)
        if hold_faces_on_attach not in ATTACH_HOOKS:
            ATTACH_HOOKS.append(hold_faces_on_attach)
