from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("notifications")

    def ready(self):
        from core.events import subscribe
        from notifications.actions import receive_event
        from notifications.translatables import register_translatables

        subscribe(receive_event)
        register_translatables()
