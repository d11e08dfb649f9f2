from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("privacy law")

    def ready(self):
        from notifications.rules import register_kind

        # A notice without a line on the preferences page: the export someone asked for can be downloaded.
        register_kind("export.ready", push=True, email=False, digest=False)
