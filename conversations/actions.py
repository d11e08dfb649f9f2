"""Every state change of conversations: start, send, read, close, add the director, set availability.

Sending is one function, `check_send_message`, so hooks (moderation, consent) have one place to go.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from conversations.availability import availabilities_of, next_working_moment
from conversations.models import (
    MESSAGE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Availability,
    Conversation,
    Message,
    Participant,
    SchoolMessaging,
    StaffNotice,
)
from conversations.queries import is_archived, recipients_of
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from media.actions import check_attach_media, check_upload
from media.failures import files_per_post, too_many_files_message
from moderation.hooks import flag_if_screened, muted_user_ids
from schools.models import StaffRole
from schools.queries import current_school_year_of


class Refused(Invalid):
    """A message or setting that cannot be saved (422); `message` says why in the user's language."""


def check_text(body: str, *, has_files: bool = False) -> str:
    body = (body or "").strip()
    if not body and not has_files:
        raise Refused(_("Write a message first."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise Refused(
            _("A message can be at most %(max)d characters; this one has %(count)d.")
            % {"max": MESSAGE_MAX_LENGTH, "count": len(body)}
        )
    return body


def check_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise Refused(_("Give the conversation a subject."))
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise Refused(_("A subject can be at most %(max)d characters.") % {"max": SUBJECT_MAX_LENGTH})
    return subject


def _new_conversation(*, acting_user, pupil, school, group, subject: str, members: list) -> Conversation:
    school_year = current_school_year_of(school)
    if school_year is None:
        raise Refused(_("The school year has not started yet."))
    conversation = Conversation.objects.create(
        school=school,
        school_year=school_year,
        pupil=pupil,
        group=group,
        subject=subject,
        started_by=acting_user,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=user, is_member=True) for user in dict.fromkeys(members)]
    )
    record(actor=acting_user, action="conversation.started", target=conversation, school=school)
    return conversation


def check_start_with_class(
    *, acting_user, enrolment, subject: str, body: str, uploads=(), media_files=()
) -> Conversation:
    """A parent writes to the teachers of their child's class (the enrolment says which child and class)."""
    subject = check_subject(subject)
    check_text(body, has_files=bool(uploads or media_files))
    group = enrolment.group
    with transaction.atomic():
        conversation = _new_conversation(
            acting_user=acting_user,
            pupil=enrolment.pupil,
            school=group.school,
            group=group,
            subject=subject,
            members=[acting_user],
        )
        check_send_message(
            acting_user=acting_user,
            conversation=conversation,
            body=body,
            uploads=uploads,
            media_files=media_files,
        )
    return conversation


def check_start_with_guardians(
    *, acting_user, pupil, guardians: list, subject: str, body: str, uploads=(), media_files=()
) -> Conversation:
    """Staff write to one guardian of a pupil, or to several together (each guardian is a member)."""
    subject = check_subject(subject)
    check_text(body, has_files=bool(uploads or media_files))
    if not guardians:
        raise Refused(_("Choose at least one parent."))
    with transaction.atomic():
        conversation = _new_conversation(
            acting_user=acting_user,
            pupil=pupil,
            school=pupil.school,
            group=None,
            subject=subject,
            members=[acting_user, *guardians],
        )
        check_send_message(
            acting_user=acting_user,
            conversation=conversation,
            body=body,
            uploads=uploads,
            media_files=media_files,
        )
    return conversation


def check_send_message(
    *, acting_user, conversation: Conversation, body: str, uploads=(), media_files=()
) -> Message:
    """Validate and add a message (text, uploads from a form, or API uploads by id) and tell the others."""
    body = check_text(body, has_files=bool(uploads or media_files))
    if conversation.is_closed:
        raise Refused(_("This conversation is closed."))
    if is_archived(conversation):
        raise Refused(_("This conversation is archived with its school year; start a new one."))
    if len(uploads) + len(media_files) > files_per_post():
        raise Refused(too_many_files_message())
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation, author=acting_user, body=body, created_at=now
        )
        # Screening never drops a message: a hit is delivered with a flag for staff (moderation).
        flag_if_screened(item=message, text=body, school=conversation.school)
        if media_files:
            check_attach_media(acting_user=acting_user, media_files=list(media_files), carrier=message)
        for upload in uploads:
            check_upload(acting_user=acting_user, school=conversation.school, upload=upload, carrier=message)
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=now, last_message_by=acting_user
        )
        conversation.last_message_at, conversation.last_message_by = now, acting_user
        do_mark_read(viewer=acting_user, conversation=conversation, at=now)
        _announce(message)
    return message


def _announce(message: Message) -> None:
    """Record each staff recipient's quiet-mode moment and publish message.created (after commit).

    Staff hear of it at the next moment inside their working hours; everyone else at once.
    """
    conversation = message.conversation
    muted = muted_user_ids(conversation)  # parents who muted the thread (moderation)
    recipients = [
        user for user in recipients_of(conversation) if user.id != message.author_id and user.id not in muted
    ]
    staff = [user for user in recipients if user.works_here]
    hours = availabilities_of(users=staff, school=conversation.school) if staff else {}
    notices = []
    waiting: dict[str | None, list[int]] = {}  # deliver_after → recipient ids
    for user in recipients:
        later = next_working_moment(hours[user.id], message.created_at) if user.works_here else None
        if user.works_here:
            notices.append(
                StaffNotice(message=message, recipient=user, notify_at=later or message.created_at)
            )
        waiting.setdefault(later.isoformat() if later else None, []).append(user.id)
    StaffNotice.objects.bulk_create(notices)
    author = message.author
    for deliver_after, recipient_ids in waiting.items():
        publish_on_commit(
            Event(
                kind="message.created",
                actor_id=message.author_id,
                school_id=conversation.school_id,
                recipient_ids=tuple(recipient_ids),
                subject_type="conversation",
                subject_id=conversation.public_id,
                url=conversation.get_absolute_url(),
                title=gettext_noop("New message from %(name)s"),
                title_params={"name": author.full_name if author else ""},
                deliver_after=deliver_after,
                data={"message_id": message.public_id},
            )
        )


def do_mark_read(*, viewer, conversation: Conversation, at=None) -> None:
    """Remember that the viewer has read the conversation up to now (a class teacher gets a row)."""
    at = at or timezone.now()
    updated = Participant.objects.filter(conversation=conversation, user=viewer).update(last_read_at=at)
    if not updated:
        Participant.objects.create(conversation=conversation, user=viewer, is_member=False, last_read_at=at)


def do_close(*, acting_user, conversation: Conversation) -> None:
    """Staff end a conversation: it stays readable, nobody can add to it until it is reopened."""
    conversation.closed_at, conversation.closed_by = timezone.now(), acting_user
    with transaction.atomic():
        conversation.save(update_fields=["closed_at", "closed_by"])
        record(
            actor=acting_user, action="conversation.closed", target=conversation, school=conversation.school
        )


def do_reopen(*, acting_user, conversation: Conversation) -> None:
    conversation.closed_at, conversation.closed_by = None, None
    with transaction.atomic():
        conversation.save(update_fields=["closed_at", "closed_by"])
        record(
            actor=acting_user, action="conversation.reopened", target=conversation, school=conversation.school
        )


def check_add_director(*, acting_user, conversation: Conversation) -> list:
    """Let the school's director(s) read along; they become members and see it as unread."""
    from accounts.models import User

    directors = list(
        User.objects.filter(
            staff_roles__school=conversation.school, staff_roles__role=StaffRole.Role.DIRECTOR
        )
    )
    if not directors:
        raise Refused(_("This school has no director in Schoolplein."))
    with transaction.atomic():
        for director in directors:
            Participant.objects.update_or_create(
                conversation=conversation, user=director, defaults={"is_member": True}
            )
        record(
            actor=acting_user,
            action="conversation.director_added",
            target=conversation,
            school=conversation.school,
            directors=[d.public_id for d in directors],
        )
    return directors


def check_save_availability(*, acting_user, school, days: list[int], starts_at, ends_at) -> Availability:
    days = sorted({int(day) for day in days})
    if not days or any(day < 1 or day > 7 for day in days):
        raise Refused(_("Choose at least one working day."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise Refused(_("The end of your working day must be after its start."))
    availability, _created = Availability.objects.update_or_create(
        user=acting_user,
        school=school,
        defaults={"days": "".join(str(day) for day in days), "starts_at": starts_at, "ends_at": ends_at},
    )
    return availability


def check_save_school_messaging(*, acting_user, school, reply_days: int, phone: str) -> SchoolMessaging:
    if reply_days is None or not 1 <= reply_days <= 20:
        raise Refused(_("The reply promise must be between 1 and 20 working days."))
    phone = " ".join((phone or "").split())
    if len(phone) > 30:
        raise Refused(_("A phone number can be at most 30 characters."))
    with transaction.atomic():
        messaging, _created = SchoolMessaging.objects.update_or_create(
            school=school, defaults={"reply_days": reply_days, "phone": phone}
        )
        record(
            actor=acting_user,
            action="conversations.settings_changed",
            school=school,
            reply_days=reply_days,
            phone=phone,
        )
    return messaging
