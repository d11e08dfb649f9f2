"""Viewer-scoped reads: a parent's reports, the teachers' morning overview, the office's whole school."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from absences.calendar import Calendar
from absences.kinds import label_of, planned_choices_per_school, with_kind_words
from absences.models import Absence, AbsencePolicy, LeaveRequest, SchoolClosure
from core.clock import school_today
from core.viewer import is_two_factor_verified
from schools.models import Pupil, School, StaffRole
from schools.queries import (
    ADMIN_ROLES,
    children_of,
    current_enrolments,
    schools_administered_by,
    staff_roles_of,
)

OVERVIEW_DAYS = 5
RECENT = datetime.timedelta(days=30)


def staff_pupils(viewer) -> QuerySet[Pupil]:
    """Pupils whose absences the viewer sees as staff: their classes, or the whole school they run."""
    if not is_two_factor_verified(viewer):
        return Pupil.objects.none()
    taught = current_enrolments().filter(group__teaching__teacher=viewer).values("pupil_id")
    runs = staff_roles_of(viewer).filter(role__in=ADMIN_ROLES).values("school_id")
    return Pupil.objects.filter(Q(id__in=taught) | Q(school_id__in=runs))


def with_group(queryset: QuerySet) -> QuerySet:
    """Annotate each row with its pupil's current class name (one subquery, no extra query)."""
    group = current_enrolments().filter(pupil_id=OuterRef("pupil_id")).values("group__name")[:1]
    return queryset.annotate(group_name=Subquery(group))


def absences_of_children(viewer) -> QuerySet[Absence]:
    """The viewer's children's reports: open ones and those of the last month and ahead."""
    since = school_today() - RECENT
    return with_kind_words(
        Absence.objects.filter(pupil__in=children_of(viewer))
        .filter(Q(starts_on__gte=since) | Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("pupil", "reported_by", "changed_by")
        .order_by("-starts_on", "-created_at")
    )


def leave_requests_of_children(viewer) -> QuerySet[LeaveRequest]:
    since = school_today() - RECENT
    return (
        LeaveRequest.objects.filter(pupil__in=children_of(viewer), ends_on__gte=since)
        .select_related("pupil", "requested_by", "decided_by")
        .order_by("-starts_on")
    )


@dataclass
class ChildPolicy:
    """A child with the rules of their school, for the report forms and the API."""

    pupil: Pupil
    policy: AbsencePolicy
    kinds: list[tuple[str, str]] = field(default_factory=list)  # with_kinds: the planned kinds offered


def children_with_policy(viewer, *, with_kinds: bool = False) -> list[ChildPolicy]:
    """The viewer's children and each school's policy: two queries; with the kinds offered, three."""
    children = list(children_of(viewer).select_related("school").order_by("first_name"))
    schools = {c.school_id for c in children}
    policies = {p.school_id: p for p in AbsencePolicy.objects.filter(school_id__in=schools)}
    kinds = planned_choices_per_school(schools) if with_kinds and schools else {}
    return [
        ChildPolicy(
            pupil=c,
            policy=policies.get(c.school_id) or AbsencePolicy(school=c.school),
            kinds=kinds.get(c.school_id, []),
        )
        for c in children
    ]


def one_per_school(children: list[ChildPolicy]) -> list[ChildPolicy]:
    """The policy of each school the children attend, once."""
    return list({c.pupil.school_id: c for c in children}.values())


def is_absence_staff(viewer) -> bool:
    return staff_roles_of(viewer).exists()


@dataclass
class OverviewDay:
    day: datetime.date
    absences: list = field(default_factory=list)
    leave: list = field(default_factory=list)
    closure: object = None

    @property
    def count(self) -> int:
        return len(self.absences) + len(self.leave)


@dataclass
class Overview:
    days: list[OverviewDay]
    pending_leave: list  # for director and office: requests waiting for a decision
    can_decide: bool
    is_admin: bool
    school: School | None


def active_absences(pupils: QuerySet, first: datetime.date, last: datetime.date) -> QuerySet[Absence]:
    return with_kind_words(
        with_group(
            Absence.objects.filter(pupil__in=pupils, withdrawn_at__isnull=True, starts_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
            .select_related("pupil")
            .order_by("pupil__first_name", "from_time")
        )
    )


def granted_leave(pupils: QuerySet, first: datetime.date, last: datetime.date) -> QuerySet[LeaveRequest]:
    return with_group(
        LeaveRequest.objects.filter(
            pupil__in=pupils, status=LeaveRequest.Status.GRANTED, starts_on__lte=last, ends_on__gte=first
        )
        .select_related("pupil")
        .order_by("pupil__first_name")
    )


def pending_leave_of(viewer) -> QuerySet[LeaveRequest]:
    return with_group(
        LeaveRequest.objects.filter(
            school__in=schools_administered_by(viewer), status=LeaveRequest.Status.PENDING
        ).select_related("pupil", "requested_by")
    ).order_by("starts_on")


def staff_school(viewer) -> School | None:
    role = staff_roles_of(viewer).select_related("school").order_by("school__name").first()
    return role.school if role else None


def weekdays_from(first: datetime.date, count: int) -> list[datetime.date]:
    """`count` weekdays from `first` on; days off stay in the list, so the overview can name them."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def get_overview(viewer, *, first: datetime.date | None = None, days: int = OVERVIEW_DAYS) -> Overview:
    """Today and the coming school days: who is away, per day; a fixed number of queries."""
    today = school_today()
    first = first or today
    roles = list(staff_roles_of(viewer).select_related("school").order_by("school__name"))
    school = roles[0].school if roles else None
    weekdays = weekdays_from(first, days)
    calendar = Calendar.of(school, weekdays[0], weekdays[-1]) if school else Calendar([])
    pupils = staff_pupils(viewer)
    absences = list(active_absences(pupils, weekdays[0], weekdays[-1]))
    leave = list(granted_leave(pupils, weekdays[0], weekdays[-1]))
    overview_days = []
    for day in weekdays:
        entry = OverviewDay(day=day, closure=calendar.closure_on(day))
        # An open sick report counts until today, not into the days ahead.
        entry.absences = [a for a in absences if a.starts_on <= day <= (a.ends_on or max(today, a.starts_on))]
        entry.leave = [lr for lr in leave if lr.starts_on <= day <= lr.ends_on]
        overview_days.append(entry)
    role_names = {r.role for r in roles if school and r.school_id == school.pk}
    is_admin = bool(role_names & set(ADMIN_ROLES))
    return Overview(
        days=overview_days,
        pending_leave=list(pending_leave_of(viewer)) if is_admin else [],
        can_decide=StaffRole.Role.DIRECTOR in role_names,
        is_admin=is_admin,
        school=school,
    )


def export_rows(viewer, first: datetime.date, last: datetime.date) -> list[list[str]]:
    """The absences (reports and granted leave) between two dates, as rows for the pupil administration."""
    pupils = staff_pupils(viewer)
    rows = []
    for a in active_absences(pupils, first, last).order_by("starts_on", "pupil__last_name"):
        rows.append(
            [
                a.starts_on.isoformat(),
                a.ends_on.isoformat() if a.ends_on else "",
                a.pupil.last_name,
                a.pupil.first_name,
                a.group_name or "",
                a.kind,
                a.from_time.strftime("%H:%M") if a.from_time else "",
                a.until_time.strftime("%H:%M") if a.until_time else "",
                a.note,
                label_of(a),
            ]
        )
    for lr in granted_leave(pupils, first, last).order_by("starts_on", "pupil__last_name"):
        rows.append(
            [
                lr.starts_on.isoformat(),
                lr.ends_on.isoformat(),
                lr.pupil.last_name,
                lr.pupil.first_name,
                lr.group_name or "",
                f"leave:{lr.kind}",
                "",
                "",
                "",
                lr.get_kind_display(),
            ]
        )
    return rows


# The kind's code is for programs; its name (as the school words it, in the reader's language) comes last,
# so an import that reads the columns by position keeps working.
EXPORT_HEADER = [
    *("first_day", "last_day", "last_name", "first_name", "group", "kind", "from", "until", "note"),
    "kind_name",
]


def closures_of(school: School) -> QuerySet[SchoolClosure]:
    """The school's days off from last month on."""
    return SchoolClosure.objects.filter(school=school, ends_on__gte=school_today() - RECENT)


def pupils_for_sick_calls(viewer) -> QuerySet[Pupil]:
    """The pupils of the schools the viewer runs, by class, for noting a parent's phone call."""
    group = current_enrolments().filter(pupil_id=OuterRef("pk")).values("group__name")[:1]
    pupils = Pupil.objects.filter(school__in=schools_administered_by(viewer))
    return pupils.annotate(group_name=Subquery(group)).order_by("group_name", "first_name", "last_name")
