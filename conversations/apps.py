from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("conversations")

    def ready(self):
        from conversations.models import Message
        from conversations.queries import messages_visible_to
        from media.carriers import register_carrier

        # A message's photos and documents are for the conversation's participants only.
        register_carrier(Message, visible_to=messages_visible_to)
