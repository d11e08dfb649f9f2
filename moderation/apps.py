from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("moderation")

    def ready(self):
        from moderation.registry import register_default_reportables
        from moderation.signals import connect_signals

        register_default_reportables()
        connect_signals()
