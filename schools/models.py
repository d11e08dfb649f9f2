"""Board → school → school year → group → enrolment; guardians and staff roles.

Group membership is never stored: it is derived from enrolments, guardianships and staff roles
(see schools.queries), so moving a pupil moves the guardians' access at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class Board(models.Model):
    """A school board (schoolbestuur) that runs one or more schools."""

    public_id = PublicIdField()
    name = models.CharField(_("name"), max_length=200)
    external_key = models.CharField(max_length=256, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    public_id = PublicIdField()
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    # BRIN/vestiging code from the pupil administration (EDEXML).
    external_key = models.CharField(max_length=256, blank=True, db_index=True)
    # After the school-year rollover, how long guardians still read last year's classes (their timelines
    # and albums); schools.queries.groups_visible_to consults it. Whole months, so the school says "3".
    former_classes_months = models.PositiveSmallIntegerField(
        _("months parents still read last year's classes"), default=3
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(former_classes_months__lte=12), name="school_former_months_max"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_years")
    name = models.CharField(_("name"), max_length=20)  # "2026-2027"
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_year_unique_name"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="school_year_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A class ("Groep 3", "Groep 5/6") in one school year, or the school-wide group of a school."""

    class Kind(models.TextChoices):
        CLASS = "class", _("Class")
        SCHOOL = "school", _("Whole school")

    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups")
    school_year = models.ForeignKey(
        SchoolYear, null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLASS)
    name = models.CharField(_("name"), max_length=100)
    external_key = models.CharField(max_length=256, blank=True, db_index=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"], condition=Q(kind="school"), name="group_one_school_wide_per_school"
            ),
            models.CheckConstraint(
                condition=Q(kind="school", school_year__isnull=True)
                | Q(kind="class", school_year__isnull=False),
                name="group_class_has_school_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school_wide(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class Pupil(models.Model):
    public_id = PublicIdField()
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    external_key = models.CharField(max_length=256, blank=True, db_index=True)
    # The pupil's ECK-iD (a pseudonymous chain id from the pupil administration), where the export has one.
    eck_id = models.CharField(max_length=256, blank=True, db_index=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Enrolment(models.Model):
    """A pupil's place in a class for one school year (one class per pupil per year)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="enrolments")
    # Kept beside group.school_year so the database can enforce one class per pupil per year.
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="enrolments")
    # The day the pupil left the school (a roster import marks leavers; nothing is deleted). From that day
    # the enrolment no longer counts, so the guardians' access to the class ends by the derived membership.
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # The pupil's jaargroep (1–8) that year, from the pupil administration or the rollover; in a combination
    # class it tells the pupils apart, and the rollover proposes the class of the next grade from it.
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "school_year"], name="enrolment_one_group_per_year"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=8), name="enrolment_grade_range"
            ),
        ]


class Guardianship(models.Model):
    """A guardian (ouder/verzorger) of a pupil; divorced parents each have their own account."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        FOSTER = "foster", _("Foster parent")
        OTHER = "other", _("Carer")

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.PARENT
    )
    external_key = models.CharField(max_length=256, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "pupil"], name="guardianship_unique")]


class FormerGuardian(models.Model):
    """An account whose last child link went: the school it went at and the day, from which the leavers'
    retention period counts (the link itself is gone, so nothing else remembers the moment).

    Written by `schools.actions.do_note_former_guardians` wherever guardianships end (the office, a roster
    import, the retention run deleting a leaver's pupil record). A row whose account was linked to a child
    again is harmless: an account with any child or staff role is never a leaver.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    since = models.DateField()


class StaffRole(models.Model):
    """A staff member's role at one school. A teacher's groups are in TeachingAssignment."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        TEACHER = "teacher", _("Teacher")
        OFFICE = "office", _("Office")

    public_id = PublicIdField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    external_key = models.CharField(max_length=256, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="staff_role_unique")]


class TeachingAssignment(models.Model):
    """A teacher of a class; duo teachers are two assignments to one group."""

    public_id = PublicIdField()
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teaching")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="teaching")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["teacher", "group"], name="teaching_unique")]


class ClassParent(models.Model):
    """A guardian given posting rights in one class (klassenouder)."""

    public_id = PublicIdField()
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_parent_of"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="class_parents")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "group"], name="class_parent_unique")]
