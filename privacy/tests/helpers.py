"""A busy family for the privacy tests: the parent of Daan (Groep 3) and Eva (Groep 6) with something of
everything, and a family next door (Lars in Groep 4) whose data must never appear in theirs; and the same
parent's third child at the board's other school (`second_school`)."""

import datetime
import io
import json
import zipfile

from django.utils import timezone

from absences.models import Absence
from consent.actions import check_answer, check_tag, do_ensure_default_purposes
from consent.models import Purpose, Scope
from conversations.actions import check_send_message, check_start_with_class
from core.clock import school_today
from core.testing import make_child
from core.viewer import verified
from forms.actions import check_answer as check_form_answer
from forms.actions import check_create_form
from media.actions import check_upload
from media.tests.helpers import jpeg_bytes, upload_of
from moderation.actions import check_report
from moderation.registry import reportable
from moderation.testing import accept_all_rules
from posts.actions import Draft, check_publish_post
from posts.comment_actions import check_comment, check_react
from posts.models import GroupTimelineSettings
from schools.models import Enrolment

PARENT_MESSAGE = "Mag Daan een eigen lunch meenemen op de schoolreis?"
TEACHER_REPLY = "Ja hoor, dat is prima."
NEIGHBOUR_MESSAGE = "Lars heeft morgen de tandarts."
COMMENT = "Wat een mooie foto's!"
OTHER_SCHOOL_MESSAGE = "Noor mag vrijdag eerder weg voor de zwemles."
OTHER_SCHOOL_ABSENCE = "Orthodontist in Leiden"
OTHER_SCHOOL_FORM = "Sportdag De Regenboog"


def upload(case, persona: str, data: bytes, name: str, school=None):
    w = case.world
    with case.captureOnCommitCallbacks(execute=True):
        media = check_upload(
            acting_user=getattr(w, persona), school=school or w.school, upload=upload_of(name, data)
        )
    media.refresh_from_db()
    return media


def photo_post(case, *, by: str, group, child, name: str, title: str):
    """A published post on the group with one photo in which the child is tagged (consent given)."""
    w = case.world
    purpose = Purpose.objects.get(school=group.school, current__scope=Scope.CLASS)
    for guardianship in child.guardianships.select_related("guardian"):
        check_answer(acting_user=guardianship.guardian, pupil=child, answers={purpose: True})
    original = jpeg_bytes(900, 600)
    photo = upload(case, by, original, name, school=group.school)
    author = verified(getattr(w, by))
    with case.captureOnCommitCallbacks(execute=True):
        post = check_publish_post(
            acting_user=author, groups=[group], draft=Draft(title=title), media_files=[photo]
        )
    check_tag(acting_user=author, media=photo, pupil=child)
    photo.refresh_from_db()
    return post, photo, original


def busy_family(case):
    """Something of everything for the parent, and a neighbour's message and photo beside it."""
    w = case.world
    do_ensure_default_purposes(school=w.school)
    GroupTimelineSettings.objects.update_or_create(group=w.group3, defaults={"comments_enabled": True})
    case.post, case.photo, case.original = photo_post(
        case, by="teacher", group=w.group3, child=w.child, name="daan-schoolreis.jpg", title="Schoolreis"
    )
    case.neighbour_post, case.neighbour_photo, _ = photo_post(
        case, by="director", group=w.group4, child=w.outsider_child, name="lars-gym.jpg", title="Gymles"
    )
    enrolment = Enrolment.objects.get(pupil=w.child, group=w.group3)
    with case.captureOnCommitCallbacks(execute=True):
        case.conversation = check_start_with_class(
            acting_user=w.parent, enrolment=enrolment, subject="Schoolreis", body=PARENT_MESSAGE
        )
        check_send_message(
            acting_user=verified(w.teacher), conversation=case.conversation, body=TEACHER_REPLY
        )
        neighbour = Enrolment.objects.get(pupil=w.outsider_child, group=w.group4)
        check_start_with_class(
            acting_user=w.outsider, enrolment=neighbour, subject="Tandarts", body=NEIGHBOUR_MESSAGE
        )
    check_comment(acting_user=w.parent, post=case.post, body=COMMENT)
    check_react(acting_user=w.parent, post=case.post, kind="heart")
    check_report(acting_user=w.parent, entry=reportable("photo"), item=case.photo, reason="privacy", text="")


def second_school(case):
    """Noor, the parent's third child, in Groep 5 of De Regenboog: a photo, a message, an absence, a form."""
    w = case.world
    case.noor = make_child(w.other_school, w.other_school_group, "Noor", "Mulder", w.parent)
    accept_all_rules()  # of her new school, as at the parent's next sign-in
    do_ensure_default_purposes(school=w.other_school)
    case.other_post, case.other_photo, _ = photo_post(
        case,
        by="other_director",
        group=w.other_school_group,
        child=case.noor,
        name="noor.jpg",
        title="Zwemles",
    )
    with case.captureOnCommitCallbacks(execute=True):
        check_start_with_class(
            acting_user=w.parent,
            enrolment=Enrolment.objects.get(pupil=case.noor),
            subject="Zwemles",
            body=OTHER_SCHOOL_MESSAGE,
        )
    Absence.objects.create(
        school=w.other_school,
        pupil=case.noor,
        kind=Absence.Kind.DOCTOR,
        starts_on=school_today(),
        ends_on=school_today(),
        note=OTHER_SCHOOL_ABSENCE,
        reported_by=w.parent,
    )
    form = check_create_form(
        acting_user=verified(w.other_director),
        groups=[w.other_school_group],
        kind="permission",
        title=OTHER_SCHOOL_FORM,
        closes_at=timezone.now() + datetime.timedelta(days=3),
        questions=[],
    )
    check_form_answer(
        acting_user=w.parent,
        form=form,
        pupil=case.noor,
        answers={form.questions.first().public_id: {"yes": True}},
    )


def due(school, today=None) -> dict[str, int]:
    """The dry run as category key -> how many rows the next run would delete."""
    from privacy.actions import due_counts

    return {period.category.key: count for period, count in due_counts(school, today=today)}


def read_zip(content: bytes) -> tuple[dict, str, dict[str, bytes]]:
    """data.json, index.html and the photos of an export zip."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    photos = {name: archive.read(name) for name in archive.namelist() if name.startswith("photos/")}
    return json.loads(archive.read("data.json")), archive.read("index.html").decode(), photos
