"""Viewer-scoped reads about schools, groups and pupils. Each returns a lazy queryset of one query."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from core.clock import school_today
from core.compiled import viewer_ids
from core.viewer import is_signed_in, is_two_factor_verified, memoised
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


def current_school_year_ids() -> list[int] | QuerySet:
    """The ids of current_school_years, to filter on: within a reading request a list resolved once (one
    query of their own), else the subquery. For a query where the nested subquery costs PostgreSQL more to
    plan and run than the query itself (the inbox: it was evaluated per row); elsewhere it stays nested,
    which costs no query of its own."""
    years = current_school_years()
    ids = memoised(("current_school_years", school_today()), lambda: list(years.values_list("id", flat=True)))
    return years.values("id") if ids is None else ids


def enrolled_now() -> QuerySet[Enrolment]:
    """Enrolments of pupils who have not left: a leaver's row stays (nothing is lost) but no longer counts."""
    return Enrolment.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=school_today()))


def later_year_begun() -> QuerySet[SchoolYear]:
    """For a row with a `school_year` (an enrolment, a class): the years of its school that began after it
    and by today, as a subquery. Exists(...) means the row's year has been replaced."""
    return SchoolYear.objects.filter(
        school_id=OuterRef("school_year__school_id"),
        starts_on__gt=OuterRef("school_year__starts_on"),
        starts_on__lte=school_today(),
    )


def current_enrolments() -> QuerySet[Enrolment]:
    """This year's enrolments of pupils who have not left.

    "This year" is stated on the enrolment's own year (begun, and no later year of its school has begun)
    rather than as `school_year IN current_school_years()`: the same rows, one subquery level less in every
    membership query, which the feed's file query needs to stay within SQLite's parser depth.
    """
    return (
        enrolled_now().filter(school_year__starts_on__lte=school_today()).exclude(Exists(later_year_begun()))
    )


FORMER_CLASSES_MONTHS_MAX = 12  # School.former_classes_months is at most this (a constraint says so)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` whole months earlier (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def former_enrolments() -> QuerySet[Enrolment]:
    """Last year's enrolments whose class the guardians still read after the rollover.

    The year just before the current one, while the current one began less than the school's
    `former_classes_months` ago; only pupils who were still in the class at its year's end (a groep 8 pupil
    leaves on the new year's first day, so counts; one who left in March does not). Stated as: a later year
    of the school has begun, and none began before the school's cutoff day.
    """
    today = school_today()
    cutoff = Case(
        *[
            When(school_year__school__former_classes_months=months, then=Value(months_before(today, months)))
            for months in range(FORMER_CLASSES_MONTHS_MAX + 1)
        ],
        default=Value(today),
        output_field=DateField(),
    )
    later_begun = later_year_begun()
    return (
        Enrolment.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=F("school_year__ends_on")))
        .annotate(former_cutoff=cutoff)
        .filter(Exists(later_begun))
        .exclude(Exists(later_begun.filter(starts_on__lte=OuterRef("former_cutoff"))))
    )


def pupils_of_group(group: Group) -> QuerySet[Pupil]:
    """The pupils in a class now (not those who left it)."""
    return Pupil.objects.filter(id__in=enrolled_now().filter(group=group).values("pupil_id"))


def staff_roles_of(viewer) -> QuerySet[StaffRole]:
    """The viewer's staff roles that count now: none unless the session passed two-factor."""
    if not is_signed_in(viewer) or not is_two_factor_verified(viewer):
        return StaffRole.objects.none()
    return StaffRole.objects.filter(user=viewer)


def has_any_staff_role(viewer) -> bool:
    """Whether the viewer is school staff at all, verified or not (decides if two-factor is required)."""
    if not is_signed_in(viewer):
        return False
    if not hasattr(viewer, "_has_staff_role"):  # a request's user brings it: with_staff_flag
        viewer._has_staff_role = StaffRole.objects.filter(user=viewer).exists()
    return viewer._has_staff_role


def with_staff_flag(users: QuerySet) -> QuerySet:
    """Users loaded with the answer of has_any_staff_role, so asking it later costs no query."""
    return users.annotate(_has_staff_role=Exists(StaffRole.objects.filter(user=OuterRef("pk"))))


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
    """The groups the viewer may read, derived from children, roles and teaching; never stored.

    A guardian: the current class of each child plus the school-wide group of each child's school, and
    for the school's period after the rollover (former_enrolments) last year's class of each child, to read.
    Staff (after two-factor): the school-wide group of each school they work at, the classes they
    teach, and every class for director and office: this year's, and the earlier years' as an archive to
    read (past_classes: read-only for everyone). None of the groups of a school that suspended the viewer
    (suspended_school_ids): the other schools stay.

    Every check of who may read a group, its posts, files and albums goes through here; the feed and the
    home page show the narrower groups_followed_by.
    """
    return _groups_of(viewer, staff_archive=True)


def groups_followed_by(viewer) -> QuerySet[Group]:
    """The groups of the viewer's daily news (feed, home, group lists): groups_visible_to without the staff's
    archive of earlier years, which they open from the archive page. A parent's former class (read for a
    while after the rollover) stays."""
    return _groups_of(viewer, staff_archive=False)


def _groups_of(viewer, *, staff_archive: bool) -> QuerySet[Group]:
    if not is_signed_in(viewer):
        return Group.objects.none()
    ids = _member_ids(viewer, staff_archive=staff_archive)
    if ids is None:
        return _membership(viewer, staff_archive=staff_archive)
    return Group.objects.filter(id__in=ids)


def _member_ids(viewer, *, staff_archive: bool) -> list[int] | None:
    """The ids of the viewer's groups, resolved once per reading request (core.viewer); None outside one."""
    # Without staff powers the archive changes nothing: one memo entry serves both owners.
    staff_archive = staff_archive and is_two_factor_verified(viewer)
    return memoised(
        ("groups", viewer.pk, is_two_factor_verified(viewer), staff_archive),
        lambda: viewer_ids(viewer, _membership_ids, staff_archive, day=school_today()),
    )


def group_ids_visible_to(viewer) -> list[int] | QuerySet:
    """The ids of groups_visible_to, to filter on: a list within a reading request, else a subquery."""
    if not is_signed_in(viewer):
        return []
    ids = _member_ids(viewer, staff_archive=True)
    return groups_visible_to(viewer).values("id") if ids is None else ids


def _membership_ids(viewer, staff_archive: bool) -> QuerySet:
    return _membership(viewer, staff_archive=staff_archive).values_list("id", flat=True)


def _membership(viewer, *, staff_archive: bool) -> QuerySet[Group]:
    children_now = current_enrolments().filter(pupil_id__in=child_ids_of(viewer))
    membership = Q(id__in=children_now.values("group_id")) | Q(
        kind=Group.Kind.SCHOOL, school_id__in=children_now.values("group__school_id")
    )
    membership |= Q(id__in=former_enrolments().filter(pupil_id__in=child_ids_of(viewer)).values("group_id"))
    if is_two_factor_verified(viewer):
        roles = StaffRole.objects.filter(user=viewer)
        if staff_archive:  # this year's and earlier years' classes, not next year's before it begins
            classes = Q(kind=Group.Kind.CLASS, school_year__starts_on__lte=school_today())
        else:
            classes = Q(kind=Group.Kind.CLASS, school_year__in=current_school_years())
        membership |= Q(kind=Group.Kind.SCHOOL, school_id__in=roles.values("school_id"))
        membership |= classes & Q(id__in=TeachingAssignment.objects.filter(teacher=viewer).values("group_id"))
        membership |= classes & Q(school_id__in=roles.filter(role__in=ADMIN_ROLES).values("school_id"))
    return Group.objects.filter(membership).exclude(school_id__in=suspended_school_ids(viewer))


def past_classes() -> QuerySet[Group]:
    """THE rule for read-only groups: classes of a school year that a later year of their school replaced.

    Their timelines and albums are kept to read (a parent for a while, staff as an archive) and nobody adds
    to them: no posts, comments, reactions, answers or sign-ups. The school-wide group goes on from year
    to year and is never read-only.
    """
    return Group.objects.filter(Exists(later_year_begun()), kind=Group.Kind.CLASS)


def is_past_class(group: Group) -> bool:
    """Whether this one group is read-only (past_classes); the school-wide group never is, without a query."""
    return not group.is_school_wide and past_classes().filter(pk=group.pk).exists()


def earlier_classes_of(viewer) -> QuerySet[Group]:
    """The classes of earlier school years the viewer may read (past_classes within groups_visible_to),
    newest year first, with school and year."""
    return (
        groups_visible_to(viewer)
        .filter(id__in=past_classes().values("id"))
        .select_related("school", "school_year")
        .order_by("school__name", "-school_year__starts_on", "name")
    )


def suspended_school_ids(viewer):
    """The schools where a suspension of the viewer is in force, as a subquery.

    A suspension is per school (moderation.Suspension): it takes away that school's groups, and with them
    its posts, comments, files and albums, and leaves the account's other schools alone.
    """
    from moderation.models import Suspension

    return Suspension.objects.filter(user=viewer, lifted_at__isnull=True).values("school_id")


def groups_taught_by(viewer) -> QuerySet[Group]:
    """The classes the viewer teaches this year (not the archive of earlier years)."""
    return groups_followed_by(viewer).filter(teaching__teacher=viewer)


def groups_staffed_by(viewer) -> QuerySet[Group]:
    """Groups whose content the viewer manages as staff: the classes they teach, and every group
    (the school-wide one too) of the schools where they are director or office.

    The rule for posting there as staff, and for pinning, deleting and approving posts, reading receipts and
    the consent overview per pupil. A teacher reads the school-wide group (groups_visible_to) but does not
    manage it: that is the director's and the office's.
    """
    if not is_two_factor_verified(viewer):
        return Group.objects.none()
    ids = _staffed_ids_memo(viewer)
    return _staffed_groups(viewer) if ids is None else Group.objects.filter(id__in=ids)


def _staffed_ids_memo(viewer) -> list[int] | None:
    return memoised(("staffed", viewer.pk), lambda: viewer_ids(viewer, _staffed_ids, day=school_today()))


def group_ids_staffed_by(viewer) -> list[int] | QuerySet:
    """The ids of groups_staffed_by, to filter on: a list within a reading request (empty without staff
    powers), else a subquery."""
    if not is_two_factor_verified(viewer):
        return []
    ids = _staffed_ids_memo(viewer)
    return groups_staffed_by(viewer).values("id") if ids is None else ids


def _staffed_ids(viewer) -> QuerySet:
    return _staffed_groups(viewer).values_list("id", flat=True)


def _staffed_groups(viewer) -> QuerySet[Group]:
    taught = TeachingAssignment.objects.filter(teacher=viewer).values("group_id")
    run = StaffRole.objects.filter(user=viewer, role__in=ADMIN_ROLES).values("school_id")
    # Exactly the staff part of groups_visible_to, stated without its guardian part: a staffed group is a
    # current class or a school-wide group, never reached through one's own children. Going through the
    # whole membership query nested it twice more in every post and file filter, past SQLite's parser depth.
    current_class = Q(kind=Group.Kind.CLASS, school_year__in=current_school_years())
    return Group.objects.filter(
        (current_class & Q(id__in=taught))
        | (Q(school_id__in=run) & (current_class | Q(kind=Group.Kind.SCHOOL)))
    )


def child_ids_of(viewer) -> QuerySet[Guardianship]:
    """The ids of the viewer's own children, as a subquery.

    Through the guardianships' pupil ids, not a join over pupils: the same rows, but PostgreSQL plans it in
    a quarter of the time, and every request asks this.
    """
    return Guardianship.objects.filter(guardian=viewer).values("pupil_id")


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
    """Current classes where the viewer is klassenouder and still has a child (not last year's class,
    which a parent only reads for a while after the rollover)."""
    return groups_visible_to(viewer).filter(
        id__in=ClassParent.objects.filter(guardian=viewer).values("group_id"),
        kind=Group.Kind.CLASS,
        school_year__in=current_school_years(),
    )


def guardians_of_group(group: Group):
    """The users who are members of a group as guardians (derived from current enrolments)."""
    from accounts.models import User

    if group.is_school_wide:
        enrolled = current_enrolments().filter(group__school_id=group.school_id)
    else:
        enrolled = enrolled_now().filter(group=group)
    return User.objects.filter(
        id__in=Guardianship.objects.filter(pupil_id__in=enrolled.values("pupil_id")).values("guardian_id")
    )


def pupils_of_groups(groups) -> QuerySet[Pupil]:
    """The pupils of several groups now: a class's current pupils, a school-wide group's whole school.

    The same enrolments guardians_of_group counts, for readers that ask about a group's children
    (a form's audience) rather than its guardians.
    """
    groups = list(groups)
    classes = [group.id for group in groups if not group.is_school_wide]
    schools = [group.school_id for group in groups if group.is_school_wide]
    enrolled = current_enrolments().filter(group__school_id__in=schools) | enrolled_now().filter(
        group_id__in=classes
    )
    return Pupil.objects.filter(id__in=enrolled.values("pupil_id"))


def teachers_of_group(group: Group):
    from accounts.models import User

    return User.objects.filter(teaching__group=group).order_by("last_name", "first_name")


# --- School administration and the group page -------------------------------------------------------


def current_school_year_of(school: School) -> SchoolYear | None:
    return current_school_years().filter(school=school).first()


def current_classes_of(school: School) -> QuerySet[Group]:
    return Group.objects.filter(school=school, kind=Group.Kind.CLASS, school_year__in=current_school_years())


def matching(queryset: QuerySet, q: str, *fields: str) -> QuerySet:
    """Case-insensitive search: every word of `q` must occur in one of the fields ("daan mulder")."""
    for word in (q or "").split()[:5]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def users_with_status():
    """Users annotated with `invitation_status` (active, invited, expired, not_invited) in the same query."""
    from accounts.models import User
    from accounts.queries import with_invitation_status

    return with_invitation_status(User.objects.all())


def guardianships_with_guardian(*, with_status: bool) -> QuerySet[Guardianship]:
    """Guardianships for prefetching; with_status adds the guardian's invitation status (one more query)."""
    guardianships = Guardianship.objects.order_by("guardian__last_name", "guardian__first_name")
    if with_status:
        return guardianships.prefetch_related(Prefetch("guardian", queryset=users_with_status()))
    return guardianships.select_related("guardian")


def guardian_ids_of_school(school: School) -> QuerySet:
    return Guardianship.objects.filter(pupil__school=school).values("guardian_id")


def pupils_of_school(school: School, *, q: str = "") -> QuerySet[Pupil]:
    """The school's pupils with current class and guardians; search by pupil name or guardian name/email."""
    pupils = Pupil.objects.filter(school=school)
    if q:
        by_guardian = matching(
            Guardianship.objects.filter(pupil__school=school),
            q,
            "guardian__email",
            "guardian__first_name",
            "guardian__last_name",
        )
        by_name = matching(pupils, q, "first_name", "last_name")
        pupils = pupils.filter(Q(id__in=by_name.values("id")) | Q(id__in=by_guardian.values("pupil_id")))
    return pupils.order_by("last_name", "first_name", "id").prefetch_related(
        Prefetch(
            "enrolments", queryset=current_enrolments().select_related("group"), to_attr="current_enrolments"
        ),
        Prefetch("guardianships", queryset=guardianships_with_guardian(with_status=True)),
    )


def guardians_of_school(school: School, *, q: str = "", status: str | None = None):
    """Guardians of the school's pupils with their invitation status and their children at this school."""
    guardians = users_with_status().filter(id__in=guardian_ids_of_school(school))
    guardians = matching(guardians, q, "email", "first_name", "last_name")
    if status:
        guardians = guardians.filter(invitation_status=status)
    children = (
        Guardianship.objects.filter(pupil__school=school)
        .select_related("pupil")
        .order_by("pupil__first_name")
    )
    return guardians.order_by("last_name", "first_name", "id").prefetch_related(
        Prefetch("guardianships", queryset=children, to_attr="children_here")
    )


def classes_of_school(school: School) -> QuerySet[Group]:
    """This year's classes with their pupil count and teachers: two queries."""
    return (
        current_classes_of(school)
        .annotate(pupil_count=Count("enrolments"))
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "teaching",
                queryset=TeachingAssignment.objects.select_related("teacher").order_by("teacher__last_name"),
            )
        )
    )


def staff_of_school(school: School, *, q: str = "") -> QuerySet[StaffRole]:
    """The school's staff roles with the person and their invitation status."""
    roles = matching(
        StaffRole.objects.filter(school=school), q, "user__email", "user__first_name", "user__last_name"
    )
    return roles.order_by("role", "user__last_name", "user__first_name").prefetch_related(
        Prefetch("user", queryset=users_with_status())
    )


def teachers_of_school(school: School):
    from accounts.models import User

    return User.objects.filter(staff_roles__school=school, staff_roles__role=StaffRole.Role.TEACHER).order_by(
        "last_name", "first_name"
    )


def people_of_school(school: School, *, staff: bool = True):
    """Everyone connected to the school: guardians of its pupils and (unless staff=False) its staff."""
    from accounts.models import User

    people = Q(id__in=guardian_ids_of_school(school))
    if staff:
        people |= Q(id__in=StaffRole.objects.filter(school=school).values("user_id"))
    return User.objects.filter(people)


def school_overview(school: School) -> dict[str, int]:
    """The administration's counts, one query each."""
    from accounts.models import Invitation

    open_invitations = Invitation.objects.filter(
        school=school, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return {
        "pupils": Pupil.objects.filter(school=school).count(),
        "guardians": people_of_school(school, staff=False).count(),
        "active_accounts": people_of_school(school).filter(activated_at__isnull=False).count(),
        "open_invitations": open_invitations.values("user_id").distinct().count(),
        "groups": current_classes_of(school).count(),
        "staff": StaffRole.objects.filter(school=school).values("user_id").distinct().count(),
    }


@dataclass
class GroupPage:
    group: Group
    is_staff: bool  # manages it (groups_staffed_by): teaches the class, or runs its school
    is_admin: bool  # director or office of its school
    teachers: list  # the class's teachers; for the school-wide group its directors
    assignments: list  # the class's TeachingAssignment rows (teachers are their .teacher)
    class_parents: list  # ClassParent rows whose guardian still has a child in the class
    pupils: list  # staff only: pupils in the class with guardianships
    staff: list  # the school-wide group's staff (StaffRole rows), for everyone who works at the school
    read_only: bool = False  # a class of an earlier school year (past_classes)


def class_parents_of_group(group: Group) -> QuerySet[ClassParent]:
    """Class parents who still have a child in the class (a move ends the role without a write)."""
    return (
        ClassParent.objects.filter(group=group, guardian__in=guardians_of_group(group))
        .select_related("guardian")
        .order_by("guardian__last_name", "guardian__first_name")
    )


def get_group_page(viewer, group: Group) -> GroupPage:
    """The group page: teachers for parents, members for staff; a fixed number of queries."""
    is_staff = groups_staffed_by(viewer).filter(pk=group.pk).exists()
    is_admin = is_staff and schools_administered_by(viewer).filter(pk=group.school_id).exists()
    pupils, staff, class_parents, assignments = [], [], [], []
    if group.is_school_wide:
        from accounts.models import User

        teachers = list(
            User.objects.filter(
                staff_roles__school_id=group.school_id, staff_roles__role=StaffRole.Role.DIRECTOR
            ).order_by("last_name", "first_name")
        )
        if is_staff or staff_roles_of(viewer).filter(school_id=group.school_id).exists():
            staff = list(
                StaffRole.objects.filter(school_id=group.school_id)
                .select_related("user")
                .order_by("role", "user__last_name", "user__first_name")
            )
    else:
        assignments = list(
            TeachingAssignment.objects.filter(group=group)
            .select_related("teacher")
            .order_by("teacher__last_name", "teacher__first_name")
        )
        teachers = [assignment.teacher for assignment in assignments]
        class_parents = list(class_parents_of_group(group))
        if is_staff:
            pupils = list(
                pupils_of_group(group)
                .order_by("first_name", "last_name")
                .prefetch_related(
                    Prefetch("guardianships", queryset=guardianships_with_guardian(with_status=is_admin))
                )
            )
    return GroupPage(
        group=group,
        is_staff=is_staff,
        is_admin=is_admin,
        teachers=teachers,
        assignments=assignments,
        class_parents=class_parents,
        pupils=pupils,
        staff=staff,
        read_only=is_past_class(group),
    )
