"""Translation listens to domain events: a message just sent is translated for its readers ahead of time."""

from core.events import Event


def on_event(event: Event) -> None:
    if event.kind == "message.created" and event.data.get("message_id"):
        from translation.actions import do_translate_message_for_readers

        do_translate_message_for_readers(
            message_id=event.data["message_id"], author_id=event.actor_id, recipient_ids=event.recipient_ids
        )
