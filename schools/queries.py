"""Viewer-scoped reads about schools, groups and pupils. Each returns a lazy queryset of one query."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from core.clock import school_today
from core.viewer import is_signed_in, is_two_factor_verified
from schools.models import (
    ClassParent,
    Enrolment,
    Group,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    TeachingAssignment,
)

ADMIN_ROLES = (StaffRole.Role.DIRECTOR, StaffRole.Role.OFFICE)


def current_school_years() -> QuerySet[SchoolYear]:
    """Per school, the latest year that has begun: last year's classes stay until the new one starts."""
    latest_started = (
        SchoolYear.objects.filter(school=OuterRef("school"), starts_on__lte=school_today())
        .order_by("-starts_on")
        .values("id")[:1]
    )
    return SchoolYear.objects.filter(id=Subquery(latest_started))


def current_enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(school_year__in=current_school_years())


def staff_roles_of(viewer) -> QuerySet[StaffRole]:
    """The viewer's staff roles that count now: none unless the session passed two-factor."""
    if not is_signed_in(viewer) or not is_two_factor_verified(viewer):
        return StaffRole.objects.none()
    return StaffRole.objects.filter(user=viewer)


def has_any_staff_role(viewer) -> bool:
    """Whether the viewer is school staff at all, verified or not (decides if two-factor is required)."""
    if not is_signed_in(viewer):
        return False
    if not hasattr(viewer, "_has_staff_role"):
        viewer._has_staff_role = StaffRole.objects.filter(user=viewer).exists()
    return viewer._has_staff_role


def schools_administered_by(viewer) -> QuerySet[School]:
    """Schools where the viewer is director or office."""
    return School.objects.filter(
        id__in=staff_roles_of(viewer).filter(role__in=ADMIN_ROLES).values("school_id")
    )


def schools_directed_by(viewer) -> QuerySet[School]:
    return School.objects.filter(
        id__in=staff_roles_of(viewer).filter(role=StaffRole.Role.DIRECTOR).values("school_id")
    )


def groups_visible_to(viewer) -> QuerySet[Group]:
    """The groups the viewer belongs to, derived from children, roles and teaching; never stored.

    A guardian: the current class of each child plus the school-wide group of each child's school.
    Staff (after two-factor): the school-wide group of each school they work at, the classes they
    teach, and every current class for director and office.
    """
    if not is_signed_in(viewer):
        return Group.objects.none()
    children_now = current_enrolments().filter(pupil__guardianships__guardian=viewer)
    membership = Q(id__in=children_now.values("group_id")) | Q(
        kind=Group.Kind.SCHOOL, school_id__in=children_now.values("group__school_id")
    )
    if is_two_factor_verified(viewer):
        roles = StaffRole.objects.filter(user=viewer)
        current_class = Q(kind=Group.Kind.CLASS, school_year__in=current_school_years())
        membership |= Q(kind=Group.Kind.SCHOOL, school_id__in=roles.values("school_id"))
        membership |= current_class & Q(
            id__in=TeachingAssignment.objects.filter(teacher=viewer).values("group_id")
        )
        membership |= current_class & Q(school_id__in=roles.filter(role__in=ADMIN_ROLES).values("school_id"))
    return Group.objects.filter(membership)


def groups_taught_by(viewer) -> QuerySet[Group]:
    return groups_visible_to(viewer).filter(teaching__teacher=viewer)


def groups_staffed_by(viewer) -> QuerySet[Group]:
    """Groups where the viewer acts as staff: classes they teach, and all groups of schools they run."""
    if not is_two_factor_verified(viewer):
        return Group.objects.none()
    roles = StaffRole.objects.filter(user=viewer)
    return (
        groups_visible_to(viewer)
        .filter(
            Q(teaching__teacher=viewer)
            | Q(school_id__in=roles.filter(role__in=ADMIN_ROLES).values("school_id"))
            | Q(kind=Group.Kind.SCHOOL, school_id__in=roles.values("school_id"))
        )
        .distinct()
    )


def children_of(viewer) -> QuerySet[Pupil]:
    """The viewer's own children, whatever school they attend."""
    if not is_signed_in(viewer):
        return Pupil.objects.none()
    return Pupil.objects.filter(guardianships__guardian=viewer)


def pupils_visible_to(viewer) -> QuerySet[Pupil]:
    """Own children, plus (after two-factor) the pupils of classes taught and of schools administered."""
    if not is_signed_in(viewer):
        return Pupil.objects.none()
    visible = Q(guardianships__guardian=viewer)
    if is_two_factor_verified(viewer):
        taught = TeachingAssignment.objects.filter(teacher=viewer).values("group_id")
        visible |= Q(id__in=current_enrolments().filter(group_id__in=taught).values("pupil_id"))
        visible |= Q(school_id__in=staff_roles_of(viewer).filter(role__in=ADMIN_ROLES).values("school_id"))
    return Pupil.objects.filter(visible).distinct()


def class_parent_groups_of(viewer) -> QuerySet[Group]:
    """Current classes where the viewer is klassenouder and still has a child."""
    return groups_visible_to(viewer).filter(
        id__in=ClassParent.objects.filter(guardian=viewer).values("group_id"), kind=Group.Kind.CLASS
    )


def guardians_of_group(group: Group):
    """The users who are members of a group as guardians (derived from current enrolments)."""
    from accounts.models import User

    if group.is_school_wide:
        enrolled = current_enrolments().filter(group__school_id=group.school_id)
    else:
        enrolled = Enrolment.objects.filter(group=group)
    return User.objects.filter(
        id__in=Guardianship.objects.filter(pupil_id__in=enrolled.values("pupil_id")).values("guardian_id")
    )


def teachers_of_group(group: Group):
    from accounts.models import User

    return User.objects.filter(teaching__group=group).order_by("last_name", "first_name")
