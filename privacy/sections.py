"""What an access export holds: one function per kind of data, each reading through the owner of its
visibility rule (children_of, groups_visible_to, messages_visible_to, visible_media), never a copy of it.

A guardian's export is what the platform holds about them and their children, seen as they see it: other
people appear only as far as the guardian already saw them (a teacher's name, a message written to them).
A pupil's export (made by the director) is what the school holds about that child.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def when(value) -> str | None:
    return value.isoformat() if value else None


def name_of(user, *, viewer=None) -> str:
    if user is None:
        return str(_("former parent"))
    if viewer is not None and user.pk == viewer.pk:
        return str(_("you"))
    return user.full_name or str(_("someone at the school"))


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict] = field(default_factory=list)


# --- A guardian's own data ----------------------------------------------------------------------------


def profile(user) -> list[dict]:
    return [
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.language,
            "joined": when(user.date_joined),
            "activated": when(user.activated_at),
            "last_sign_in": when(user.last_login),
        }
    ]


def children(user) -> list[dict]:
    from schools.queries import children_of

    rows = []
    for pupil in (
        children_of(user).select_related("school").prefetch_related("enrolments__group__school_year")
    ):
        rows.append(
            {
                "first_name": pupil.first_name,
                "last_name": pupil.last_name,
                "date_of_birth": when(pupil.date_of_birth),
                "school": pupil.school.name,
                "groups": [
                    {
                        "group": enrolment.group.name,
                        "school_year": enrolment.group.school_year.name
                        if enrolment.group.school_year
                        else "",
                        "left_on": when(enrolment.left_on),
                    }
                    for enrolment in pupil.enrolments.all()
                ],
            }
        )
    return rows


def groups(user) -> list[dict]:
    from schools.queries import groups_visible_to

    return [
        {"group": group.name, "school": group.school.name, "kind": group.get_kind_display()}
        for group in groups_visible_to(user).select_related("school").order_by("school__name", "name")
    ]


def posts(user) -> list[dict]:
    from posts.models import Post

    return [
        {
            "title": post.title,
            "text": post.body,
            "kind": post.get_kind_display(),
            "groups": [link.group.name for link in post.post_groups.all()],
            "published": when(post.published_at),
            "created": when(post.created_at),
        }
        for post in Post.objects.filter(author=user)
        .prefetch_related("post_groups__group")
        .order_by("created_at")
    ]


def comments(user) -> list[dict]:
    from posts.models import Comment

    return [
        {"post": comment.post.title, "text": comment.body, "written": when(comment.created_at)}
        for comment in Comment.objects.filter(author=user).select_related("post").order_by("created_at")
    ]


def reactions(user) -> list[dict]:
    from posts.models import Reaction

    return [
        {"post": reaction.post.title, "reaction": reaction.get_kind_display()}
        for reaction in Reaction.objects.filter(user=user).select_related("post").order_by("id")
    ]


def rsvps(user) -> list[dict]:
    from posts.models import HelpSignup, Rsvp

    rows = [
        {
            "event": rsvp.post.title,
            "child": rsvp.pupil.first_name,
            "answer": rsvp.get_answer_display(),
            "people": rsvp.people,
            "note": rsvp.note,
            "answered": when(rsvp.answered_at),
        }
        for rsvp in Rsvp.objects.filter(answered_by=user)
        .select_related("post", "pupil")
        .order_by("answered_at")
    ]
    rows += [
        {
            "help_request": signup.task.post.title,
            "task": signup.task.name,
            "signed_up": when(signup.signed_up_at),
        }
        for signup in HelpSignup.objects.filter(guardian=user)
        .select_related("task__post")
        .order_by("signed_up_at")
    ]
    return rows


def messages(user) -> list[dict]:
    """Every message of every conversation the guardian sees, as the thread shows it to them."""
    from conversations.models import Message
    from conversations.queries import messages_visible_to
    from media.models import MediaFile
    from media.queries import files_shown_to

    shown = list(
        messages_visible_to(user)
        .select_related("conversation__pupil", "conversation__group", "author")
        .order_by("conversation_id", "created_at", "id")
    )
    files: dict[int, list[str]] = {}
    for media in files_shown_to(user, Message, [message.id for message in shown]).filter(
        status=MediaFile.Status.READY
    ):
        files.setdefault(media.carrier_id, []).append(media.original_name)
    return [
        {
            "conversation": message.conversation.subject,
            "about": message.conversation.pupil.first_name,
            "group": message.conversation.group.name if message.conversation.group else "",
            "from": name_of(message.author, viewer=user),
            "text": message.body,
            "sent": when(message.created_at),
            "attachments": files.get(message.id, []),
        }
        for message in shown
    ]


def absences(user) -> list[dict]:
    from absences.kinds import label_of, with_kind_words
    from absences.models import Absence, LeaveRequest
    from schools.queries import children_of

    mine = children_of(user).values("id")
    rows = [
        {
            "child": absence.pupil.first_name,
            "kind": label_of(absence),
            "from": when(absence.starts_on),
            "until": when(absence.ends_on),
            "note": absence.note,
            "reported_by": name_of(absence.reported_by, viewer=user),
            "reported": when(absence.created_at),
            "withdrawn": when(absence.withdrawn_at),
        }
        for absence in with_kind_words(Absence.objects.filter(pupil__in=mine))
        .select_related("pupil", "reported_by")
        .order_by("starts_on")
    ]
    rows += [
        {
            "child": leave.pupil.first_name,
            "kind": leave.get_kind_display(),
            "from": when(leave.starts_on),
            "until": when(leave.ends_on),
            "reason": leave.reason,
            "status": leave.get_status_display(),
            "decision": leave.decision_reason,
            "requested": when(leave.created_at),
        }
        for leave in LeaveRequest.objects.filter(pupil__in=mine).select_related("pupil").order_by("starts_on")
    ]
    return rows


def consent(user) -> list[dict]:
    from consent.models import Answer, AnswerChange

    rows = [
        {
            "child": answer.pupil.first_name,
            "purpose": answer.version.name,
            "version": answer.version.number,
            "answer": str(_("yes")) if answer.given else str(_("no")),
            "since": when(answer.changed_at),
        }
        for answer in Answer.objects.filter(guardian=user)
        .select_related("pupil", "version")
        .order_by("pupil_id")
    ]
    rows += [
        {
            "child": change.pupil.first_name,
            "purpose": change.version.name,
            "version": change.version.number,
            "changed": when(change.changed_at),
            "before": change.old,
            "after": change.new,
            "changed_by": name_of(change.changed_by, viewer=user),
        }
        for change in AnswerChange.objects.filter(guardian=user)
        .select_related("pupil", "version", "changed_by")
        .order_by("changed_at")
    ]
    return rows


def notifications(user) -> list[dict]:
    from notifications.models import Notification, Preference, PushSubscription, Settings

    rows = [
        {"quiet_from": when(s.quiet_from), "quiet_until": when(s.quiet_until), "weekly_digest": s.digest}
        for s in Settings.objects.filter(user=user)
    ]
    rows += [
        {
            "notice": preference.kind,
            "group": preference.group.name if preference.group else "",
            "push": preference.push,
            "email": preference.email,
            "digest": preference.digest,
        }
        for preference in Preference.objects.filter(user=user).select_related("group")
    ]
    rows += [
        {"push_device_added": when(sub.created_at)} for sub in PushSubscription.objects.filter(user=user)
    ]
    rows += [
        {
            "notification": notification.dispatch.display_title,
            "at": when(notification.created_at),
            "read": when(notification.read_at),
        }
        for notification in Notification.objects.filter(user=user)
        .select_related("dispatch")
        .order_by("created_at")
    ]
    return rows


def devices(user) -> list[dict]:
    from accounts.models import ApiToken, UserSession
    from posts.models import CalendarFeed

    rows = [
        {
            "signed_in": when(session.created_at),
            "last_seen": when(session.last_seen_at),
            "device": session.user_agent,
            "address": session.ip_address,
        }
        for session in UserSession.objects.filter(user=user).order_by("created_at")
    ]
    rows += [
        {
            "api_token": token.name,
            "made": when(token.created_at),
            "last_used": when(token.last_used_at),
            "expires": when(token.expires_at),
            "revoked": when(token.revoked_at),
        }
        for token in ApiToken.objects.filter(user=user).order_by("created_at")
    ]
    rows += [
        {"calendar_address_made": when(feed.created_at)} for feed in CalendarFeed.objects.filter(user=user)
    ]
    return rows


def reports(user) -> list[dict]:
    from moderation.models import Feedback, Report

    rows = [
        {
            "reported": report.label,
            "reason": report.get_reason_display(),
            "text": report.text,
            "status": report.get_status_display(),
            "at": when(report.created_at),
        }
        for report in Report.objects.filter(reporter=user).order_by("created_at")
    ]
    rows += [
        {"tip": feedback.text, "at": when(feedback.created_at)}
        for feedback in Feedback.objects.filter(author=user).order_by("created_at")
    ]
    return rows


def audit(user) -> list[dict]:
    """Audit rows of what they did, and of what staff did to their account (by whom: staff names only)."""
    from core.models import AuditEvent

    rows = []
    for event in AuditEvent.objects.filter(
        Q(actor=user) | Q(object_type="user", object_id=user.public_id)
    ).order_by("at"):
        rows.append(
            {
                "at": when(event.at),
                "action": event.action,
                "by": str(_("you")) if event.actor_id == user.pk else event.actor_name,
                "address": event.ip_address if event.actor_id == user.pk else None,
            }
        )
    return rows


GUARDIAN_SECTIONS = (
    ("profile", _("Your account"), profile),
    ("children", _("Your children and their groups"), children),
    ("groups", _("Groups you are in"), groups),
    ("posts", _("Posts you wrote"), posts),
    ("comments", _("Comments you wrote"), comments),
    ("reactions", _("Your reactions"), reactions),
    ("rsvps", _("Your answers to invitations and help requests"), rsvps),
    ("messages", _("Messages"), messages),
    ("absences", _("Absences and leave"), absences),
    ("consent", _("Consent answers and their history"), consent),
    ("notifications", _("Notification settings and notifications"), notifications),
    ("devices", _("Sign-ins, devices and tokens"), devices),
    ("reports", _("Reports and tips you sent"), reports),
    ("audit", _("Audit log about you"), audit),
)


def guardian_sections(user) -> list[Section]:
    return [Section(key, str(title), build(user)) for key, title, build in GUARDIAN_SECTIONS]


def tagged_media(viewer, pupils) -> list:
    """Ready photos and videos in which these pupils are tagged, and their photos for the face picker
    (consent.avatars), as far as the viewer may see them."""
    from django.db.models import Q

    from media.models import MediaFile
    from media.queries import files_shown_to, visible_media
    from schools.models import Pupil

    pupil_ids = [pupil.id for pupil in pupils]
    tagged = visible_media(viewer).filter(photo_tags__pupil__in=pupil_ids).values("id")
    avatars = files_shown_to(viewer, Pupil, pupil_ids).values("id")
    return list(
        MediaFile.objects.filter(Q(id__in=tagged) | Q(id__in=avatars), status=MediaFile.Status.READY)
        .prefetch_related("renditions", "photo_tags__pupil")
        .order_by("created_at", "id")
    )


def tagged_media_of_guardian(user) -> list:
    """Photos and videos in which their children are tagged, as far as they may see them."""
    from schools.queries import children_of

    return tagged_media(user, children_of(user))


# --- A pupil's data (the director's export) -------------------------------------------------------------


def pupil_sections(pupil, *, viewer) -> list[Section]:
    from absences.kinds import label_of, with_kind_words
    from absences.models import Absence, LeaveRequest
    from consent.models import Answer
    from conversations.queries import messages_visible_to

    record = [
        {
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": when(pupil.date_of_birth),
            "school": pupil.school.name,
            "groups": [
                {"group": e.group.name, "left_on": when(e.left_on)}
                for e in pupil.enrolments.select_related("group")
            ],
            "guardians": [
                g.guardian.full_name or g.guardian.email
                for g in pupil.guardianships.select_related("guardian")
            ],
        }
    ]
    absence_rows = [
        {"kind": label_of(a), "from": when(a.starts_on), "until": when(a.ends_on), "note": a.note}
        for a in with_kind_words(Absence.objects.filter(pupil=pupil)).order_by("starts_on")
    ] + [
        {
            "leave": leave.get_kind_display(),
            "from": when(leave.starts_on),
            "until": when(leave.ends_on),
            "status": leave.get_status_display(),
        }
        for leave in LeaveRequest.objects.filter(pupil=pupil).order_by("starts_on")
    ]
    consent_rows = [
        {
            "purpose": a.version.name,
            "version": a.version.number,
            "guardian": a.guardian.full_name,
            "answer": a.given,
            "since": when(a.changed_at),
        }
        for a in Answer.objects.filter(pupil=pupil).select_related("version", "guardian")
    ]
    message_rows = [
        {
            "conversation": m.conversation.subject,
            "from": name_of(m.author),
            "text": m.body,
            "sent": when(m.created_at),
        }
        for m in messages_visible_to(viewer)
        .filter(conversation__pupil=pupil)
        .select_related("conversation", "author")
        .order_by("created_at")
    ]
    return [
        Section("pupil", str(_("The pupil")), record),
        Section("absences", str(_("Absences and leave")), absence_rows),
        Section("consent", str(_("Consent answers")), consent_rows),
        Section("messages", str(_("Messages about the pupil")), message_rows),
    ]


def tagged_media_of_pupil(pupil, *, viewer) -> list:
    return tagged_media(viewer, [pupil])
