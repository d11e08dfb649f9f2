"""The school as it is now, read in a fixed number of bulk queries, for the plan to compare with a file."""

from dataclasses import dataclass, field

from accounts.models import User
from core.clock import school_today
from roster.sources.data import RosterData
from schools.models import (
    Enrolment,
    Group,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    TeachingAssignment,
)


@dataclass
class Snapshot:
    school_id: int
    school_code: str
    year_id: int | None
    year_name: str
    groups: list[dict] = field(default_factory=list)
    pupils: list[dict] = field(default_factory=list)
    enrolments: dict[int, dict] = field(default_factory=dict)  # pupil id → their enrolment in the year
    guardianships: list[dict] = field(default_factory=list)
    users_by_email: dict[str, dict] = field(default_factory=dict)
    teacher_roles: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    current_year_name: str = ""


def target_year(school: School, name: str) -> SchoolYear | None:
    """The year a file is for: the one it names, if the school has opened it."""
    return SchoolYear.objects.filter(school=school, name=name).first()


def take_snapshot(school: School, data: RosterData) -> Snapshot:
    from schools.queries import current_school_year_of

    current = current_school_year_of(school)
    year = target_year(school, data.school_year) if data.school_year else current
    snapshot = Snapshot(
        school_id=school.pk,
        school_code=school.external_key,
        year_id=year.pk if year else None,
        year_name=year.name if year else "",
        current_year_name=current.name if current else "",
    )
    if year is not None:
        snapshot.groups = list(
            Group.objects.filter(school_year=year, kind=Group.Kind.CLASS).values(
                "id", "public_id", "name", "external_key"
            )
        )
        snapshot.enrolments = {
            row["pupil_id"]: row
            for row in Enrolment.objects.filter(school_year=year).values(
                "id", "pupil_id", "group_id", "left_on", "grade"
            )
        }
        snapshot.assignments = list(
            TeachingAssignment.objects.filter(group__school_year=year).values("id", "teacher_id", "group_id")
        )
    snapshot.pupils = list(
        Pupil.objects.filter(school=school).values(
            "id", "public_id", "first_name", "last_name", "date_of_birth", "external_key", "eck_id"
        )
    )
    snapshot.guardianships = list(
        Guardianship.objects.filter(pupil__school=school).values(
            "id",
            "pupil_id",
            "guardian_id",
            "relation",
            "external_key",
            "guardian__email",
            "guardian__first_name",
            "guardian__last_name",
            "guardian__phone",
        )
    )
    emails = {row.email for row in data.guardians} | {row.email for row in data.teachers if row.email}
    snapshot.users_by_email = {
        row["email"]: row
        for row in User.objects.filter(email__in=emails).values(
            "id", "public_id", "email", "first_name", "last_name"
        )
    }
    snapshot.teacher_roles = list(
        StaffRole.objects.filter(school=school, role=StaffRole.Role.TEACHER).values(
            "id", "user_id", "external_key", "user__email", "user__first_name", "user__last_name"
        )
    )
    return snapshot


def leaving_today(row, today=None) -> bool:
    today = today or school_today()
    return row.historical or (row.left_on is not None and row.left_on <= today)


def active_enrolment(enrolment: dict | None, today) -> bool:
    return enrolment is not None and (enrolment["left_on"] is None or enrolment["left_on"] > today)
