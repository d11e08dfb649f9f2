"""Translation listens to domain events: a message just sent is translated for its readers ahead of time."""

from core.events import Event


def on_event(event: Event) -> None:
    if event.kind == "message.created" and event.data.get("message_id") and event.actor_id is not None:
        from translation.actions import do_translate_for_readers

        do_translate_for_readers(
            kind="message",
            public_id=event.data["message_id"],
            reader_ids=event.recipient_ids,
            author_id=event.actor_id,
        )
