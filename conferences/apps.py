from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("parent–teacher conferences")

    def ready(self):
        from conferences.queries import rounds_visible_to
        from notifications.rules import register_kind
        from notifications.subjects import register_subject

        # Times and moves reach the family by push and email: a talk is easy to miss otherwise.
        register_kind(
            "conference.published", label=_("Conference time known"), push=True, email=True, digest=False
        )
        register_kind(
            "conference.moved", label=_("Conference time changed"), push=True, email=True, digest=False
        )
        register_kind(
            "conference.changed", label=_("Conference round changed"), push=True, email=True, digest=False
        )
        register_kind(
            "conference.swap_asked", label=_("Conference swap asked"), push=True, email=False, digest=False
        )
        register_kind(
            "conference.swapped", label=_("Conference swap answered"), push=True, email=False, digest=False
        )
        register_kind(
            "conference.swap_declined",
            label=_("Conference swap declined"),
            push=True,
            email=False,
            digest=False,
        )
        register_kind(
            "conference.reminder", label=_("Conference reminder"), push=True, email=True, digest=False
        )
        register_subject("conference_round", visible_to=rounds_visible_to)
