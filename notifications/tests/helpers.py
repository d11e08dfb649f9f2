"""Events as the other apps publish them, for notification tests."""

from django.utils.translation import gettext_noop

from core.events import Event
from notifications import actions

SAMPLE_P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
SAMPLE_AUTH = "tBHItJI5svbpez7KI4CCXg"


def post_event(
    world, *, recipients, actor=None, urgent=False, subject_id="PostPostPost0001", **extra
) -> Event:
    actor = actor or world.teacher
    return Event(
        kind="post.published",
        actor_id=actor.pk,
        school_id=world.school.pk,
        recipient_ids=tuple(u.pk for u in recipients),
        subject_type="post",
        subject_id=subject_id,
        url=f"/posts/{subject_id}/",
        title=gettext_noop("New post in %(group)s"),
        title_params={"group": "Groep 3"},
        urgent=urgent,
        data={"group_ids": [world.group3.public_id], "text": "Morgen gym: neem je gymschoenen mee!", **extra},
    )


def message_event(world, *, recipients, deliver_after=None) -> Event:
    """A 1-on-1 message as conversations publishes it: the text stays in the app."""
    return Event(
        kind="message.created",
        actor_id=world.teacher.pk,
        school_id=world.school.pk,
        recipient_ids=tuple(u.pk for u in recipients),
        subject_type="conversation",
        subject_id="Conversation0001",
        url="/messages/Conversation0001/",
        title=gettext_noop("New message from %(name)s"),
        title_params={"name": world.teacher.full_name},
        deliver_after=deliver_after,
        data={"message_id": "Message000000001", "text": "Mag Daan morgen eerder weg?"},
    )


def deliver_now(event: Event):
    """Receive and fan out an event in this transaction (what the worker does after the commit)."""
    dispatch = actions.receive_event(event)
    actions.do_fan_out(dispatch_id=dispatch.pk)
    return dispatch


def notification_for(world, user) -> str:
    dispatch = deliver_now(post_event(world, recipients=[user]))
    return dispatch.notifications.get(user=user).public_id


def push_subscription_for(user) -> str:
    return actions.do_subscribe_push(
        acting_user=user,
        endpoint=f"http://127.0.0.1:9/push/{user.public_id}",
        p256dh=SAMPLE_P256DH,
        auth=SAMPLE_AUTH,
    ).public_id


def without_quiet_hours(world) -> None:
    """Give every persona quiet hours of zero length, so a test that is not about them does not depend on
    the time of day it runs at (a run in the evening would hold every push until 07:00)."""
    import datetime

    from accounts.models import User
    from notifications.models import Settings

    users = [person for person in world.people.values() if isinstance(person, User)]
    Settings.objects.bulk_create(
        [Settings(user=user, quiet_from=datetime.time(0), quiet_until=datetime.time(0)) for user in users],
        ignore_conflicts=True,
    )
