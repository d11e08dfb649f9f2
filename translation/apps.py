from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "translation"
    verbose_name = _("translation")

    def ready(self):
        from core.events import subscribe
        from translation.subscribers import on_event

        subscribe(on_event)
