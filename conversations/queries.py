"""Viewer-scoped reads of conversations: each is one query (or a fixed few), whatever the inbox holds."""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from conversations.models import Conversation, Message, Participant
from core.compiled import viewer_subquery
from core.viewer import is_signed_in, is_two_factor_verified
from media.models import MediaFile
from media.queries import files_shown_to, sort_by_kind, with_display
from schools.models import Enrolment, Group, Guardianship, StaffRole, TeachingAssignment
from schools.queries import (
    current_enrolments,
    current_school_year_ids,
    current_school_years,
    pupils_visible_to,
    staff_roles_of,
    teachers_of_group,
)

INBOX_PAGE_SIZE = 30  # a phone shows about eight; older ones are a tap away


def conversations_visible_to(viewer) -> QuerySet[Conversation]:
    """Member participants, and (after two-factor) every teacher of a class conversation's group.

    The rule is `_visible_ids`; it filters every read of conversations and messages, so its SQL is compiled
    once (core.compiled) and nested in each query: building it cost the inbox more than the rest of it."""
    if not is_signed_in(viewer):
        return Conversation.objects.none()
    return Conversation.objects.filter(id__in=viewer_subquery(viewer, _visible_ids, day=None))


def _visible_ids(viewer) -> QuerySet:
    """THE rule for conversations, stated for conversations_visible_to (which compiles it once)."""
    visible = Q(id__in=Participant.objects.filter(user=viewer, is_member=True).values("conversation_id"))
    if is_two_factor_verified(viewer):
        visible |= Q(group_id__in=TeachingAssignment.objects.filter(teacher=viewer).values("group_id"))
    return Conversation.objects.filter(visible).order_by().values("id")


def conversations_managed_by(viewer) -> QuerySet[Conversation]:
    """Visible conversations of schools where the viewer is staff: they may close and reopen them."""
    return conversations_visible_to(viewer).filter(school_id__in=staff_roles_of(viewer).values("school_id"))


def with_unread(conversations: QuerySet[Conversation], viewer) -> QuerySet[Conversation]:
    """Annotate `unread`: someone else wrote after the viewer last read (or the viewer never read)."""
    # By id: a request's user is a lazy proxy, and each model value in a filter is read through it.
    last_read = Participant.objects.filter(conversation=OuterRef("pk"), user_id=viewer.pk).values(
        "last_read_at"
    )[:1]
    return conversations.annotate(my_last_read=Subquery(last_read)).annotate(
        unread=Case(
            When(Q(last_message_by_id=viewer.pk), then=Value(False)),
            When(Q(my_last_read__isnull=True) | Q(my_last_read__lt=F("last_message_at")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def inbox(viewer, *, archive: bool = False, page: int = 1) -> list[Conversation]:
    """A page of this school year's conversations, newest first (archive: earlier years). One query.

    One row more than a page is read, so the caller knows whether an older page exists.
    """
    current = Q(school_year_id__in=current_school_year_ids())
    conversations = conversations_visible_to(viewer).filter(~current if archive else current)
    start = (max(page, 1) - 1) * INBOX_PAGE_SIZE
    related = with_unread(conversations, viewer).select_related(
        "pupil", "group", "school_year", "last_message_by"
    )
    return list(related[start : start + INBOX_PAGE_SIZE + 1])


def unread_count(viewer) -> int:
    """How many visible conversations have news for the viewer: one query."""
    if not is_signed_in(viewer):
        return 0
    return with_unread(conversations_visible_to(viewer), viewer).filter(unread=True).count()


def is_archived(conversation: Conversation) -> bool:
    return not current_school_years().filter(id=conversation.school_year_id).exists()


def messages_of(conversation: Conversation, *, viewer) -> list[Message]:
    """The thread's messages the viewer is shown, with author and the files media shows the viewer
    (three queries)."""
    messages = list(
        messages_visible_to(viewer).filter(conversation=conversation).select_related("author", "conversation")
    )
    files = files_shown_to(viewer, Message, [message.id for message in messages]) if messages else []
    by_message: dict[int, list[MediaFile]] = {}
    for media in with_display(files):
        by_message.setdefault(media.carrier_id, []).append(media)
    for message in messages:
        sort_by_kind(message, by_message.get(message.id, []))
    return messages


def participants_of(conversation: Conversation) -> list[Participant]:
    return list(conversation.participants.select_related("user").order_by("user__first_name"))


def seen_by(participants: list[Participant], message: Message | None) -> list:
    """The people other than the author who have read up to `message`."""
    if message is None:
        return []
    return [
        p.user
        for p in participants
        if p.user_id != message.author_id and p.last_read_at and p.last_read_at >= message.created_at
    ]


def recipients_of(conversation: Conversation):
    """Everyone who receives new messages: member participants and the group's teachers (one query), each
    with `works_here`: whether they are staff of the conversation's school (quiet mode applies to them)."""
    from accounts.models import User

    members = Q(participations__conversation=conversation, participations__is_member=True)
    if conversation.group_id:
        members |= Q(teaching__group_id=conversation.group_id)
    staff_here = StaffRole.objects.filter(school_id=conversation.school_id, user=OuterRef("pk"))
    return User.objects.filter(members).distinct().annotate(works_here=Exists(staff_here))


def children_to_write_about(viewer) -> QuerySet[Enrolment]:
    """The viewer's children in a class this year, with that class: one query."""
    if not is_signed_in(viewer):
        return Enrolment.objects.none()
    return (
        current_enrolments()
        .filter(pupil__guardianships__guardian=viewer, group__kind=Group.Kind.CLASS)
        .select_related("pupil", "group__school")
        .order_by("pupil__first_name")
    )


def staff_pupils(viewer) -> QuerySet:
    """Pupils the viewer may write to as staff: those of classes taught, all for director and office."""
    pupils = pupils_visible_to(viewer).filter(school_id__in=staff_roles_of(viewer).values("school_id"))
    return pupils.exclude(guardianships__guardian=viewer)


def pupils_to_write_about(viewer, *, q: str = "") -> list:
    from schools.queries import matching

    return list(
        matching(staff_pupils(viewer), q, "first_name", "last_name").order_by("first_name", "last_name")[:50]
    )


def guardians_of(pupil) -> list:
    return [g.guardian for g in Guardianship.objects.filter(pupil=pupil).select_related("guardian")]


def messages_visible_to(viewer) -> QuerySet[Message]:
    """THE rule for messages: those of conversations the viewer sees; one that moderation hid (or held
    for review) only for the staff of the conversation's school. Thread pages, the API and a message's
    files (media's carrier) all start here."""
    if not is_signed_in(viewer):
        return Message.objects.none()
    staff_schools = staff_roles_of(viewer).values("school_id")
    shown = Q(hidden_at__isnull=True) | Q(conversation__school_id__in=staff_schools)
    return Message.objects.filter(shown, conversation__in=conversations_visible_to(viewer))


@dataclass
class ThreadPage:
    conversation: Conversation
    messages: list
    participants: list
    readers: list  # who reads the thread: members and the class's teachers
    teachers: list  # the class's teachers (empty for a conversation started by staff)
    seen_by: list  # who has read the last message (besides its author)
    is_staff: bool  # the viewer works at the conversation's school: may close and reopen
    archived: bool
    unread: bool  # something new for the viewer since they last read

    @property
    def can_write(self) -> bool:
        return not self.conversation.is_closed and not self.archived


def thread_page(viewer, conversation: Conversation) -> ThreadPage:
    """Everything the thread page shows, in a fixed number of queries."""
    is_staff = staff_roles_of(viewer).filter(school_id=conversation.school_id).exists()
    messages = messages_of(conversation, viewer=viewer)
    participants = participants_of(conversation)
    readers = [p.user for p in participants if p.is_member]
    teachers = list(teachers_of_group(conversation.group)) if conversation.group_id else []
    readers += [teacher for teacher in teachers if teacher not in readers]
    mine = next((p for p in participants if p.user_id == viewer.id), None)
    unread = mine is None or mine.last_read_at is None or mine.last_read_at < conversation.last_message_at
    return ThreadPage(
        conversation=conversation,
        messages=messages,
        participants=participants,
        readers=readers,
        teachers=teachers,
        seen_by=seen_by(participants, messages[-1] if messages else None),
        is_staff=is_staff,
        archived=is_archived(conversation),
        unread=unread,
    )
