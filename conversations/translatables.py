"""What conversations offer for translation: a message's body, to whoever `messages_visible_to` shows it."""

from conversations.models import Message
from conversations.queries import messages_visible_to
from schools.access import first_or_404


def _access_message(viewer, public_id: str) -> Message:
    messages = messages_visible_to(viewer).select_related("conversation", "author")
    return first_or_404(messages.filter(public_id=public_id))


def _names(message: Message) -> list[str]:
    from translation.queries import names_to_keep

    conversation = message.conversation
    people = list(conversation.participants.values_list("user__first_name", "user__last_name"))
    pupil = conversation.pupil
    extra = [part for pair in people for part in pair] + [pupil.first_name, pupil.last_name]
    groups = [conversation.group_id] if conversation.group_id else []
    return names_to_keep(conversation.school_id, groups, extra=extra)


def register_translatables() -> None:
    from translation.sources import Kind, register_kind

    register_kind(
        Kind(
            name="message",
            model=Message,
            access=_access_message,
            load=lambda public_id: (
                Message.objects.select_related("conversation__pupil", "author")
                .filter(public_id=public_id)
                .first()
            ),
            texts=lambda message: [message.body],
            html=(False,),
            school_id=lambda message: message.conversation.school_id,
            names=_names,
            author_id=lambda message: message.author_id,
        )
    )
