"""A message can be reported: registered with moderation at start-up."""

from django.urls import reverse

from moderation.registry import Description, Preview, author_name, register_reportable


def register_reportables() -> None:
    from conversations.models import Message
    from conversations.queries import messages_visible_to
    from core.audit import record

    def describe_message(message: Message) -> Description:
        conversation = message.conversation
        return Description(
            school=conversation.school,
            group=conversation.group,
            label=conversation.group.name if conversation.group_id else conversation.school.name,
            url=reverse("conversations:thread", args=[conversation.public_id]),
        )

    def remove_message(message: Message, acting_user) -> None:
        conversation = message.conversation
        record(actor=acting_user, action="message.removed", target=conversation, school=conversation.school)
        message.delete()

    register_reportable(
        Message,
        kind="message",
        visible_to=messages_visible_to,
        remove=remove_message,
        describe=describe_message,
        preview=lambda message: Preview(author=author_name(message.author), text=message.body),
    )
