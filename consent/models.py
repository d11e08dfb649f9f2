"""Photo consent: purposes per school, each guardian's answer per child with its history, photo tags.

Consent is derived, never stored: a child may appear for a purpose only when every guardian of the child
answered yes (no answer is no; guardians who disagree is no). See consent.queries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class Scope(models.TextChoices):
    """What a purpose covers; the audience of a photo implies the scope it needs."""

    CLASS = "class", _("Photos and videos in the child's own class group")
    SCHOOL = "school", _("Photos and videos in the school-wide group")
    WEBSITE = "website", _("On the school website and in the school guide")
    SOCIAL = "social", _("On the school's social media")
    NEWSPAPER = "newspaper", _("In local newspapers")
    OTHER = "other", _("Other")


class ConsentSettings(models.Model):
    """A school's consent settings; a school without a row has the defaults."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="consent_settings")
    blur_untagged_faces = models.BooleanField(_("blur faces nobody tagged when publishing"), default=True)


class Purpose(models.Model):
    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="consent_purposes")
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("covers"), max_length=10, choices=Scope.choices, default=Scope.OTHER)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Removed purposes keep their answers and history (consent must stay provable).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """One guardian's current answer for one child and purpose."""

    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="consent_answers")
    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="answers")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    given = models.BooleanField()
    changed_at = models.DateTimeField(default=timezone.now)
    # Last time the guardian confirmed the answer (a request asks again without changing it).
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "purpose", "guardian"], name="consent_answer_unique")
        ]


class AnswerChange(models.Model):
    """The history of answers: who changed what, when, from what to what. Never edited."""

    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="+")
    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old = models.BooleanField(null=True)
    new = models.BooleanField()

    class Meta:
        ordering = ["-changed_at", "-id"]


class Request(models.Model):
    """The director asks guardians to answer (again): at enrolment, a new school year, a new purpose."""

    class Reason(models.TextChoices):
        ENROLMENT = "enrolment", _("New pupil")
        SCHOOL_YEAR = "year", _("Start of the school year")
        PURPOSE = "purpose", _("New purpose")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="consent_requests")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    # At enrolment the request is for one child; otherwise for every child of the school.
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


class FaceBox(models.Model):
    """A face the detector found, in fractions of the photo's size so it fits every rendition."""

    public_id = PublicIdField()
    media = models.ForeignKey("media.MediaFile", on_delete=models.CASCADE, related_name="face_boxes")
    left = models.FloatField()
    top = models.FloatField()
    width = models.FloatField()
    height = models.FloatField()
    blurred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["left", "top", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__gte=0, top__gte=0, width__gt=0, height__gt=0, left__lte=1, top__lte=1),
                name="face_box_inside",
            )
        ]


class PhotoTag(models.Model):
    """A child in a photo or video, optionally on one face box."""

    public_id = PublicIdField()
    media = models.ForeignKey("media.MediaFile", on_delete=models.CASCADE, related_name="photo_tags")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="photo_tags")
    face = models.OneToOneField(FaceBox, null=True, blank=True, on_delete=models.SET_NULL, related_name="tag")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["media", "pupil"], name="photo_tag_unique")]
