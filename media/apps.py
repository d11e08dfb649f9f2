from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("media")

    def ready(self):
        from media.carriers import register_default_carriers
        from media.reportables import register_reportables

        register_default_carriers()
        register_reportables()
