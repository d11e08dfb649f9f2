"""Background work for the timeline: thin, loads by id and calls the action."""

from django.db import transaction
from django.tasks import task

from posts import actions
from posts.models import Post


@task
def publish_post(post_id: int, attempt: int = 0) -> None:
    """Publish a scheduled post, or one whose files have finished processing."""
    with transaction.atomic():
        post = Post.objects.select_related("school").filter(id=post_id).first()
        if post is not None:
            actions.do_publish_if_due(post=post, attempt=attempt)


@task
def publish_due_posts() -> int:
    return actions.do_publish_due_posts()


@task
def send_event_reminders() -> int:
    """Run a few times a day: remind families that have not answered before the RSVP deadline."""
    return actions.do_send_event_reminders()


@task
def remind_event(post_id: int) -> int:
    """Scheduled at an invitation's deadline minus two days."""
    return actions.do_send_event_reminders(post_id=post_id)
