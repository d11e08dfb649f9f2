from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("consent")

    def ready(self):
        from consent.actions import find_faces_when_ready, hold_faces_on_attach
        from consent.avatars import avatars_managed_by, avatars_shown_to, keep_avatars_small
        from media.actions import ATTACH_HOOKS, READY_HOOKS
        from media.carriers import register_carrier
        from notifications.rules import register_kind
        from schools.models import Pupil

        # A child carries its avatar for the face picker: consent.avatars is the one rule for who sees it.
        register_carrier(Pupil, visible_to=avatars_shown_to, managed_by=avatars_managed_by)

        # Notices without a line on the preferences page: the school asks, a photo waits for its author.
        register_kind("consent.requested", push=True, email=False, digest=False)
        register_kind("consent.withheld", push=True, email=False, digest=False)

        if find_faces_when_ready not in READY_HOOKS:
            READY_HOOKS.append(find_faces_when_ready)
        if keep_avatars_small not in READY_HOOKS:
            READY_HOOKS.append(keep_avatars_small)
        if hold_faces_on_attach not in ATTACH_HOOKS:
            ATTACH_HOOKS.append(hold_faces_on_attach)
