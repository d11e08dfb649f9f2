"""The conversations API: inbox, threads, sending, read state, closing, availability and school settings.

The same actions and access functions as the pages. Photos and documents: upload them first through
the media API (POST /api/v1/media/uploads) and pass their ids as `media_ids`.
"""

import datetime

from ninja import Router, Schema, Status

from conversations import actions
from conversations.access import (
    access_addressable_pupil,
    access_conversation,
    access_guardians,
    access_staff_school,
)
from conversations.availability import availabilities_of, messaging_of, who_reads_lines
from conversations.queries import INBOX_PAGE_SIZE, guardians_of, inbox, thread_page, unread_count
from core.api_schema import LocalTime
from media.access import access_own_uploads
from media.queries import rendition_urls
from schools.access import access_school_admin
from schools.queries import teachers_of_group

router = Router(tags=["conversations"])


class ConversationPersonOut(Schema):
    id: str
    name: str


class ConversationOut(Schema):
    id: str
    subject: str
    pupil: ConversationPersonOut
    group: str | None
    school_year: str
    last_message_at: datetime.datetime
    last_message_by: str | None
    unread: bool
    closed: bool


class FileOut(Schema):
    id: str
    kind: str
    status: str
    name: str
    renditions: dict[str, str]


class MessageOut(Schema):
    id: str
    author: ConversationPersonOut | None
    body: str
    created_at: datetime.datetime
    hidden: bool
    files: list[FileOut]


class ThreadOut(ConversationOut):
    readers: list[ConversationPersonOut]
    seen_by: list[ConversationPersonOut]
    can_write: bool
    archived: bool
    messages: list[MessageOut]


class ConversationsUnreadOut(Schema):
    unread: int


class StartIn(Schema):
    pupil_id: str
    subject: str
    body: str = ""
    media_ids: list[str] = []
    # Staff only: the guardians to address (all of the pupil's guardians when left out).
    guardian_ids: list[str] | None = None


class SendIn(Schema):
    body: str = ""
    media_ids: list[str] = []


class NoticeOut(Schema):
    teachers: list[ConversationPersonOut]
    notice: list[str]


class AvailabilityIO(Schema):
    days: list[int]
    starts_at: LocalTime
    ends_at: LocalTime


class SchoolSettingsIO(Schema):
    reply_days: int
    phone: str


def person(user) -> dict | None:
    return {"id": user.public_id, "name": user.full_name} if user else None


def conversation_out(conversation, *, unread: bool) -> dict:
    return {
        "id": conversation.public_id,
        "subject": conversation.subject,
        "pupil": {"id": conversation.pupil.public_id, "name": conversation.pupil.full_name},
        "group": conversation.group.name if conversation.group_id else None,
        "school_year": conversation.school_year.name,
        "last_message_at": conversation.last_message_at,
        "last_message_by": conversation.last_message_by.full_name if conversation.last_message_by else None,
        "unread": unread,
        "closed": conversation.is_closed,
    }


def thread_out(viewer, conversation) -> dict:
    page = thread_page(viewer, conversation)
    messages = [
        {
            "id": message.public_id,
            "author": person(message.author),
            "body": message.body,
            "created_at": message.created_at,
            "hidden": message.hidden_at is not None,
            "files": [
                {
                    "id": media.public_id,
                    "kind": media.kind,
                    "status": media.status,
                    "name": media.original_name,
                    "renditions": rendition_urls(media),
                }
                for media in message.files
            ],
        }
        for message in page.messages
    ]
    return {
        **conversation_out(conversation, unread=page.unread),
        "readers": [person(user) for user in page.readers],
        "seen_by": [person(user) for user in page.seen_by],
        "can_write": page.can_write,
        "archived": page.archived,
        "messages": messages,
    }


@router.get("/", response=list[ConversationOut], url_name="conversations")
def conversations(request, archive: bool = False, page: int = 1):
    """Your conversations of this school year, newest first, 30 a page; `archive=true` for earlier years."""
    rows = inbox(request.auth, archive=archive, page=page)[:INBOX_PAGE_SIZE]
    return [conversation_out(c, unread=c.unread) for c in rows]


@router.post("/", response={201: ThreadOut}, url_name="conversation_start")
def start(request, payload: StartIn):
    """Start a conversation about a pupil: a parent writes to the teachers of their child's class; staff
    write to one or more of the pupil's guardians."""
    viewer = request.auth
    enrolment, pupil = access_addressable_pupil(viewer, payload.pupil_id)
    media_files = access_own_uploads(viewer, payload.media_ids) if payload.media_ids else []
    if enrolment is not None:
        conversation = actions.check_start_with_class(
            acting_user=viewer,
            enrolment=enrolment,
            subject=payload.subject,
            body=payload.body,
            media_files=media_files,
        )
    else:
        guardians = (
            guardians_of(pupil)
            if payload.guardian_ids is None
            else access_guardians(pupil, payload.guardian_ids)
        )
        conversation = actions.check_start_with_guardians(
            acting_user=viewer,
            pupil=pupil,
            guardians=guardians,
            subject=payload.subject,
            body=payload.body,
            media_files=media_files,
        )
    return Status(201, thread_out(viewer, access_conversation(viewer, conversation.public_id)))


@router.get("/unread", response=ConversationsUnreadOut, url_name="conversations_unread")
def unread(request):
    """How many conversations have a message you have not read."""
    return {"unread": unread_count(request.auth)}


@router.get("/notice/{pupil_id}", response=NoticeOut, url_name="conversations_notice")
def notice(request, pupil_id: str):
    """Before a parent writes about their child: who will read it and when, and the school's promise."""
    enrolment, pupil = access_addressable_pupil(request.auth, pupil_id)
    if enrolment is None:
        return {"teachers": [], "notice": []}
    teachers = list(teachers_of_group(enrolment.group))
    return {
        "teachers": [person(t) for t in teachers],
        "notice": who_reads_lines(teachers=teachers, school=enrolment.group.school),
    }


@router.get("/availability/{school_id}", response=AvailabilityIO, url_name="conversations_availability")
def availability(request, school_id: str):
    """Your working days (ISO weekdays, Monday = 1) and hours at a school where you work."""
    school = access_staff_school(request.auth, school_id)
    hours = availabilities_of(users=[request.auth], school=school)[request.auth.id]
    return {"days": hours.weekdays, "starts_at": hours.starts_at, "ends_at": hours.ends_at}


@router.put(
    "/availability/{school_id}",
    response={200: AvailabilityIO},
    url_name="conversations_availability_save",
)
def availability_save(request, school_id: str, payload: AvailabilityIO):
    school = access_staff_school(request.auth, school_id)
    hours = actions.check_save_availability(acting_user=request.auth, school=school, **payload.dict())
    return Status(200, {"days": hours.weekdays, "starts_at": hours.starts_at, "ends_at": hours.ends_at})


@router.get("/schools/{school_id}/settings", response=SchoolSettingsIO, url_name="conversations_school")
def school_settings(request, school_id: str):
    """The school's reply promise (working days) and phone number for urgent matters (director, office)."""
    messaging = messaging_of(access_school_admin(request.auth, school_id))
    return {"reply_days": messaging.reply_days, "phone": messaging.phone}


@router.put(
    "/schools/{school_id}/settings",
    response={200: SchoolSettingsIO},
    url_name="conversations_school_save",
)
def school_settings_save(request, school_id: str, payload: SchoolSettingsIO):
    school = access_school_admin(request.auth, school_id)
    messaging = actions.check_save_school_messaging(acting_user=request.auth, school=school, **payload.dict())
    return Status(200, {"reply_days": messaging.reply_days, "phone": messaging.phone})


@router.get("/{conversation_id}", response=ThreadOut, url_name="conversation")
def conversation(request, conversation_id: str):
    """A thread with its messages, who reads it and who has seen the last message."""
    return thread_out(request.auth, access_conversation(request.auth, conversation_id))


@router.post("/{conversation_id}/messages", response={201: MessageOut}, url_name="conversation_send")
def send(request, conversation_id: str, payload: SendIn):
    conversation = access_conversation(request.auth, conversation_id)
    media_files = access_own_uploads(request.auth, payload.media_ids) if payload.media_ids else []
    message = actions.check_send_message(
        acting_user=request.auth, conversation=conversation, body=payload.body, media_files=media_files
    )
    out = {
        "id": message.public_id,
        "author": person(request.auth),
        "body": message.body,
        "created_at": message.created_at,
        "hidden": False,
        "files": [],
    }
    return Status(201, out)


@router.post("/{conversation_id}/read", response={204: None}, url_name="conversation_read")
def read(request, conversation_id: str):
    """Mark the conversation read up to now."""
    actions.do_mark_read(viewer=request.auth, conversation=access_conversation(request.auth, conversation_id))
    return Status(204, None)


@router.post("/{conversation_id}/close", response={204: None}, url_name="conversation_close")
def close(request, conversation_id: str):
    """Staff: close the conversation (it stays readable)."""
    conversation = access_conversation(request.auth, conversation_id, write=True)
    actions.do_close(acting_user=request.auth, conversation=conversation)
    return Status(204, None)


@router.post("/{conversation_id}/reopen", response={204: None}, url_name="conversation_reopen")
def reopen(request, conversation_id: str):
    conversation = access_conversation(request.auth, conversation_id, write=True)
    actions.do_reopen(acting_user=request.auth, conversation=conversation)
    return Status(204, None)


@router.post("/{conversation_id}/director", response={204: None}, url_name="conversation_director")
def add_director(request, conversation_id: str):
    """Let the school's director read along."""
    conversation = access_conversation(request.auth, conversation_id)
    actions.check_add_director(acting_user=request.auth, conversation=conversation)
    return Status(204, None)
