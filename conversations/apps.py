from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("conversations")

    def ready(self):
        from conversations.models import Message
        from conversations.queries import conversations_visible_to, messages_visible_to
        from conversations.reportables import register_reportables
        from conversations.translatables import register_translatables
        from media.carriers import register_carrier
        from notifications.subjects import register_subject

        # A message's photos and documents are for the conversation's participants only.
        register_carrier(Message, visible_to=messages_visible_to)
        # So is the delivery report of its messages, even for the school's office.
        register_subject("conversation", visible_to=conversations_visible_to)
        register_reportables()
        register_translatables()
