"""Demo content for photo consent: answers for every family (refusals in every class, a few who have not
answered, one disagreement), the start-of-year request, and photos on a class's files showing the rules:
one with a child blurred, one withheld after a parent withdrew consent."""

import datetime
import random

import pyvips
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from consent.actions import (
    check_add_purpose,
    do_blur,
    do_ensure_default_purposes,
    do_withhold_after_withdrawal,
)
from consent.models import (
    PHOTO_SCOPES,
    Answer,
    AnswerChange,
    FaceBox,
    PhotoTag,
    Purpose,
    PurposeVersion,
    Request,
    Scope,
)
from core.clock import SCHOOL_TZ
from media.actions import check_upload, do_process_media
from media.models import MediaFile
from schools.models import Group, Guardianship, StaffRole, TeachingAssignment
from schools.queries import current_enrolments, current_school_years

# Share of families that say yes, per purpose: nearly all for the class, fewer for the newspaper.
YES_SHARE = {
    Scope.CLASS: 0.96,
    Scope.SCHOOL: 0.9,
    Scope.WEBSITE: 0.75,
    Scope.SOCIAL: 0.55,
    Scope.NEWSPAPER: 0.6,
    Scope.CLASS_LIST: 0.92,
}
NOT_ANSWERED_SHARE = 0.06


def picture(rng: random.Random, width: int = 1600, height: int = 1200) -> bytes:
    """A soft gradient with two light ovals where the children's faces are (no real faces in demo data)."""
    y = pyvips.Image.xyz(width, height)[1] / height
    top, bottom = rng.choice([((120, 170, 220), (90, 150, 90)), ((240, 200, 150), (160, 110, 80))])
    image = (y * (bottom[0] - top[0]) + top[0]).bandjoin([y * (bottom[i] - top[i]) + top[i] for i in (1, 2)])
    xyz = pyvips.Image.xyz(width, height)
    for cx, cy in ((0.3, 0.35), (0.65, 0.4)):
        distance = (((xyz[0] - cx * width) / 1.0) ** 2 + ((xyz[1] - cy * height) / 1.3) ** 2) ** 0.5
        mask = (distance < width * 0.08).ifthenelse(0.8, 0.0)
        image = image * (1 - mask) + mask * [235, 200, 170]
    return image.cast("uchar").copy(interpretation="srgb").jpegsave_buffer(Q=85)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return min(timezone.now(), datetime.datetime.combine(day, datetime.time(hour), SCHOOL_TZ))


class ConsentSeeder:
    def __init__(self, school, today: datetime.date):
        self.school, self.today = school, today
        self.rng = random.Random(f"consent-{today.isoformat()}")
        self.director = StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR).first()
        self.purposes = {p.scope: p for p in do_ensure_default_purposes(school=school)}
        if Scope.CLASS_LIST not in self.purposes:  # a question that is not about photos
            self.purposes[Scope.CLASS_LIST] = check_add_purpose(
                acting_user=self.director.user if self.director else None,
                school=school,
                name="Naam en telefoonnummer op de klassenlijst voor andere ouders",
                name_en="Name and phone number on the class list for other parents",
                description="Zo kunnen ouders elkaar bereiken voor speelafspraken en verjaardagen.",
                description_en="So parents can reach each other for play dates and birthdays.",
                scope=Scope.CLASS_LIST,
            )

    def request(self) -> Request:
        asked_on = max(
            (
                g.school_year.starts_on
                for g in Group.objects.filter(school=self.school, kind=Group.Kind.CLASS)
            ),
            default=self.today,
        ) + datetime.timedelta(days=24)
        asked_on = min(asked_on, self.today - datetime.timedelta(days=14))
        self.asked_at = at(asked_on, 9)
        # The purposes existed before the request that asked them (a request covers what it could ask).
        before = self.asked_at - datetime.timedelta(days=1)
        Purpose.objects.filter(school=self.school).update(created_at=before)
        PurposeVersion.objects.filter(purpose__school=self.school).update(created_at=before)
        return Request.objects.create(
            school=self.school,
            reason=Request.Reason.SCHOOL_YEAR,
            sent_by=self.director.user if self.director else None,
            sent_at=self.asked_at,
            reminded_at=self.asked_at + datetime.timedelta(days=10),
        )

    def answers(self) -> dict:
        """Every family answers (most yes; in every class one child is kept out of all image material)."""
        enrolments = list(current_enrolments().filter(group__school=self.school).select_related("group"))
        by_group: dict[int, list[int]] = {}
        for enrolment in enrolments:
            by_group.setdefault(enrolment.group_id, []).append(enrolment.pupil_id)
        kept_out = {self.rng.choice(sorted(pupils)) for pupils in by_group.values()}
        guardians: dict[int, list[int]] = {}
        for pupil_id, guardian_id in Guardianship.objects.filter(
            pupil_id__in=[e.pupil_id for e in enrolments]
        ).values_list("pupil_id", "guardian_id"):
            guardians.setdefault(pupil_id, []).append(guardian_id)
        rows, changes = [], []
        for pupil_id, family in sorted(guardians.items()):
            if pupil_id not in kept_out and self.rng.random() < NOT_ANSWERED_SHARE:
                continue  # not answered yet: no consent, and a reminder went out
            for scope, purpose in self.purposes.items():
                # The child kept out of image material; other questions are answered on their own merits.
                refused = pupil_id in kept_out and scope in PHOTO_SCOPES
                given = not refused and self.rng.random() < YES_SHARE.get(scope, 0.5)
                for number, guardian_id in enumerate(sorted(family)):
                    when = self.asked_at + datetime.timedelta(hours=self.rng.randrange(2, 24 * 12))
                    # Now and then a second parent thinks differently about social media: no wins.
                    mine = given and not (number == 1 and scope == Scope.SOCIAL and self.rng.random() < 0.3)
                    rows.append(
                        Answer(
                            pupil_id=pupil_id,
                            purpose=purpose,
                            version=purpose.current,
                            guardian_id=guardian_id,
                            given=mine,
                            changed_at=when,
                            confirmed_at=when,
                        )
                    )
                    changes.append(
                        AnswerChange(
                            pupil_id=pupil_id,
                            purpose=purpose,
                            version=purpose.current,
                            guardian_id=guardian_id,
                            changed_by_id=guardian_id,
                            changed_at=when,
                            old=None,
                            new=mine,
                        )
                    )
        Answer.objects.bulk_create(rows)
        AnswerChange.objects.bulk_create(changes)
        return {"kept_out": kept_out, "by_group": by_group}

    def persona_history(self, email: str) -> None:
        """The parent persona changed her mind about the newspaper last month: the history shows it."""
        purpose = self.purposes.get(Scope.NEWSPAPER)
        answers = Answer.objects.filter(guardian__email=email, purpose=purpose, given=True)
        when = at(self.today - datetime.timedelta(days=30), 20)
        for answer in answers:
            AnswerChange.objects.create(
                pupil_id=answer.pupil_id,
                purpose=purpose,
                version=purpose.current,
                guardian_id=answer.guardian_id,
                changed_by_id=answer.guardian_id,
                changed_at=when,
                old=True,
                new=False,
            )
            answer.given, answer.changed_at, answer.confirmed_at = False, when, when
            answer.save(update_fields=["given", "changed_at", "confirmed_at"])

    def photo(self, teacher, group, name: str):
        upload = SimpleUploadedFile(name, picture(self.rng), content_type="image/jpeg")
        media = check_upload(acting_user=teacher, school=self.school, upload=upload, carrier=group)
        do_process_media(media_id=media.id)
        media.refresh_from_db()
        # The ovals stand for two children's faces (the demo has no real faces for the detector to find).
        return media, [
            FaceBox.objects.create(media=media, left=left, top=0.22, width=0.17, height=0.26)
            for left in (0.215, 0.565)
        ]

    def photos(self, teacher, group, pupils: list[int], kept_out: set[int]) -> None:
        """One class photo with a child blurred, one withheld after a withdrawal (the teacher's task list)."""
        refusing = next((p for p in pupils if p in kept_out), None)
        allowed = [p for p in pupils if p not in kept_out and self._has_class_consent(p)]
        if refusing is None or len(allowed) < 2:
            return
        circle, faces = self.photo(teacher, group, "kringgesprek.jpg")
        PhotoTag.objects.create(media=circle, pupil_id=allowed[0], face=faces[0], tagged_by=teacher)
        PhotoTag.objects.create(media=circle, pupil_id=refusing, face=faces[1], tagged_by=teacher)
        do_blur(acting_user=teacher, media=circle, boxes=[faces[1]])
        MediaFile.objects.filter(id=circle.id).update(withheld_at=None)
        gym, faces = self.photo(teacher, group, "gymles.jpg")
        PhotoTag.objects.create(media=gym, pupil_id=allowed[1], face=faces[0], tagged_by=teacher)
        MediaFile.objects.filter(id=gym.id).update(withheld_at=None)
        FaceBox.objects.filter(id=faces[1].id).delete()
        # Yesterday a parent withdrew consent for the class group: the photo was hidden at once.
        Answer.objects.filter(pupil_id=allowed[1], purpose=self.purposes[Scope.CLASS]).update(given=False)
        first = Guardianship.objects.filter(pupil_id=allowed[1]).values_list("guardian_id", flat=True).first()
        AnswerChange.objects.create(
            pupil_id=allowed[1],
            purpose=self.purposes[Scope.CLASS],
            version=self.purposes[Scope.CLASS].current,
            guardian_id=first,
            changed_by_id=first,
            changed_at=at(self.today - datetime.timedelta(days=1), 21),
            old=True,
            new=False,
        )
        pupil = Guardianship.objects.filter(pupil_id=allowed[1]).select_related("pupil").first().pupil
        do_withhold_after_withdrawal(pupil=pupil, purposes=[self.purposes[Scope.CLASS]])

    def _has_class_consent(self, pupil_id: int) -> bool:
        from consent.queries import consent_table

        purpose = self.purposes[Scope.CLASS]
        return consent_table([pupil_id], [purpose.id])[pupil_id, purpose.id]


def seed(*, school, today: datetime.date) -> None:
    from demo.personas import PERSONAS

    seeder = ConsentSeeder(school, today)
    with transaction.atomic():
        seeder.request()
        facts = seeder.answers()
        seeder.persona_history(PERSONAS["parent"])
    teaching = TeachingAssignment.objects.filter(
        group__school=school, group__school_year__in=current_school_years()
    ).select_related("teacher", "group")
    assignment = (
        teaching.filter(teacher__email=PERSONAS["teacher"]).first() or teaching.order_by("id").first()
    )
    if assignment is not None:
        group = assignment.group
        seeder.photos(assignment.teacher, group, facts["by_group"].get(group.id, []), facts["kept_out"])
