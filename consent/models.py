"""Consent: purposes per school with versioned wording, each guardian's answer per child (to a version)
with its history, photo tags.

Consent is derived, never stored: a child may appear for a purpose only when every guardian of the child
answered yes to the purpose as it is asked now (no answer is no; guardians who disagree is no; an answer
to a version the school has since changed in substance is no). See consent.queries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField
from core.languages import in_language


class Scope(models.TextChoices):
    """What a purpose covers; the audience of a photo implies the scope it needs."""

    CLASS = "class", _("Photos and videos in the child's own class group")
    SCHOOL = "school", _("Photos and videos in the school-wide group")
    WEBSITE = "website", _("On the school website and in the school guide")
    SOCIAL = "social", _("On the school's social media")
    NEWSPAPER = "newspaper", _("In local newspapers")
    CLASS_LIST = "class_list", _("The child's name on the class list")
    CONTACT = "contact", _("A phone number shared with the class's parents")
    OTHER = "other", _("Other")


# The scopes about images of the child; every other scope is about other personal data and is never read
# as photo consent (consent.enforcement asks only for the scopes an audience implies).
PHOTO_SCOPES = frozenset({Scope.CLASS, Scope.SCHOOL, Scope.WEBSITE, Scope.SOCIAL, Scope.NEWSPAPER})


class ConsentSettings(models.Model):
    """A school's consent settings; a school without a row has the defaults."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="consent_settings")
    blur_untagged_faces = models.BooleanField(_("blur faces nobody tagged when publishing"), default=True)
    # Off unless the school chooses it: a photo of each child, seen only by its parents and its teachers
    # (consent.avatars), for the face picker.
    child_avatars = models.BooleanField(
        _("parents may add a photo of their child for the face picker"), default=False
    )


class Purpose(models.Model):
    """A question the school asks about each child; what it says and covers is its current version."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="consent_purposes")
    # Null only for the instant between creating the purpose and its first version (consent.actions).
    current = models.OneToOneField(
        "PurposeVersion", null=True, on_delete=models.RESTRICT, related_name="current_of"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Removed purposes keep their answers and history (consent must stay provable).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.current.name

    @property
    def description(self) -> str:
        return self.current.description

    @property
    def scope(self) -> str:
        return self.current.scope

    @property
    def is_photo(self) -> bool:
        return self.current.scope in PHOTO_SCOPES

    def get_scope_display(self) -> str:
        return str(Scope(self.current.scope).label)


class PurposeVersion(models.Model):
    """The wording and scope of a purpose as parents were asked it. Never edited: a change is a new version.

    `asked_from` is the number of the version whose answers still count: its own number when the change
    asked parents again (the processing changed), the previous version's `asked_from` when it only fixed the
    wording. Consent is an answer to a version numbered `asked_from` or later.
    """

    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    asked_from = models.PositiveIntegerField()
    scope = models.CharField(_("covers"), max_length=20, choices=Scope.choices, default=Scope.OTHER)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    description_en = models.TextField(_("explanation (English)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["purpose_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "number"], name="consent_purpose_version_unique"),
            models.CheckConstraint(
                condition=Q(asked_from__gte=1, asked_from__lte=models.F("number")),
                name="consent_version_asked_from_earlier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def asks_again(self) -> bool:
        return self.asked_from == self.number

    @property
    def name(self) -> str:
        return in_language(self.name_nl, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_nl, self.description_en)


class Answer(models.Model):
    """One guardian's latest answer for one child and purpose, and the version it was given to."""

    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="consent_answers")
    purpose = models.ForeignKey(Purpose, on_delete=models.CASCADE, related_name="answers")
    version = models.ForeignKey(PurposeVersion, on_delete=models.RESTRICT, related_name="answers")
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
    # The version the new answer was given to; `old` is None when there was no answer to a version that
    # still counted (first answer, or asked again after a change).
    version = models.ForeignKey(PurposeVersion, on_delete=models.RESTRICT, related_name="+")
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
        CHANGED = "changed", _("A purpose changed")

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="consent_requests")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    # At enrolment the request is for one child; otherwise for every child of the school.
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A changed purpose asks again for that purpose only; otherwise every purpose is asked.
    purpose = models.ForeignKey(Purpose, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
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


class PrivacyStatement(models.Model):
    """The parts of a school's privacy page the school writes itself; the rest is read from the platform."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="privacy_statement"
    )
    officer_name = models.CharField(_("privacy officer"), max_length=200, blank=True)
    officer_email = models.EmailField(_("privacy officer's email address"), blank=True)
    officer_phone = models.CharField(_("privacy officer's phone number"), max_length=30, blank=True)
    # Who hosts the platform and where (the school's contract with its supplier says; the code cannot).
    hosting_nl = models.TextField(_("hosting (Dutch)"), blank=True)
    hosting_en = models.TextField(_("hosting (English)"), blank=True)
    notes_nl = models.TextField(_("the school's own explanation (Dutch)"), blank=True)
    notes_en = models.TextField(_("the school's own explanation (English)"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def hosting(self) -> str:
        return in_language(self.hosting_nl, self.hosting_en)

    @property
    def notes(self) -> str:
        return in_language(self.notes_nl, self.notes_en)
