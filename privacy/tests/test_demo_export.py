"""The access export of the demo's busiest family, checked section by section against what the app shows
that parent (through the apps' own readers), and searched for any name or address of another family.

One seed for the whole class: the demo with its content takes about half a minute."""

import html
import json
import re
from collections import Counter

from django.db.models import Count, Q
from django.test import TestCase
from django.utils import translation

from absences.models import Absence
from absences.queries import absences_of_children, leave_requests_of_children
from accounts.models import User
from consent.actions import check_tag
from consent.models import Answer, PhotoTag, Purpose, Scope
from consent.queries import has_consent, preferences_of
from conversations.models import Message
from conversations.queries import conversations_visible_to, thread_page
from core.clock import school_today
from core.viewer import verified
from demo.seed import seed_demo
from media.actions import check_upload
from media.models import MediaFile
from media.queries import files_shown_to, may_see, visible_media
from media.storage import media_storage, rendition_bytes
from media.tests.helpers import empty_media_dirs, jpeg_bytes, upload_of
from media.zips import download_rendition_of
from notifications.actions import do_update_settings, settings_of
from notifications.models import Preference
from notifications.queries import notifications_of
from posts.actions import Draft, check_publish_post
from posts.models import HelpSignup, Reaction, Rsvp
from posts.queries import comments_of, posts_visible_to, with_details, with_reactions
from privacy.exports import check_request_export
from privacy.models import DataExport
from privacy.tests.helpers import read_zip
from schools.models import Guardianship, Pupil, StaffRole
from schools.queries import children_of, current_enrolments, groups_visible_to, teachers_of_group


def busiest_guardian() -> User:
    """The guardian with data of the most kinds, then the most data: children, messages written, their
    children's absences, consent answers, photos their children are tagged in."""
    children: dict[int, set[int]] = {}
    for guardian_id, pupil_id in Guardianship.objects.values_list("guardian_id", "pupil_id"):
        children.setdefault(guardian_id, set()).add(pupil_id)
    messages = dict(Message.objects.values_list("author_id").annotate(n=Count("id")))
    answers = dict(Answer.objects.values_list("guardian_id").annotate(n=Count("id")))
    absences = dict(Absence.objects.values_list("pupil_id").annotate(n=Count("id")))
    photos: dict[int, set[int]] = {}
    for media_id, pupil_id in PhotoTag.objects.values_list("media_id", "pupil_id"):
        photos.setdefault(pupil_id, set()).add(media_id)

    def measure(guardian_id: int) -> tuple[int, int]:
        pupils = children[guardian_id]
        counts = (
            len(pupils),
            messages.get(guardian_id, 0),
            sum(absences.get(pupil, 0) for pupil in pupils),
            answers.get(guardian_id, 0),
            len(set().union(*(photos.get(pupil, set()) for pupil in pupils))),
        )
        return sum(1 for count in counts if count), sum(counts)

    return User.objects.get(id=max(sorted(children), key=measure))


def class_photo_of(case, child: Pupil, *, classmate_first: bool) -> tuple[MediaFile, bytes]:
    """A new class post by the child's teacher with one photo in which the child is tagged (after a
    classmate with consent, when asked: the photo then names two families' children)."""
    group = current_enrolments().get(pupil=child, group__kind="class").group
    teacher = verified(teachers_of_group(group).first())
    original = jpeg_bytes(900, 600)
    with case.captureOnCommitCallbacks(execute=True):
        media = check_upload(
            acting_user=teacher,
            school=group.school,
            upload=upload_of(f"klas-{child.public_id}.jpg", original),
        )
    with case.captureOnCommitCallbacks(execute=True):
        check_publish_post(
            acting_user=teacher, groups=[group], draft=Draft(title="Klassenfoto"), media_files=[media]
        )
    if classmate_first:
        purpose = Purpose.objects.get(school=group.school, current__scope=Scope.CLASS)
        classmate = next(
            enrolment.pupil
            for enrolment in current_enrolments().filter(group=group).exclude(pupil=child).order_by("id")
            if has_consent(enrolment.pupil, purpose)
            and not enrolment.pupil.guardianships.filter(
                guardian__in=child.guardianships.values("guardian")
            ).exists()
        )
        check_tag(acting_user=teacher, media=media, pupil=classmate)
    check_tag(acting_user=teacher, media=media, pupil=child)
    media.refresh_from_db()
    return media, original


class TestTheBusiestDemoFamilysExport(TestCase):
    @classmethod
    def setUpTestData(cls):
        empty_media_dirs()
        cls.addClassCleanup(empty_media_dirs)
        with cls.captureOnCommitCallbacks(execute=True):
            seed_demo(today=school_today())
        cls.parent = busiest_guardian()
        cls.children = list(children_of(cls.parent).order_by("id"))
        # The demo's photos of this family are hidden or withheld; a class photo of each child (one with a
        # classmate tagged first) gives the photos/ folder something to hold, with originals to compare.
        cls.originals = {}
        for number, child in enumerate(cls.children):
            media, original = class_photo_of(cls, child, classmate_first=number == 0)
            cls.originals[media.id] = original
        with cls.captureOnCommitCallbacks(execute=True):
            # Settings of their own, so the section has each setting to show.
            do_update_settings(
                acting_user=cls.parent,
                quiet_from=settings_of(cls.parent).quiet_from,
                quiet_until=settings_of(cls.parent).quiet_until,
                digest="daily",
                push_names=False,
            )
        with cls.captureOnCommitCallbacks(execute=True):
            export = check_request_export(acting_user=cls.parent, subject_user=cls.parent)
        export.refresh_from_db()
        cls.export = export
        with media_storage().open(export.storage_name, "rb") as stored:
            cls.data, cls.index, cls.photos = read_zip(stored.read())
        cls.sections = cls.data["sections"]
        cls.text = json.dumps(cls.data, ensure_ascii=False) + html.unescape(cls.index)
        with translation.override(cls.parent.language or "nl"):
            cls.you = translation.gettext("you")

    def name(self, user) -> str:
        return self.you if user.pk == self.parent.pk else user.full_name

    def rows_with(self, key: str, field: str) -> list[dict]:
        return [row for row in self.sections[key] if field in row]

    def test_it_is_ready_and_the_family_is_the_busiest(self):
        self.assertEqual(self.export.status, DataExport.Status.READY)
        self.assertGreaterEqual(len(self.children), 2)
        self.assertTrue(Message.objects.filter(author=self.parent).exists())

    def test_its_account_children_and_groups_are_what_the_app_shows(self):
        profile = self.sections["profile"]
        self.assertEqual(
            [(p["first_name"], p["last_name"], p["email"], p["phone"]) for p in profile],
            [(self.parent.first_name, self.parent.last_name, self.parent.email, self.parent.phone)],
        )
        children = children_of(self.parent).select_related("school")
        self.assertCountEqual(
            [
                (c["first_name"], c["last_name"], c["date_of_birth"], c["school"])
                for c in self.rows_with("children", "first_name")
            ],
            [(c.first_name, c.last_name, c.date_of_birth.isoformat(), c.school.name) for c in children],
        )
        for row in self.rows_with("children", "first_name"):
            pupil = children.get(first_name=row["first_name"], last_name=row["last_name"])
            self.assertCountEqual(
                [group["group"] for group in row["groups"]],
                list(pupil.enrolments.values_list("group__name", flat=True)),
            )
        self.assertCountEqual(
            [(g["group"], g["school"]) for g in self.rows_with("groups", "group")],
            [(g.name, g.school.name) for g in groups_visible_to(self.parent).select_related("school")],
        )

    def test_its_messages_are_every_message_of_every_thread_they_see(self):
        shown = []
        for conversation in conversations_visible_to(self.parent).select_related("pupil"):
            for message in thread_page(self.parent, conversation).messages:
                shown.append(
                    (
                        conversation.subject,
                        conversation.pupil.first_name,
                        self.name(message.author),
                        message.body,
                        message.created_at.isoformat(),
                    )
                )
        self.assertGreater(len(shown), 4)
        self.assertCountEqual(
            [
                (m["conversation"], m["about"], m["from"], m["text"], m["sent"])
                for m in self.sections["messages"]
            ],
            shown,
        )
        page = html.unescape(self.index)
        for _subject, _about, _from, text, _sent in shown:
            self.assertIn(text, page)

    def test_what_they_wrote_and_answered_on_the_timeline_is_there(self):
        posts = with_details(posts_visible_to(self.parent), self.parent)
        with_reactions(self.parent, posts)
        self.assertCountEqual(
            [p["title"] for p in self.sections["posts"]],
            [post.title for post in posts if post.author_id == self.parent.pk],
        )
        self.assertCountEqual(
            [(c["post"], c["text"]) for c in self.sections["comments"]],
            [
                (post.title, comment.body)
                for post in posts
                for comment in comments_of(self.parent, post, staff=False)
                if comment.author_id == self.parent.pk
            ],
        )
        reacted = [(post.title, post.my_reaction) for post in posts if post.my_reaction]
        self.assertEqual(len(self.sections["reactions"]), Reaction.objects.filter(user=self.parent).count())
        self.assertCountEqual(
            [r["post"] for r in self.sections["reactions"]], [title for title, _kind in reacted]
        )
        answered = [
            (post.title, post.my_rsvp.pupil.first_name, post.my_rsvp.answer)
            for post in posts
            if post.my_rsvp and post.my_rsvp.answered_by_id == self.parent.pk
        ]
        rsvps = self.rows_with("rsvps", "event")
        for title, child, _answer in answered:
            self.assertIn((title, child), [(r["event"], r["child"]) for r in rsvps])
        self.assertEqual(len(rsvps), Rsvp.objects.filter(answered_by=self.parent).count())
        self.assertCountEqual(
            [(s["help_request"], s["task"]) for s in self.rows_with("rsvps", "help_request")],
            [(post.title, task.name) for post in posts for task in post.task_list if task.mine],
        )
        self.assertEqual(
            len(self.rows_with("rsvps", "help_request")),
            HelpSignup.objects.filter(guardian=self.parent).count(),
        )

    def test_its_absences_and_leave_are_those_the_app_shows_and_all_of_their_children(self):
        rows = self.rows_with("absences", "reported_by")
        for absence in absences_of_children(self.parent):
            self.assertIn(
                {
                    "child": absence.pupil.first_name,
                    "kind": absence.get_kind_display(),
                    "from": absence.starts_on.isoformat(),
                    "until": absence.ends_on.isoformat() if absence.ends_on else None,
                    "note": absence.note,
                    "reported_by": self.name(absence.reported_by),
                },
                [
                    {key: row[key] for key in ("child", "kind", "from", "until", "note", "reported_by")}
                    for row in rows
                ],
            )
        leave = self.rows_with("absences", "reason")
        for request in leave_requests_of_children(self.parent):
            self.assertIn(
                (
                    request.pupil.first_name,
                    request.starts_on.isoformat(),
                    request.reason,
                    request.get_status_display(),
                ),
                [(row["child"], row["from"], row["reason"], row["status"]) for row in leave],
            )
        mine = children_of(self.parent)
        self.assertTrue(
            absences_of_children(self.parent).exists() or leave_requests_of_children(self.parent).exists()
        )
        self.assertEqual(len(rows), Absence.objects.filter(pupil__in=mine).count())
        names = {child.first_name for child in self.children}
        self.assertLessEqual({row["child"] for row in rows + leave}, names)

    def test_its_consent_answers_and_history_are_those_of_the_privacy_page(self):
        answers = self.rows_with("consent", "answer")
        history = self.rows_with("consent", "changed")
        with translation.override(self.parent.language or "nl"):
            yes, no = translation.gettext("yes"), translation.gettext("no")
        shown_answers, shown_history = [], []
        for child in preferences_of(self.parent):
            for _purpose, mine, _consent in child.rows:
                if mine is not None:
                    shown_answers.append(
                        (
                            child.pupil.first_name,
                            mine.version.name,
                            mine.version.number,
                            yes if mine.given else no,
                            mine.changed_at.isoformat(),
                        )
                    )
            for change in child.history:
                shown_history.append(
                    (
                        child.pupil.first_name,
                        change.version.name,
                        change.version.number,
                        change.changed_at.isoformat(),
                        change.old,
                        change.new,
                        self.name(change.guardian),
                    )
                )
        self.assertGreater(len(shown_answers), 6)
        self.assertCountEqual(
            [(a["child"], a["purpose"], a["version"], a["answer"], a["since"]) for a in answers],
            shown_answers,
        )
        self.assertCountEqual(
            [
                (h["child"], h["purpose"], h["version"], h["changed"], h["before"], h["after"], h["guardian"])
                for h in history
            ],
            shown_history,
        )

    def test_its_notification_settings_and_notifications_are_theirs(self):
        settings = settings_of(self.parent)
        self.assertEqual(
            self.rows_with("notifications", "quiet_from"),
            [
                {
                    "quiet_from": settings.quiet_from.isoformat(),
                    "quiet_until": settings.quiet_until.isoformat(),
                    "weekly_digest": settings.digest,
                    "push_names": settings.push_names,
                }
            ],
        )
        self.assertCountEqual(
            [
                (p["notice"], p["push"], p["email"], p["digest"])
                for p in self.rows_with("notifications", "notice")
            ],
            list(Preference.objects.filter(user=self.parent).values_list("kind", "push", "email", "digest")),
        )
        # The one telling them the export is ready came after it was made.
        received = notifications_of(self.parent).filter(created_at__lt=self.export.ready_at)
        self.assertTrue(received.exists())
        self.assertCountEqual(
            [n["at"] for n in self.rows_with("notifications", "notification")],
            [notification.created_at.isoformat() for notification in received],
        )

    def test_its_photos_are_those_the_parent_sees_of_their_children_and_none_is_an_original(self):
        children = [child.id for child in self.children]
        tagged = visible_media(self.parent).filter(photo_tags__pupil__in=children).values("id")
        avatars = files_shown_to(self.parent, Pupil, children).values("id")
        seen = list(
            MediaFile.objects.filter(Q(id__in=tagged) | Q(id__in=avatars), status=MediaFile.Status.READY)
        )
        self.assertGreaterEqual(len(seen), len(self.children))
        self.assertTrue(all(may_see(self.parent, media) for media in seen))
        # Every tag of their children on a file they may see is there, whatever carries it.
        for tag in PhotoTag.objects.filter(pupil__in=children).select_related("media"):
            if tag.media.status == MediaFile.Status.READY and may_see(self.parent, tag.media):
                self.assertIn(tag.media, seen)
        self.assertEqual(len(self.photos), len(seen))
        self.assertEqual(len(self.data["photos"]), len(seen))
        self.assertCountEqual(
            list(self.photos.values()),
            [rendition_bytes(download_rendition_of(media)) for media in seen],
        )
        originals = set(self.originals.values())
        self.assertTrue(originals)
        self.assertFalse(originals & set(self.photos.values()))
        # Named after one of their children tagged in it: never after another family's child.
        names = {child.first_name for child in self.children}
        for name in self.photos:
            self.assertIn(name.split("/")[1], names, name)
        self.assertCountEqual([p["file"] for p in self.data["photos"]], list(self.photos))
        self.assertEqual(
            Counter(name.split("/")[1] for name in self.photos),
            Counter(
                next(
                    t.pupil.first_name
                    for t in media.photo_tags.select_related("pupil")
                    if t.pupil_id in children
                )
                for media in seen
            ),
        )

    def test_it_holds_nothing_of_another_family(self):
        mine = {child.id for child in self.children}
        family = set(Guardianship.objects.filter(pupil__in=mine).values_list("guardian_id", flat=True))
        staff = set(StaffRole.objects.values_list("user_id", flat=True))
        authors = set(
            Message.objects.filter(conversation__in=conversations_visible_to(self.parent)).values_list(
                "author_id", flat=True
            )
        )
        seen_people = family | staff | authors
        others = User.objects.filter(guardianships__isnull=False).exclude(id__in=seen_people).distinct()
        self.assertGreater(others.count(), 100)
        found = [text for other in others for text in (other.email, other.full_name) if text in self.text]
        legitimate = {name for child in self.children for name in (child.first_name, child.full_name)}
        legitimate |= {
            name
            for user in User.objects.filter(id__in=seen_people)
            for name in (user.first_name, user.full_name)
        }
        pupils = Pupil.objects.exclude(id__in=mine)
        self.assertGreater(pupils.count(), 100)
        words = set(re.findall(r"\w+", self.text))
        for pupil in pupils:
            if pupil.full_name in self.text:
                found.append(pupil.full_name)
            if pupil.first_name not in legitimate and pupil.first_name in words:
                found.append(pupil.first_name)
        self.assertEqual(found, [])
