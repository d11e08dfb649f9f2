"""Every state change of the timeline: publish, approve, edit, pin, delete, read, RSVP, sign up, calendar."""

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import hash_token
from consent.actions import do_blur_untagged
from consent.enforcement import check_media_consent
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from media.actions import check_attach_media, do_delete_media
from media.failures import MediaRefused
from media.models import MediaFile
from media.queries import all_ready
from moderation.hooks import reflag_if_screened
from posts.models import CalendarFeed, HelpSignup, HelpTask, Post, PostGroup, PostRead, Rsvp
from posts.queries import (
    PostGroupLabel,
    approvers_of,
    audience_of,
    family_for,
    group_labels_of,
    groups_postable_by,
    posts_staffed_by,
    posts_to_approve,
    read_only,
    shown_to_audience,
    timeline_settings,
)
from posts.text import clean_html, plain_text
from schools.models import Group, StaffRole, TeachingAssignment
from schools.queries import class_parent_groups_of, schools_directed_by

MAX_TASKS = 10
MAX_PEOPLE = 20
RSVP_NOTE_MAX = 300
REMINDER_BEFORE = datetime.timedelta(days=2)


@dataclass
class Draft:
    """What an author fills in; the same for the form and the API."""

    title: str
    body: str = ""
    kind: str = Post.Kind.ANNOUNCEMENT
    publish_at: datetime.datetime | None = None
    urgent: bool = False
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    location: str = ""
    respond_by: datetime.datetime | None = None
    tasks: list[tuple[str, int]] = field(default_factory=list)


def _check_draft(draft: Draft) -> str:
    """Validate the fields of a post; return the sanitized body."""
    body = clean_html(draft.body)
    if not draft.title.strip():
        raise Invalid(_("Give the post a title."), code="empty")
    if draft.kind not in Post.Kind.values:
        raise Invalid(_("Choose what kind of post this is."), code="kind")
    if draft.kind == Post.Kind.EVENT:
        if draft.starts_at is None:
            raise Invalid(_("An event needs a date and time."), code="no_start")
        if draft.ends_at is not None and draft.ends_at < draft.starts_at:
            raise Invalid(_("The event cannot end before it starts."), code="ends_before")
    if draft.kind == Post.Kind.HELP:
        if not draft.tasks:
            raise Invalid(_("A help request needs at least one task."), code="no_tasks")
        if len(draft.tasks) > MAX_TASKS:
            raise Invalid(_("A help request has at most 10 tasks."), code="too_many_tasks")
        for name, places in draft.tasks:
            if not name.strip() or not 1 <= places <= 100:
                raise Invalid(_("Every task needs a name and 1 to 100 places."), code="bad_task")
    if draft.respond_by is not None and draft.starts_at is not None and draft.respond_by > draft.starts_at:
        raise Invalid(_("The answer deadline must be before the event."), code="deadline")
    return body


def _event_fields(draft: Draft) -> dict:
    is_event = draft.kind == Post.Kind.EVENT
    return {
        "starts_at": draft.starts_at if is_event else None,
        "ends_at": draft.ends_at if is_event else None,
        "location": draft.location.strip()[:200] if is_event else "",
        "respond_by": draft.respond_by if draft.kind != Post.Kind.ANNOUNCEMENT else None,
    }


def check_publish_post(*, acting_user, groups: list[Group], draft: Draft, media_files=()) -> Post:
    """Create a post to one or more groups; it goes out now, at publish_at, or after approval and
    once all its files are ready. The one place to hook checks before a post is published."""
    if not groups:
        raise Invalid(_("Choose at least one group."), code="no_groups")
    allowed = set(
        groups_postable_by(acting_user).filter(id__in=[g.id for g in groups]).values_list("id", flat=True)
    )
    if len(allowed) != len({g.id for g in groups}):
        raise Invalid(_("You cannot post to one of these groups."), code="not_allowed")
    if len({g.school_id for g in groups}) != 1:
        raise Invalid(_("A post goes to groups of one school."), code="schools")
    school_id = groups[0].school_id
    if draft.urgent and not schools_directed_by(acting_user).filter(id=school_id).exists():
        raise Invalid(_("Only the director can send an urgent post."), code="urgent")
    body = _check_draft(draft)
    with transaction.atomic():
        post = Post.objects.create(
            school_id=school_id,
            author=acting_user,
            kind=draft.kind,
            title=draft.title.strip()[:200],
            body=body,
            publish_at=draft.publish_at or timezone.now(),
            urgent=draft.urgent,
            awaiting_approval=_needs_approval(acting_user, groups),
            **_event_fields(draft),
        )
        PostGroup.objects.bulk_create([PostGroup(post=post, group=group) for group in groups])
        HelpTask.objects.bulk_create(
            [
                HelpTask(post=post, name=name.strip()[:200], places=places, position=index)
                for index, (name, places) in enumerate(draft.tasks if draft.kind == Post.Kind.HELP else [])
            ]
        )
        if media_files:
            try:
                check_attach_media(acting_user=acting_user, media_files=list(media_files), carrier=post)
            except MediaRefused as refused:
                raise Invalid(refused.message, code=refused.code) from refused
            # Photo consent: a tagged child without consent for these groups stops the post (names both).
            check_media_consent(media_files=list(media_files), groups=groups)
        if post.awaiting_approval:
            _ask_approval(post)
        record(
            actor=acting_user,
            action="post.created",
            target=post,
            school=post.school,
            groups=[group.public_id for group in groups],
            kind=post.kind,
            urgent=post.urgent,
        )
        do_publish_if_due(post=post)
    return post


def _needs_approval(user, groups: list[Group]) -> bool:
    """A class parent's post waits for a teacher when the school says so; staff posts never wait."""
    if StaffRole.objects.filter(user=user, school_id=groups[0].school_id).exists():
        return False
    if not class_parent_groups_of(user).filter(id__in=[g.id for g in groups]).exists():
        return False
    return timeline_settings(groups[0].school_id).class_parent_posts_need_approval


def _media_ids(post: Post) -> list[int]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        MediaFile.objects.filter(carrier_type=ContentType.objects.get_for_model(Post), carrier_id=post.id)
        .exclude(status=MediaFile.Status.FAILED)
        .values_list("id", flat=True)
    )


MEDIA_POLL = datetime.timedelta(seconds=15)
MEDIA_POLLS_MAX = 240  # an hour of waiting for files to finish processing


def do_publish_if_due(*, post: Post, attempt: int = 0, look_again: bool = True) -> bool:
    """Publish the post if it is approved, due and its files are ready; else look again later (unless
    `look_again` is off: a caller that is not the post's own publication task, whose looks are planned)."""
    if post.published_at is not None or post.awaiting_approval:
        return False
    now = timezone.now()
    if post.publish_at > now:
        if look_again:
            post_id, run_after = post.id, post.publish_at
            # robust here and below: do_publish_due_posts (the tick) publishes what a lost job left.
            transaction.on_commit(lambda: enqueue_publication(post_id, run_after=run_after), robust=True)
        return False
    media_ids = _media_ids(post)
    if not all_ready(media_ids):
        if look_again and attempt < MEDIA_POLLS_MAX:
            post_id, run_after = post.id, now + MEDIA_POLL
            transaction.on_commit(
                lambda: enqueue_publication(post_id, run_after=run_after, attempt=attempt + 1), robust=True
            )
        return False
    # Photo consent: faces nobody tagged are blurred before anyone sees them (a school setting, default on).
    files = list(MediaFile.objects.filter(id__in=media_ids).select_related("school"))
    do_blur_untagged(acting_user=post.author, media_files=files)
    if not Post.objects.filter(id=post.id, published_at__isnull=True).update(published_at=now):
        return False  # published by a concurrent call
    post.published_at = now
    record(actor=None, action="post.published", target=post, school=post.school)
    _announce(post)
    _schedule_reminder(post)
    return True


def do_publish_when_files_settled(*, post_id: int) -> None:
    """A file of this post is ready or failed: publish now if it was the last one it waited for, rather
    than at the next look (MEDIA_POLL) of its publication task, which stays planned as it was."""
    with transaction.atomic():
        post = Post.objects.select_related("school").filter(id=post_id).first()
        if post is not None:
            do_publish_if_due(post=post, look_again=False)


def _enqueue_later(task, *args, run_after: datetime.datetime) -> None:
    """Run a task later. A backend that cannot defer runs it now if it is due within a minute (its media
    work ran inline already); later work is left to the periodic publish_due_posts task."""
    if task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(*args)
    elif run_after <= timezone.now() + datetime.timedelta(minutes=1):
        task.enqueue(*args)


def enqueue_publication(post_id: int, *, run_after: datetime.datetime, attempt: int = 0) -> None:
    from posts.tasks import publish_post

    _enqueue_later(publish_post, post_id, attempt, run_after=run_after)


def _schedule_reminder(post: Post) -> None:
    from posts.tasks import remind_event

    # Only when the reminder moment is still ahead: a post with a close deadline was just announced.
    if post.is_event and post.respond_by is not None and post.respond_by - REMINDER_BEFORE > timezone.now():
        post_id, run_after = post.id, post.respond_by - REMINDER_BEFORE
        transaction.on_commit(lambda: _enqueue_later(remind_event, post_id, run_after=run_after))


def do_publish_due_posts() -> int:
    """Publish every post whose time has come and whose files are ready (a periodic safety net)."""
    published = 0
    due = Post.objects.filter(
        published_at__isnull=True, awaiting_approval=False, publish_at__lte=timezone.now()
    )
    for post in due.select_related("school")[:500]:
        with transaction.atomic():
            published += do_publish_if_due(post=post)
    return published


def staff_of_post(post: Post):
    """Teachers of the post's classes and, for a school-wide post, the school's staff."""
    group_ids = post.post_groups.values("group_id")
    from accounts.models import User

    return User.objects.filter(
        Q(id__in=TeachingAssignment.objects.filter(group_id__in=group_ids).values("teacher_id"))
        | Q(
            id__in=StaffRole.objects.filter(
                school__groups__in=Group.objects.filter(id__in=group_ids, kind=Group.Kind.SCHOOL)
            ).values("user_id")
        )
    )


def _announce(post: Post) -> None:
    from accounts.models import User

    recipients = (
        User.objects.filter(
            Q(id__in=audience_of(post).values("id")) | Q(id__in=staff_of_post(post).values("id"))
        )
        .exclude(id=post.author_id)
        .values_list("id", flat=True)
    )
    groups = _groups_named(post)
    params = _title_params(post, groups)
    if post.urgent:
        title, params = gettext_noop("Urgent message from %(school)s"), params | {"school": post.school.name}
        record(actor=post.author, action="post.urgent_sent", target=post, school=post.school)
    else:
        title = gettext_noop("%(group)s: %(title)s")  # "Groep 3: Schoolreis" (nameless: "New post in …")
    _notice(
        post,
        kind="post.published",
        actor_id=post.author_id,
        recipients=recipients,
        title=title,
        params=params,
        urgent=post.urgent,
        data=event_data(post, group_ids=[public_id for _name, public_id in groups]),
    )


def _groups_named(post: Post) -> list[tuple[str, str]]:
    """The post's groups as (name, public id), in their order."""
    return list(post.groups.order_by("kind", "name").values_list("name", "public_id"))


def _title_params(post: Post, groups: list[tuple[str, str]]) -> dict:
    """The words a post's notices are made of: its groups' names and its title. notifications composes
    the notice's title from them, and leaves the post's title out of a push to whoever turned that off."""
    return {"group": ", ".join(name for name, _public_id in groups), "title": plain_text(post.title)[:80]}


def _notice(
    post: Post, *, kind: str, actor_id, recipients, title: str, params: dict, data: dict, url="", urgent=False
) -> None:
    """Publish a notice about a post once the transaction commits."""
    publish_on_commit(
        Event(
            kind=kind,
            actor_id=actor_id,
            school_id=post.school_id,
            recipient_ids=tuple(sorted(recipients)),
            subject_type="post",
            subject_id=post.public_id,
            url=url or f"/posts/{post.public_id}/",
            title=title,
            title_params=params,
            urgent=urgent,
            data=data,
        )
    )


EVENT_TEXT_LIMIT = 2000  # the post's text in an event, for the email and the digest


def event_data(post: Post, *, group_ids: list[str]) -> dict:
    """What a post's event carries to its subscribers: its groups (for per-group preferences), its text."""
    text = "\n\n".join(part for part in (plain_text(post.title), plain_text(post.body)) if part)
    return {"group_ids": group_ids, "text": text[:EVENT_TEXT_LIMIT]}


def _check_approver(acting_user, post: Post) -> None:
    """Refuse unless the post waits for approval and the viewer may give it (posts_to_approve)."""
    if not post.awaiting_approval:
        raise Invalid(_("This post does not need approval."), code="not_pending")
    if not posts_to_approve(acting_user).filter(id=post.id).exists():
        if not Post.objects.filter(id=post.id, awaiting_approval=True).exists():  # approved meanwhile
            raise Invalid(_("This post does not need approval."), code="not_pending")
        raise Invalid(_("Only a teacher of this group or the director can approve it."), code="not_staff")


def check_approve_post(*, acting_user, post: Post) -> Post:
    """A teacher of the class or the director lets a class parent's post through; it goes out now, or at its
    time once its files are ready."""
    _check_approver(acting_user, post)
    with transaction.atomic():
        # Conditional: of two staff approving at once, one approves and the other is told it is done.
        if not Post.objects.filter(id=post.id, awaiting_approval=True).update(
            awaiting_approval=False, approved_by=acting_user
        ):
            raise Invalid(_("This post does not need approval."), code="not_pending")
        post.awaiting_approval, post.approved_by = False, acting_user
        record(actor=acting_user, action="post.approved", target=post, school=post.school)
        do_publish_if_due(post=post)
    return post


REJECT_REASON_MAX = 500


def check_reject_post(*, acting_user, post: Post, reason: str = "") -> None:
    """Refuse a class parent's post: it is removed, and its author is told in the app, with the reason.

    The reason is staff's words to one parent: it is shown in the author's list of notices only, never
    mailed or pushed (notifications.sending leaves `note` out)."""
    _check_approver(acting_user, post)
    reason = reason.strip()
    if len(reason) > REJECT_REASON_MAX:
        raise Invalid(_("A reason has at most 500 characters."), code="too_long")
    groups = _groups_named(post)
    with transaction.atomic():
        record(
            actor=acting_user,
            action="post.rejected",
            target=post,
            school=post.school,
            reason_given=bool(reason),
        )
        if post.author_id is not None:
            _notice(
                post,
                kind="post.rejected",
                actor_id=acting_user.id,
                recipients=[post.author_id],
                url="/posts/",
                title=gettext_noop("Not approved in %(group)s: %(title)s"),
                params=_title_params(post, groups),
                data={"group_ids": [public_id for _name, public_id in groups], "note": reason},
            )
        do_delete_post(acting_user=acting_user, post=post)


def _ask_approval(post: Post) -> None:
    """Tell the class's teachers and the director that a class parent's post waits for them."""
    groups = _groups_named(post)
    _notice(
        post,
        kind="post.awaiting_approval",
        actor_id=post.author_id,
        recipients=approvers_of(post).exclude(id=post.author_id).values_list("id", flat=True),
        url="/posts/approvals/",
        title=gettext_noop("To approve in %(group)s: %(title)s"),
        params=_title_params(post, groups),
        data={"group_ids": [public_id for _name, public_id in groups]},
    )


def check_not_read_only(post: Post, groups: list[PostGroupLabel] | None = None) -> None:
    """Refuse adding to a post of a class of an earlier school year (posts.queries.read_only); `groups`,
    the post's group labels when the caller has them already, saves reading them again."""
    if read_only(group_labels_of(post) if groups is None else groups):
        raise Invalid(
            _("This post is from a class of an earlier school year: it can be read, not added to."),
            code="read_only",
        )


def check_edit_post(*, acting_user, post: Post, draft: Draft, media_files=()) -> Post:
    """Only the author edits; a published post is marked as edited; tasks keep their sign-ups."""
    if post.author_id != acting_user.id:
        raise Invalid(_("Only the author can edit this post."), code="not_author")
    check_not_read_only(post)
    if draft.kind != post.kind:
        raise Invalid(_("The kind of a post cannot change."), code="kind")
    if draft.urgent != post.urgent:
        raise Invalid(_("Urgency cannot change after posting."), code="urgent")
    body = _check_draft(draft)
    with transaction.atomic():
        post.title, post.body = draft.title.strip()[:200], body
        for name, value in _event_fields(draft).items():
            setattr(post, name, value)
        update = ["title", "body", "starts_at", "ends_at", "location", "respond_by"]
        if post.is_published:
            post.edited_at = timezone.now()
            update.append("edited_at")
        post.save(update_fields=update)
        if post.is_help:
            _replace_tasks(post, draft.tasks)
        if media_files:
            # Photo consent, as at publishing: a tagged child without consent for the groups stops the edit.
            check_media_consent(media_files=list(media_files), groups=list(post.groups.all()))
            try:
                check_attach_media(acting_user=acting_user, media_files=list(media_files), carrier=post)
            except MediaRefused as refused:
                raise Invalid(refused.message, code=refused.code) from refused
        record(actor=acting_user, action="post.edited", target=post, school=post.school)
    return post


def _replace_tasks(post: Post, tasks: list[tuple[str, int]]) -> None:
    existing = list(post.tasks.select_for_update())
    if [(t.name, t.places) for t in existing] == [(n.strip(), p) for n, p in tasks]:
        return
    if any(task.taken for task in existing):
        for task, (_name, places) in zip(existing, tasks, strict=False):
            if places < task.taken:
                raise Invalid(_("A task cannot have fewer places than people signed up."), code="places")
        if len(tasks) < len(existing):
            raise Invalid(_("Tasks with sign-ups cannot be removed."), code="tasks")
    for index, (name, places) in enumerate(tasks):
        if index < len(existing):
            HelpTask.objects.filter(id=existing[index].id).update(name=name.strip()[:200], places=places)
        else:
            HelpTask.objects.create(post=post, name=name.strip()[:200], places=places, position=index)
    HelpTask.objects.filter(post=post, position__gte=len(tasks), taken=0).delete()


def do_delete_post(*, acting_user, post: Post) -> None:
    """Remove a post with its files, answers and receipts (author or staff of its groups)."""
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        files = MediaFile.objects.filter(
            carrier_type=ContentType.objects.get_for_model(Post), carrier_id=post.id
        )
        for media in files.select_related("school"):
            do_delete_media(acting_user=acting_user, media=media)
        record(actor=acting_user, action="post.deleted", target=post, school=post.school, title=post.title)
        post.delete()


def check_pin_post(*, acting_user, post: Post, pinned: bool) -> Post:
    """Staff of all the post's groups pin a published post, or unpin it (posts_staffed_by); its author,
    when not staff there (a class parent), does not."""
    if not posts_staffed_by(acting_user).filter(id=post.id).exists():
        raise Invalid(_("Only the staff of the post's groups can pin it."), code="not_staff")
    if pinned:
        if not post.is_published:
            raise Invalid(_("A post can be pinned once it is published."), code="not_published")
        check_not_read_only(post)
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["pinned_at"])
    record(
        actor=acting_user,
        action="post.pinned" if pinned else "post.unpinned",
        target=post,
        school=post.school,
    )
    return post


def do_mark_read(*, acting_user, post: Post) -> None:
    """Remember that the viewer opened a published post (once; later visits write nothing)."""
    if post.published_at is None:
        return
    PostRead.objects.bulk_create([PostRead(post=post, user=acting_user)], ignore_conflicts=True)


def check_rsvp(*, acting_user, post: Post, answer: str, people: int = 1, note: str | None = None) -> Rsvp:
    """A family's yes/no/maybe with how many come and a note for staff; the last answer before the deadline
    counts. A note of None keeps the family's earlier note."""
    if not post.is_event or not post.is_published:
        raise Invalid(_("This post is not an invitation."), code="not_event")
    if not post.is_open:
        raise Invalid(_("The deadline for answering has passed."), code="closed")
    check_not_read_only(post)
    if answer not in Rsvp.Answer.values:
        raise Invalid(_("Answer yes, no or maybe."), code="answer")
    people = 0 if answer == Rsvp.Answer.NO else people
    if not 0 <= people <= MAX_PEOPLE or (answer != Rsvp.Answer.NO and people < 1):
        raise Invalid(_("The number of people must be between 1 and 20."), code="people")
    if note is not None and len(note.strip()) > RSVP_NOTE_MAX:
        raise Invalid(_("A note has at most 300 characters."), code="too_long")
    pupil = family_for(acting_user, post)
    if pupil is None:
        raise Invalid(_("Only parents of this group can answer."), code="not_parent")
    with transaction.atomic():
        earlier = Rsvp.objects.select_for_update().filter(post=post, pupil=pupil).first()
        earlier_note = earlier.note if earlier else ""
        note = earlier_note if note is None else note.strip()
        rsvp, _created = Rsvp.objects.update_or_create(
            post=post,
            pupil=pupil,
            defaults={
                "answer": answer,
                "people": people,
                "note": note,
                "answered_by": acting_user,
                "answered_at": timezone.now(),
            },
        )
        flagged = []
        if note != earlier_note:
            # A note is text to staff: delivered always, with a flag beside it when it hits the lists.
            flagged = reflag_if_screened(item=rsvp, text=note, school=post.school).categories
        record(
            actor=acting_user,
            action="post.rsvp",
            target=post,
            school=post.school,
            answer=answer,
            people=people,
            **({"note_flagged": flagged} if flagged else {}),
        )
    return rsvp


def _check_open_help(task: HelpTask) -> None:
    if not task.post.is_open:
        raise Invalid(_("The deadline for signing up has passed."), code="closed")


def check_sign_up(*, acting_user, task: HelpTask) -> HelpSignup:
    """Take a place; never more sign-ups than places, also when many parents press at once."""
    _check_open_help(task)
    check_not_read_only(task.post)
    if family_for(acting_user, task.post) is None:
        raise Invalid(_("Only parents of this group can sign up."), code="not_parent")
    try:
        with transaction.atomic():
            # The conditional UPDATE is the lock: of many simultaneous callers, only as many as there are
            # free places see a row updated.
            if not HelpTask.objects.filter(id=task.id, taken__lt=F("places")).update(taken=F("taken") + 1):
                raise Invalid(_("This task is full."), code="full")
            signup = HelpSignup.objects.create(task=task, guardian=acting_user)
            record(
                actor=acting_user,
                action="help.signed_up",
                target=task.post,
                school=task.post.school,
                task=task.public_id,
            )
    except IntegrityError as exc:
        raise Invalid(_("You have already signed up for this task."), code="twice") from exc
    task.taken += 1
    return signup


def check_withdraw(*, acting_user, task: HelpTask) -> None:
    _check_open_help(task)
    check_not_read_only(task.post)
    with transaction.atomic():
        if not HelpSignup.objects.filter(task=task, guardian=acting_user).delete()[0]:
            raise Invalid(_("You have not signed up for this task."), code="not_signed_up")
        HelpTask.objects.filter(id=task.id).update(taken=F("taken") - 1)
        record(
            actor=acting_user,
            action="help.withdrawn",
            target=task.post,
            school=task.post.school,
            task=task.public_id,
        )


def do_send_event_reminders(
    *, before: datetime.timedelta = REMINDER_BEFORE, post_id: int | None = None
) -> int:
    """Remind the families that have not answered, once, some time before the RSVP deadline."""
    now = timezone.now()
    due = Post.objects.filter(
        shown_to_audience(),
        kind=Post.Kind.EVENT,
        reminder_sent_at__isnull=True,
        respond_by__gt=now,
        respond_by__lte=now + before,
    )
    if post_id is not None:
        due = due.filter(id=post_id)
    sent = 0
    for post in due.select_related("school"):
        with transaction.atomic():
            if not Post.objects.filter(id=post.id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            answered = post.rsvps.values("pupil_id")
            from schools.models import Guardianship

            answered_guardians = Guardianship.objects.filter(pupil_id__in=answered).values("guardian_id")
            recipients = audience_of(post).exclude(id__in=answered_guardians).values_list("id", flat=True)
            publish_on_commit(
                Event(
                    kind="event.reminder",
                    actor_id=None,
                    school_id=post.school_id,
                    recipient_ids=tuple(sorted(recipients)),
                    subject_type="post",
                    subject_id=post.public_id,
                    url=f"/posts/{post.public_id}/",
                    title=gettext_noop("Please answer the invitation: %(title)s"),
                    title_params=_title_params(post, _groups_named(post)),
                    data={
                        **event_data(post, group_ids=list(post.groups.values_list("public_id", flat=True))),
                        "respond_by": post.respond_by.isoformat(),
                    },
                )
            )
            record(actor=None, action="post.reminder_sent", target=post, school=post.school)
            sent += 1
    return sent


def do_rotate_calendar_feed(*, acting_user) -> str:
    """A new secret calendar address; the old one stops working at once. Returns the token (shown once)."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=acting_user, defaults={"token_hash": hash_token(token), "created_at": timezone.now()}
        )
        record(actor=acting_user, action="calendar.rotated")
    return token


def do_revoke_calendar_feed(*, acting_user) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(user=acting_user).delete()
        record(actor=acting_user, action="calendar.revoked")
