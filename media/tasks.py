"""Background work for media: thin, loads by id and calls the action."""

from django.tasks import task

from media import actions


@task
def process_media(media_id: int) -> None:
    actions.do_process_media(media_id=media_id)
