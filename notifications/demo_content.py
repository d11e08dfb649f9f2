"""Demo notifications for De Schakel: a history that matches the timeline, an urgent post with its delivery
report, and a digest preview for the coming Friday.

The other apps' demo content publishes real events; they are received when the seeding transaction commits.
This module then settles them as history: dated like their posts, read where the post was read, and
delivered already (so starting the demo does not mail a month of news at once).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.clock import SCHOOL_TZ
from notifications import actions
from notifications.models import DigestSchedule, Dispatch, Notification

URGENT_TITLE = "Gladheid: school morgen pas om 9.30 uur open"
URGENT_BODY = (
    "Beste ouders, door de ijzel zijn de wegen rond de school morgenochtend erg glad. De school gaat "
    "daarom om 9.30 uur open in plaats van 8.30 uur. Er is vanaf 8.00 uur opvang voor kinderen die "
    "echt niet thuis kunnen blijven: meld dit even bij de administratie. Voorzichtig onderweg!"
)
# Delivery failures as they happen in a real school: old addresses that bounce.
BOUNCED = 2


def seed(*, school, today: datetime.date) -> None:
    DigestSchedule.objects.get_or_create(school=school)
    urgent = urgent_post(school, today)
    transaction.on_commit(
        lambda: settle(school_id=school.pk, urgent_post_id=urgent.public_id if urgent else "")
    )


def urgent_post(school, today: datetime.date):
    """The director's urgent post of last winter's icy morning, through the timeline's own action."""
    from posts.actions import Draft, check_publish_post
    from posts.models import Post
    from schools.models import StaffRole

    role = (
        StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR).select_related("user").first()
    )
    wide = school.groups.filter(kind="school").first()
    if role is None or wide is None:
        return None
    director = role.user
    director.is_verified = lambda: True
    post = check_publish_post(
        acting_user=director, groups=[wide], draft=Draft(title=URGENT_TITLE, body=URGENT_BODY, urgent=True)
    )
    sent = datetime.datetime.combine(today - datetime.timedelta(days=9), datetime.time(18, 40), SCHOOL_TZ)
    Post.objects.filter(pk=post.pk).update(published_at=sent, created_at=sent, publish_at=sent)
    return post


def settle(*, school_id: int, urgent_post_id: str) -> None:
    """Fan out the demo's events now, dated like their subjects, and mark the history as delivered."""
    from posts.models import Post, PostRead

    for dispatch in Dispatch.objects.filter(school_id=school_id, fanned_out_at=None).order_by("pk"):
        actions.do_fan_out(dispatch_id=dispatch.pk)
        when = dispatch.created_at
        if dispatch.subject_type == "post":
            post = Post.objects.filter(public_id=dispatch.subject_id).first()
            if post is not None and post.published_at:
                when = post.published_at
                readers = PostRead.objects.filter(post=post).values("user_id")
                Notification.objects.filter(dispatch=dispatch, user_id__in=readers).update(read_at=when)
        Dispatch.objects.filter(pk=dispatch.pk).update(created_at=when)
        Notification.objects.filter(dispatch=dispatch).update(created_at=when)
        if when < timezone.now() - datetime.timedelta(hours=1):
            dispatch.deliveries.filter(state="queued").update(state="sent", sent_at=when, attempts=1)
    urgent = Dispatch.objects.filter(subject_type="post", subject_id=urgent_post_id).first()
    if urgent is not None:
        bounced = urgent.deliveries.filter(channel="email", state="sent").order_by("user_id")[:BOUNCED]
        urgent.deliveries.filter(pk__in=[d.pk for d in bounced]).update(
            state="failed", error="mailbox unknown", sent_at=None
        )
