"""What an access export holds: one function per kind of data, each reading through the owner of its
visibility rule (children_of, groups_visible_to, messages_visible_to, visible_media), never a copy of it.

A guardian's export is what the platform holds about them and their children, seen as they see it: other
people appear only as far as the guardian already saw them (a teacher's name, a message written to them).
A pupil's export (made by the director) is what the school holds about that child.

A guardian's export made by a director (`school` given) holds what that school holds: the account itself
(profile, sign-ins, devices, account-wide settings: they belong to no school) and, of everything else, only
the rows of that school. A parent with children at two schools gets both from their own export; the
director of one never sees the other's children, groups, messages, photos or audit rows.
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


def of_school(rows, school, path: str = "school"):
    """The rows of a staff export's school (reached by `path`); all of them for the guardian's own export."""
    return rows if school is None else rows.filter(**{path: school})


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict] = field(default_factory=list)


# --- A guardian's own data ----------------------------------------------------------------------------
# Each builder takes the guardian and the school of a staff export (None: the guardian's own export).


def profile(user, *, school=None) -> list[dict]:
    from translation.models import ReadingPreference

    reading = ReadingPreference.objects.filter(user=user).first()
    return [
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.language,
            "reading_language": reading.language if reading else "",
            "always_translate": reading.always if reading else False,
            "joined": when(user.date_joined),
            "activated": when(user.activated_at),
            "last_sign_in": when(user.last_login),
        }
    ]


def children(user, *, school=None) -> list[dict]:
    from schools.models import FormerGuardian
    from schools.queries import children_of

    rows = []
    for pupil in (
        of_school(children_of(user), school)
        .select_related("school")
        .prefetch_related("enrolments__group__school_year")
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
    # When the last child link went: the account's removal is counted from that day (leavers' retention).
    rows += [
        {"no_child_since": when(former.since), "school": former.school.name}
        for former in of_school(FormerGuardian.objects.filter(user=user), school).select_related("school")
    ]
    return rows


def groups(user, *, school=None) -> list[dict]:
    from schools.models import ClassParent
    from schools.queries import groups_visible_to

    rows = [
        {"group": group.name, "school": group.school.name, "kind": group.get_kind_display()}
        for group in of_school(groups_visible_to(user), school)
        .select_related("school")
        .order_by("school__name", "name")
    ]
    rows += [
        {"class_parent_of": link.group.name, "school": link.group.school.name}
        for link in of_school(ClassParent.objects.filter(guardian=user), school, "group__school")
        .select_related("group__school")
        .order_by("group__name")
    ]
    return rows


def posts(user, *, school=None) -> list[dict]:
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
        for post in of_school(Post.objects.filter(author=user), school)
        .prefetch_related("post_groups__group")
        .order_by("created_at")
    ]


def post_reads(user, *, school=None) -> list[dict]:
    from posts.models import PostRead

    return [
        {"post": read.post.title, "read": when(read.read_at)}
        for read in of_school(PostRead.objects.filter(user=user), school, "post__school")
        .select_related("post")
        .order_by("read_at")
    ]


def comments(user, *, school=None) -> list[dict]:
    from posts.models import Comment

    return [
        {"post": comment.post.title, "text": comment.body, "written": when(comment.created_at)}
        for comment in of_school(Comment.objects.filter(author=user), school, "post__school")
        .select_related("post")
        .order_by("created_at")
    ]


def reactions(user, *, school=None) -> list[dict]:
    from posts.models import Reaction

    return [
        {"post": reaction.post.title, "reaction": reaction.get_kind_display()}
        for reaction in of_school(Reaction.objects.filter(user=user), school, "post__school")
        .select_related("post")
        .order_by("id")
    ]


def rsvps(user, *, school=None) -> list[dict]:
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
        for rsvp in of_school(Rsvp.objects.filter(answered_by=user), school, "post__school")
        .select_related("post", "pupil")
        .order_by("answered_at")
    ]
    rows += [
        {
            "help_request": signup.task.post.title,
            "task": signup.task.name,
            "signed_up": when(signup.signed_up_at),
        }
        for signup in of_school(HelpSignup.objects.filter(guardian=user), school, "task__post__school")
        .select_related("task__post")
        .order_by("signed_up_at")
    ]
    return rows


def messages(user, *, school=None) -> list[dict]:
    """Every message of every conversation the guardian sees, as the thread shows it to them."""
    from conversations.models import Message
    from conversations.queries import messages_visible_to
    from media.models import MediaFile
    from media.queries import files_shown_to

    shown = list(
        of_school(messages_visible_to(user), school, "conversation__school")
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


def uploads(user, *, school=None) -> list[dict]:
    """What they uploaded (the name, not the file: photos of their children are in photos/)."""
    from media.models import MediaFile

    return [
        {"file": media.original_name, "kind": media.get_kind_display(), "uploaded": when(media.created_at)}
        for media in of_school(MediaFile.objects.filter(uploaded_by=user), school).order_by(
            "created_at", "id"
        )
    ]


def absences(user, *, school=None) -> list[dict]:
    from absences.kinds import label_of, with_kind_words
    from absences.models import Absence, LeaveRequest
    from schools.queries import children_of

    mine = of_school(children_of(user), school).values("id")
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


def consent(user, *, school=None) -> list[dict]:
    """Their answers, and the history of every answer about their children as their privacy page shows it
    (the other parent's changes too), with their own changes about a child no longer theirs."""
    from consent.models import Answer, AnswerChange
    from consent.queries import preferences_of

    rows = [
        {
            "child": answer.pupil.first_name,
            "purpose": answer.version.name,
            "version": answer.version.number,
            "answer": str(_("yes")) if answer.given else str(_("no")),
            "since": when(answer.changed_at),
        }
        for answer in of_school(Answer.objects.filter(guardian=user), school, "pupil__school")
        .select_related("pupil", "version")
        .order_by("pupil_id")
    ]
    shown = [
        (child.pupil, change)
        for child in preferences_of(user)
        if school is None or child.pupil.school_id == school.id
        for change in child.history
    ]
    shown += [
        (change.pupil, change)
        for change in of_school(AnswerChange.objects.filter(guardian=user), school, "pupil__school")
        .exclude(id__in=[change.id for _pupil, change in shown])
        .select_related("pupil", "version", "changed_by", "guardian")
    ]
    rows += [
        {
            "child": pupil.first_name,
            "purpose": change.version.name,
            "version": change.version.number,
            "changed": when(change.changed_at),
            "before": change.old,
            "after": change.new,
            "guardian": name_of(change.guardian, viewer=user),
            "changed_by": name_of(change.changed_by, viewer=user),
        }
        for pupil, change in sorted(shown, key=lambda pair: (pair[1].changed_at, pair[1].id))
    ]
    return rows


def form_answers(user, *, school=None) -> list[dict]:
    """Their answers and signatures on forms, and the ones about their children that they see (a shared
    answer by the other parent); of an anonymous questionnaire only that the family took part."""
    from forms.models import Participation, Response
    from schools.queries import children_of

    mine = children_of(user).values("id")
    responses = Response.objects.filter(Q(guardian=user) | Q(guardian__isnull=True, pupil__in=mine))
    return _form_rows(
        of_school(responses, school, "form__school"),
        of_school(Participation.objects.filter(pupil__in=mine), school, "form__school"),
        viewer=user,
    )


def _form_rows(responses, participations, *, viewer=None) -> list[dict]:
    """Form answers with their questions and who gave them; then the anonymous questionnaires, only that
    they were taken part in."""
    rows = [
        {
            "form": response.form.title,
            "child": response.pupil.first_name if response.pupil else "",
            "answered_by": name_of(response.answered_by, viewer=viewer),
            "answered": when(response.answered_at),
            "answers": [
                {"question": answer.question.text, "answer": answer.value}
                for answer in response.answers.all()
            ],
        }
        for response in responses.select_related("form", "pupil", "answered_by")
        .prefetch_related("answers__question")
        .order_by("answered_at")
    ]
    rows += [
        {"form": taken.form.title, "child": taken.pupil.first_name, "answered": str(_("anonymously"))}
        for taken in participations.select_related("form", "pupil").order_by("form__closes_at")
    ]
    return rows


def conferences(user, *, school=None) -> list[dict]:
    """Their preferences for parent-teacher conferences, their published talks and the swaps they asked."""
    from conferences.models import Answer
    from conferences.queries import swaps_visible_to, talks_visible_to

    rows = [
        {
            "round": answer.round.name,
            "interpreter": answer.interpreter,
            "video_call": answer.video_call,
            "can_come": [when(c.starts_at) for c in answer.choices.all() if c.can],
            "cannot_come": [when(c.starts_at) for c in answer.choices.all() if not c.can],
            "answered": when(answer.answered_at),
        }
        for answer in of_school(Answer.objects.filter(guardian=user), school, "round__school")
        .select_related("round")
        .prefetch_related("choices")
        .order_by("answered_at")
    ]
    rows += [
        {
            "talk": talk.round.name,
            "children": [pupil.first_name for pupil in talk.pupils.all()],
            "starts": when(talk.starts_at),
            "room": talk.room,
        }
        for talk in of_school(talks_visible_to(user).filter(guardians=user), school, "round__school")
        .select_related("round")
        .prefetch_related("pupils")
        .order_by("starts_at")
    ]
    rows += [
        {
            "swap_asked": swap.round.name,
            "your_time": when(swap.talk_starts_at),
            "their_time": when(swap.other_starts_at),
            "status": swap.get_status_display(),
            "asked": when(swap.created_at),
        }
        for swap in of_school(swaps_visible_to(user).filter(requested_by=user), school, "round__school")
        .select_related("round")
        .order_by("created_at")
    ]
    return rows


def notifications(user, *, school=None) -> list[dict]:
    from django.contrib.contenttypes.models import ContentType

    from conversations.models import Conversation
    from moderation.models import Mute
    from notifications.models import Notification, Preference, PushSubscription, Settings

    rows = [
        {
            "quiet_from": when(s.quiet_from),
            "quiet_until": when(s.quiet_until),
            "weekly_digest": s.digest,
            "push_names": s.push_names,
        }
        for s in Settings.objects.filter(user=user)
    ]
    preferences = Preference.objects.filter(user=user)
    if school is not None:  # account-wide preferences, and those of the school's groups
        preferences = preferences.filter(Q(group__isnull=True) | Q(group__school=school))
    rows += [
        {
            "notice": preference.kind,
            "group": preference.group.name if preference.group else "",
            "push": preference.push,
            "email": preference.email,
            "digest": preference.digest,
        }
        for preference in preferences.select_related("group")
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
        for notification in of_school(Notification.objects.filter(user=user), school, "dispatch__school")
        .select_related("dispatch")
        .order_by("created_at")
    ]
    mutes = {
        mute.item_id: mute
        for mute in Mute.objects.filter(user=user, item_type=ContentType.objects.get_for_model(Conversation))
    }
    muted = of_school(Conversation.objects.filter(id__in=list(mutes)), school).order_by("id")
    rows += [
        {"muted_conversation": conversation.subject, "since": when(mutes[conversation.id].created_at)}
        for conversation in muted
    ]
    return rows


def devices(user, *, school=None) -> list[dict]:
    """Sign-ins, tokens and devices: the account's, shown whoever asked (never a secret or a token)."""
    from django_otp import devices_for_user

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
    # The two-factor device: that it exists, its kind, name and dates; its secret key never leaves.
    rows += [
        {
            "two_factor_device": device.name,
            "type": str(device._meta.verbose_name),
            "confirmed": device.confirmed,
            "made": when(getattr(device, "created_at", None)),
            "last_used": when(getattr(device, "last_used_at", None)),
        }
        for device in devices_for_user(user, confirmed=None)
    ]
    return rows


def reports(user, *, school=None) -> list[dict]:
    from moderation.models import Feedback, Report

    rows = [
        {
            "reported": report.label,
            "reason": report.get_reason_display(),
            "text": report.text,
            "status": report.get_status_display(),
            "at": when(report.created_at),
        }
        for report in of_school(Report.objects.filter(reporter=user), school).order_by("created_at")
    ]
    rows += [
        {"tip": feedback.text, "at": when(feedback.created_at)}
        for feedback in of_school(Feedback.objects.filter(author=user), school).order_by("created_at")
    ]
    return rows


def conduct(user, *, school=None) -> list[dict]:
    """The conduct rules they accepted, and any suspension of their account (with the reason given)."""
    from moderation.models import ConductAcceptance, Suspension

    rows = [
        {
            "rules_of": accepted.school.name,
            "version": accepted.version,
            "accepted": when(accepted.accepted_at),
        }
        for accepted in of_school(ConductAcceptance.objects.filter(user=user), school)
        .select_related("school")
        .order_by("accepted_at")
    ]
    rows += [
        {
            "suspended_at": suspension.school.name,
            "reason": suspension.reason,
            "by": name_of(suspension.suspended_by, viewer=user),
            "from": when(suspension.suspended_at),
            "lifted": when(suspension.lifted_at),
        }
        for suspension in of_school(Suspension.objects.filter(user=user), school)
        .select_related("school", "suspended_by")
        .order_by("suspended_at")
    ]
    return rows


def audit(user, *, school=None) -> list[dict]:
    """Audit rows of what they did, and of what staff did to their account (by whom: staff names only)."""
    from core.models import AuditEvent

    rows = []
    for event in of_school(
        AuditEvent.objects.filter(Q(actor=user) | Q(object_type="user", object_id=user.public_id)), school
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


# Each section: its key, title, builder and the models it exports (the completeness test holds every model
# that points at a user or a pupil to these or to NOT_EXPORTED).
GUARDIAN_SECTIONS = (
    ("profile", _("Your account"), profile, ("accounts.User", "translation.ReadingPreference")),
    (
        "children",
        _("Your children and their groups"),
        children,
        ("schools.Pupil", "schools.Guardianship", "schools.Enrolment", "schools.FormerGuardian"),
    ),
    ("groups", _("Groups you are in"), groups, ("schools.ClassParent",)),
    ("posts", _("Posts you wrote"), posts, ("posts.Post",)),
    ("post_reads", _("Posts you opened"), post_reads, ("posts.PostRead",)),
    ("comments", _("Comments you wrote"), comments, ("posts.Comment",)),
    ("reactions", _("Your reactions"), reactions, ("posts.Reaction",)),
    ("rsvps", _("Your answers to invitations and help requests"), rsvps, ("posts.Rsvp", "posts.HelpSignup")),
    ("messages", _("Messages"), messages, ("conversations.Conversation", "conversations.Message")),
    ("uploads", _("Files you uploaded"), uploads, ("media.MediaFile",)),
    ("absences", _("Absences and leave"), absences, ("absences.Absence", "absences.LeaveRequest")),
    ("consent", _("Consent answers and their history"), consent, ("consent.Answer", "consent.AnswerChange")),
    ("forms", _("Forms you answered"), form_answers, ("forms.Response", "forms.Participation")),
    (
        "conferences",
        _("Parent-teacher conferences"),
        conferences,
        ("conferences.Answer", "conferences.Talk", "conferences.SwapRequest"),
    ),
    (
        "notifications",
        _("Notification settings and notifications"),
        notifications,
        (
            "notifications.Settings",
            "notifications.Preference",
            "notifications.PushSubscription",
            "notifications.Notification",
            "moderation.Mute",
        ),
    ),
    (
        "devices",
        _("Sign-ins, devices and tokens"),
        devices,
        ("accounts.UserSession", "accounts.ApiToken", "posts.CalendarFeed", "otp_totp.TOTPDevice"),
    ),
    ("reports", _("Reports and tips you sent"), reports, ("moderation.Report", "moderation.Feedback")),
    (
        "conduct",
        _("Conduct rules and suspensions"),
        conduct,
        ("moderation.ConductAcceptance", "moderation.Suspension"),
    ),
    ("audit", _("Audit log about you"), audit, ("core.AuditEvent",)),
)
# The zip's photos/ folder (tagged_media): the photos and videos in which their children are tagged.
PHOTOS_EXPORT = ("consent.PhotoTag",)

# Models that point at a user or a pupil and are left out of every export, each with the reason.
NOT_EXPORTED = {
    # Secrets and single-use links: only a digest is stored; that they were sent is in the audit log.
    "accounts.Invitation": "a single-use sign-up link (a token digest); the account it made is the profile",
    "accounts.LoginLink": "a short-lived sign-in link (a token digest)",
    # Staff work, not data about a parent or a pupil.
    "schools.StaffRole": "a staff member's role at a school",
    "schools.TeachingAssignment": "which classes a teacher teaches",
    "conversations.Availability": "a staff member's working hours",
    "conversations.StaffNotice": "when a staff member hears of a message (quiet mode)",
    "consent.PurposeVersion": "a consent text the director wrote",
    "consent.PrivacyStatement": "the school's privacy statement",
    "moderation.ConductRules": "the school's conduct rules (the acceptance is in conduct)",
    "moderation.ExtraTerm": "a word the school added to the screening lists",
    "roster.RosterImport": "an import the office ran",
    "roster.Rollover": "a school year's rollover the office ran",
    "privacy.RetentionPeriod": "a school's retention setting",
    "translation.SchoolTranslation": "the school's translation engine",
    "forms.Form": "a form staff wrote (the answers are in forms)",
    "conferences.Round": "a conference round staff set up (the talks are in conferences)",
    "conferences.TeacherTime": "a teacher's hours on a conference evening",
    "conferences.PlanRun": "a run of the conference planner",
    "conferences.Slot": "a teacher's schedule (the family's talks are in conferences)",
    # Bookkeeping around data that is exported elsewhere, with nothing of its own to add.
    "conversations.Participant": "membership and read marker of a thread (its messages are in messages)",
    "notifications.Dispatch": "the event behind notifications (what reached them is in notifications)",
    "notifications.Delivery": "the sending ledger of notifications (channel and state, no content)",
    "consent.Request": "the school's call to answer consent (the answers are in consent)",
    "privacy.DataExport": "the export itself (asking for it is in the audit log)",
    # Staff's working notes, never shown to a parent.
    "conferences.PupilFlag": "a teacher's planning note for a conference round",
    "roster.Placement": "the office's draft for next year (once applied it is the child's group)",
}


def exported_models() -> set[str]:
    """The models whose rows a guardian's export holds."""
    return {label for *_part, labels in GUARDIAN_SECTIONS for label in labels} | set(PHOTOS_EXPORT)


def guardian_sections(user, *, school=None) -> list[Section]:
    return [
        Section(key, str(title), build(user, school=school))
        for key, title, build, _models in GUARDIAN_SECTIONS
    ]


def tagged_media(viewer, pupils) -> list:
    """Ready photos and videos in which these pupils are tagged, and their photos for the face picker
    (consent.avatars), as far as the viewer may see them; each with `export_child`, the first name of the
    tagged pupil among these ("" for a face-picker photo)."""
    from django.db.models import Q

    from media.models import MediaFile
    from media.queries import files_shown_to, visible_media
    from schools.models import Pupil

    pupil_ids = [pupil.id for pupil in pupils]
    tagged = visible_media(viewer).filter(photo_tags__pupil__in=pupil_ids).values("id")
    avatars = files_shown_to(viewer, Pupil, pupil_ids).values("id")
    files = list(
        MediaFile.objects.filter(Q(id__in=tagged) | Q(id__in=avatars), status=MediaFile.Status.READY)
        .prefetch_related("renditions", "photo_tags__pupil")
        .order_by("created_at", "id")
    )
    for media in files:
        # The child the zip files it under: one of these pupils, never a classmate tagged in the same photo.
        media.export_child = next(
            (tag.pupil.first_name for tag in media.photo_tags.all() if tag.pupil_id in pupil_ids), ""
        )
    return files


def tagged_media_of_guardian(user, *, school=None) -> list:
    """Photos and videos in which their children (of the school) are tagged, as far as they may see them."""
    from schools.queries import children_of

    return tagged_media(user, of_school(children_of(user), school))


# --- A pupil's data (the director's export) -------------------------------------------------------------


def pupil_sections(pupil, *, viewer) -> list[Section]:
    from absences.kinds import label_of, with_kind_words
    from absences.models import Absence, LeaveRequest
    from consent.models import Answer
    from conversations.queries import messages_visible_to
    from forms.models import Participation, Response

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
        Section(
            "forms",
            str(_("Forms answered for the pupil")),
            _form_rows(Response.objects.filter(pupil=pupil), Participation.objects.filter(pupil=pupil)),
        ),
        Section("conferences", str(_("Parent-teacher conferences")), _pupil_talk_rows(pupil)),
    ]


def _pupil_talk_rows(pupil) -> list[dict]:
    """The conferences planned about the pupil: when, where, and with whom."""
    from conferences.models import Talk

    return [
        {
            "talk": talk.round.name,
            "starts": when(talk.starts_at),
            "room": talk.room,
            "with": [name_of(guardian) for guardian in talk.guardians.all()],
        }
        for talk in Talk.objects.filter(pupils=pupil)
        .select_related("round")
        .prefetch_related("guardians")
        .order_by("starts_at")
    ]


def tagged_media_of_pupil(pupil, *, viewer) -> list:
    return tagged_media(viewer, [pupil])
