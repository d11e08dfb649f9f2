"""Erasure (AVG art. 17): a guardian's account and personal data go; what others must keep stays, anonymised.

What goes: the account with its sessions, tokens, devices, settings and notifications; their guardianships
and class-parent roles; their consent answers; their posts, comments, reactions, RSVPs, help sign-ups and
read receipts; the words, attachments and translations of the messages they wrote, and every file they
uploaded (a photo of their child for the face picker too); exports made of or for them; their name and email
inside roster import previews and notification titles.

What stays, without them: threads with a teacher's messages (the parent shows as "former parent", and their
messages as empty places, so that the teacher's answers keep their order and sense), absence
and leave records (kept for the legal attendance period, reporter unknown), reports and tips they sent (the
school's moderation record, sender unknown), the audit log (its rows keep the name and email snapshot until
the audit retention period removes them: accountability outweighs erasure there, AVG art. 17(3)(b/e)).
Pupil records are the school's, not the guardian's: they stay until the school's retention deletes them
(the `leaver_pupils` category, after the child left).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import audit

FORMER_PARENT = _("former parent")


def _scrub(value, *, needles: set[str]):
    """The JSON value with every string equal to, or containing, one of the needles blanked."""
    if isinstance(value, dict):
        return {key: _scrub(item, needles=needles) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, needles=needles) for item in value]
    if isinstance(value, str) and any(needle in value.lower() for needle in needles):
        return ""
    return value


def personal_strings(user) -> set[str]:
    """What identifies the person in free data: their email and full name (lower case)."""
    return {text.lower() for text in (user.email, user.full_name) if text and len(text) >= 5}


def _scrub_roster_imports(user) -> None:
    from roster.models import RosterImport

    needles = personal_strings(user)
    for roster_import in RosterImport.objects.filter(plan__icontains=user.email).only("id", "plan"):
        RosterImport.objects.filter(id=roster_import.id).update(
            plan=_scrub(roster_import.plan, needles=needles)
        )


def _scrub_notification_titles(user) -> None:
    """Titles that named them ("New message from Fatima") keep the sentence without the name."""
    from notifications.models import Dispatch
    from translation.actions import do_forget_translations

    needles = personal_strings(user)
    scrubbed = []
    for dispatch in Dispatch.objects.filter(actor=user).only("id", "public_id", "title_params"):
        params = {
            key: (str(FORMER_PARENT) if isinstance(value, str) and value.lower() in needles else value)
            for key, value in dispatch.title_params.items()
        }
        Dispatch.objects.filter(id=dispatch.id).update(title_params=params, actor=None)
        scrubbed.append(dispatch.public_id)
    # Their machine translations carried the name too (names are kept as they are): made again if read.
    do_forget_translations(kind="notice", object_ids=scrubbed)


def _delete_own_content(user) -> None:
    from conversations.models import Conversation, Message
    from media.actions import do_purge_media, do_purge_media_of
    from media.models import MediaFile
    from moderation.models import Report
    from posts.models import Comment, Post, Reaction, Rsvp
    from translation.actions import do_forget_translations

    posts = list(Post.objects.filter(author=user).values_list("id", flat=True))
    do_purge_media_of(ContentType.objects.get_for_model(Post), posts)
    Post.objects.filter(id__in=posts).delete()
    messages = list(Message.objects.filter(author=user).values_list("id", flat=True))
    do_purge_media_of(ContentType.objects.get_for_model(Message), messages)
    touched = set(Message.objects.filter(id__in=messages).values_list("conversation_id", flat=True))
    # A thread with no one else's message in it goes whole.
    others = set(
        Message.objects.filter(conversation_id__in=touched)
        .exclude(author=user)
        .values_list("conversation_id", flat=True)
    )
    Conversation.objects.filter(id__in=touched - others).delete()
    # Where a teacher answered, their words need the question's place: the parent's messages stay as
    # empty places without author ("former parent", "message removed"), their words and files gone.
    Message.objects.filter(id__in=messages).update(body="", author=None)
    # Their cached translations held the words too; deleted texts' go with the tick's sweep, these stay.
    do_forget_translations(
        kind="message", object_ids=Message.objects.filter(id__in=messages).values_list("public_id", flat=True)
    )
    for school_id in (
        MediaFile.objects.filter(uploaded_by=user).order_by().values_list("school_id", flat=True).distinct()
    ):
        ids = list(
            MediaFile.objects.filter(uploaded_by=user, school_id=school_id).values_list("id", flat=True)
        )
        do_purge_media(school=school_id, ids=ids)
    Comment.objects.filter(author=user).delete()
    Reaction.objects.filter(user=user).delete()
    Rsvp.objects.filter(answered_by=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None)


def _delete_exports(user) -> None:
    from privacy.exports import delete_export_files
    from privacy.models import DataExport

    delete_export_files(DataExport.objects.filter(Q(subject_user=user) | Q(requested_by=user)))


def do_erase_account(*, acting_user, user_id: int, reason: str) -> bool:
    """Erase one guardian's account; False when there is no such account (already erased)."""
    from accounts.models import User

    with transaction.atomic():
        user = User.objects.select_for_update().filter(id=user_id).first()
        if user is None:
            return False
        public_id = user.public_id
        _scrub_roster_imports(user)
        _scrub_notification_titles(user)
        _delete_own_content(user)
        _delete_exports(user)
        user.delete()
        # The row names the account by its public id only: no name or email outlives the erasure here.
        audit.record(actor=acting_user, action="account.erased", reason=reason, account=public_id)
    return True


def erasure_blockers(user, *, school) -> list[str]:
    """Why this guardian cannot be erased by this school, in words for the director (empty: they can)."""
    from schools.models import StaffRole
    from schools.queries import enrolled_now

    problems = []
    if StaffRole.objects.filter(user=user).exists():
        problems.append(str(_("This account belongs to staff; end their role first.")))
    elsewhere = (
        enrolled_now().filter(pupil__guardianships__guardian=user).exclude(pupil__school=school).exists()
    )
    if elsewhere:
        problems.append(
            str(_("A child of this parent is enrolled at another school, which decides about this account."))
        )
    return problems
