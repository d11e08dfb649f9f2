"""The school-year rollover (jaarovergang): open the next year, shape its classes, place pupils, apply.

Opening the next year copies this year's classes (same names, same teachers) into it and stores a proposal per
pupil (roster.rollover_plan). Until its first day the new year is not current, so none of this is seen by
parents or counts for teachers: schools.queries derive "current" from the years' first days, and on the first
day every membership switches at once. Applying writes the places as the new year's enrolments, and marks
groep 8 and other leavers as leaving on the first day, in one transaction; applying again changes nothing.
An applied roster import of the new year replaces the proposal (roster.actions.do_apply marks it).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.clock import school_today
from core.refusals import Invalid
from roster.models import Placement, Rollover
from roster.rollover_plan import default_first_day, grade_of, next_year_name, propose
from schools.models import Enrolment, Group, School, SchoolYear, StaffRole, TeachingAssignment
from schools.queries import FORMER_CLASSES_MONTHS_MAX, current_enrolments, current_school_year_of

NAME_MAX = 100


def suggested_first_day(school: School) -> datetime.date | None:
    """The first day the form proposes for the next year (see rollover_plan.default_first_day)."""
    from absences.models import SchoolClosure

    current = current_school_year_of(school)
    if current is None:
        return None
    holidays = SchoolClosure.objects.filter(school=school, kind=SchoolClosure.Kind.HOLIDAY)
    return default_first_day(
        year_ends_on=current.ends_on, holidays=list(holidays.values_list("starts_on", "ends_on"))
    )


def _check_first_day(first_day: datetime.date, current: SchoolYear) -> None:
    if first_day <= school_today():
        raise Invalid(_("The first day of the new year must be in the future."), code="first_day")
    if (
        not current.starts_on + datetime.timedelta(days=180)
        < first_day
        <= current.ends_on + datetime.timedelta(days=92)
    ):
        raise Invalid(
            _("The first day must be between half a year after %(start)s and three months after %(end)s.")
            % {"start": current.starts_on.isoformat(), "end": current.ends_on.isoformat()},
            code="first_day",
        )


def _check_months(months: int | None) -> None:
    if months is not None and not 0 <= months <= FORMER_CLASSES_MONTHS_MAX:
        raise Invalid(
            _("Choose between 0 and %(max)s months.") % {"max": FORMER_CLASSES_MONTHS_MAX}, code="months"
        )


def open_rollover_of(school: School) -> Rollover | None:
    """The school's rollover into a year that has not begun yet (the one the wizard works on)."""
    return (
        Rollover.objects.select_related("to_year", "from_year", "replaced_by", "applied_by")
        .filter(school=school, to_year__starts_on__gt=school_today())
        .first()
    )


@transaction.atomic
def check_open_next_year(
    *, acting_user: User, school: School, first_day: datetime.date | None = None, months: int | None = None
) -> Rollover:
    """Open the year after the current one: copy the classes and teachers, and propose each pupil's place."""
    School.objects.select_for_update().filter(pk=school.pk).first()  # one opening at a time per school
    current = current_school_year_of(school)
    if current is None:
        raise Invalid(_("This school has no current school year to roll over from."), code="no_year")
    if SchoolYear.objects.filter(school=school, starts_on__gt=current.starts_on).exists():
        raise Invalid(_("The next school year is already open."), code="already_open")
    first_day = first_day or suggested_first_day(school)
    _check_first_day(first_day, current)
    _check_months(months)
    name = next_year_name(first_day)
    if SchoolYear.objects.filter(school=school, name=name).exists():
        raise Invalid(_("The school already has a year named %(name)s.") % {"name": name}, code="first_day")
    if current.ends_on >= first_day:
        current.ends_on = first_day - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    year = SchoolYear.objects.create(
        school=school, name=name, starts_on=first_day, ends_on=datetime.date(first_day.year + 1, 7, 31)
    )
    if months is not None:
        School.objects.filter(pk=school.pk).update(former_classes_months=months)
    rollover = Rollover.objects.create(school=school, from_year=current, to_year=year, opened_by=acting_user)
    old_groups = list(Group.objects.filter(school_year=current, kind=Group.Kind.CLASS).order_by("name"))
    copies = Group.objects.bulk_create(
        Group(school=school, school_year=year, kind=Group.Kind.CLASS, name=group.name) for group in old_groups
    )
    copy_of = {old.pk: new.pk for old, new in zip(old_groups, copies, strict=True)}
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(teacher_id=teacher_id, group_id=copy_of[group_id])
        for teacher_id, group_id in TeachingAssignment.objects.filter(group__in=old_groups).values_list(
            "teacher_id", "group_id"
        )
    )
    new_groups = {new.pk: new.name for new in copies}
    placements = []
    for enrolment in current_enrolments().filter(school_year=current).select_related("group"):
        proposal = propose(grade=enrolment.grade, group_name=enrolment.group.name, new_groups=new_groups)
        placements.append(
            Placement(
                rollover=rollover,
                pupil_id=enrolment.pupil_id,
                from_group_id=enrolment.group_id,
                from_grade=grade_of(enrolment.grade, enrolment.group.name),
                group_id=proposal.group_id,
                grade=proposal.grade,
                needs_check=proposal.needs_check,
            )
        )
    Placement.objects.bulk_create(placements)
    record(
        actor=acting_user,
        action="rollover.opened",
        target=rollover,
        school=school,
        year=name,
        first_day=first_day.isoformat(),
        classes=len(copies),
        pupils=len(placements),
        leavers=sum(1 for p in placements if p.group_id is None),
    )
    return rollover


def _editable(rollover: Rollover) -> None:
    if rollover.to_year.starts_on <= school_today():
        raise Invalid(_("The new year has begun; change it in the school's administration."), code="begun")


@transaction.atomic
def check_change_settings(
    *, acting_user: User, rollover: Rollover, first_day: datetime.date | None, months: int | None
) -> Rollover:
    """Move the new year's first day (leavers leave on it) and set how long parents read last year."""
    _editable(rollover)
    _check_months(months)
    year = rollover.to_year
    if first_day is not None and first_day != year.starts_on:
        _check_first_day(first_day, rollover.from_year)
        if next_year_name(first_day) != year.name:
            raise Invalid(
                _("The first day must stay in %(year)s.") % {"year": year.name[:4]}, code="first_day"
            )
        Enrolment.objects.filter(school_year=rollover.from_year, left_on=year.starts_on).update(
            left_on=first_day
        )
        old = rollover.from_year
        if old.ends_on >= first_day or old.ends_on == year.starts_on - datetime.timedelta(days=1):
            old.ends_on = min(first_day - datetime.timedelta(days=1), datetime.date(first_day.year, 7, 31))
            old.save(update_fields=["ends_on"])
        year.starts_on = first_day
        year.save(update_fields=["starts_on"])
    if months is not None:
        School.objects.filter(pk=rollover.school_id).update(former_classes_months=months)
    record(
        actor=acting_user,
        action="rollover.settings",
        target=rollover,
        school=rollover.school,
        first_day=year.starts_on.isoformat(),
        months=months,
    )
    return rollover


def _clean_name(rollover: Rollover, name: str, *, other_than: Group | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the class a name."), code="name")
    if len(name) > NAME_MAX:
        raise Invalid(_("A class name has at most %(max)s characters.") % {"max": NAME_MAX}, code="name")
    taken = Group.objects.filter(school_year=rollover.to_year, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise Invalid(_("The new year already has a class named %(name)s.") % {"name": name}, code="name")
    return name


def _create_class(rollover: Rollover, name: str) -> Group:
    return Group.objects.create(
        school_id=rollover.school_id,
        school_year=rollover.to_year,
        kind=Group.Kind.CLASS,
        name=_clean_name(rollover, name),
    )


@transaction.atomic
def check_add_group(*, acting_user: User, rollover: Rollover, name: str) -> Group:
    _editable(rollover)
    group = _create_class(rollover, name)
    record(
        actor=acting_user,
        action="rollover.group_added",
        target=group,
        school=rollover.school,
        name=group.name,
    )
    return group


@transaction.atomic
def check_rename_group(*, acting_user: User, rollover: Rollover, group: Group, name: str) -> Group:
    _editable(rollover)
    old, group.name = group.name, _clean_name(rollover, name, other_than=group)
    group.save(update_fields=["name"])
    record(
        actor=acting_user,
        action="rollover.group_renamed",
        target=group,
        school=rollover.school,
        old=old,
        new=group.name,
    )
    return group


@transaction.atomic
def check_merge_groups(*, acting_user: User, rollover: Rollover, group: Group, into: Group) -> Group:
    """Merge `group` into `into`: its pupils' places and its teachers go there, and `group` is removed."""
    _editable(rollover)
    if group.pk == into.pk:
        raise Invalid(_("Choose another class to merge with."), code="into")
    Placement.objects.filter(rollover=rollover, group=group).update(group=into)
    Enrolment.objects.filter(school_year=rollover.to_year, group=group).update(group=into)
    has = set(TeachingAssignment.objects.filter(group=into).values_list("teacher_id", flat=True))
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(teacher_id=teacher_id, group=into)
        for teacher_id in TeachingAssignment.objects.filter(group=group).values_list("teacher_id", flat=True)
        if teacher_id not in has
    )
    record(
        actor=acting_user,
        action="rollover.groups_merged",
        target=into,
        school=rollover.school,
        merged=group.name,
        into=into.name,
    )
    group.delete()
    return into


@transaction.atomic
def check_split_group(
    *, acting_user: User, rollover: Rollover, group: Group, name: str, pupil_ids: list[str]
) -> Group:
    """Split a class: a new class named `name` gets the chosen pupils placed in `group`."""
    _editable(rollover)
    chosen = Placement.objects.filter(rollover=rollover, group=group, pupil__public_id__in=pupil_ids)
    if not pupil_ids or chosen.count() != len(set(pupil_ids)):
        raise Invalid(_("Choose the pupils of this class who go to the new class."), code="pupils")
    new = _create_class(rollover, name)
    moved = chosen.update(group=new, chosen=True, needs_check=False)
    Enrolment.objects.filter(
        school_year=rollover.to_year, group=group, pupil__public_id__in=pupil_ids
    ).update(group=new)
    record(
        actor=acting_user,
        action="rollover.group_split",
        target=new,
        school=rollover.school,
        split=group.name,
        new=new.name,
        pupils=moved,
    )
    return new


@transaction.atomic
def check_place_pupil(
    *, acting_user: User, rollover: Rollover, placement: Placement, group: Group | None, grade: int | None
) -> Placement:
    """The office's own choice for one pupil: another class, kept back (the same grade), or leaving."""
    _editable(rollover)
    if grade is not None and not 1 <= grade <= 8:
        raise Invalid(_("A grade is 1 to 8."), code="grade")
    placement.group = group
    placement.grade = grade if group is not None else None
    placement.chosen, placement.needs_check = True, False
    placement.save(update_fields=["group", "grade", "chosen", "needs_check"])
    record(
        actor=acting_user,
        action="rollover.pupil_placed",
        target=placement.pupil,
        school=rollover.school,
        group=group.name if group else "",
        grade=placement.grade,
    )
    return placement


@transaction.atomic
def check_assign_teachers(
    *, acting_user: User, rollover: Rollover, group: Group, teacher_ids: list[str]
) -> list[User]:
    """The new class's teachers become exactly these teachers of the school (none: no teacher yet)."""
    _editable(rollover)
    teachers = list(
        User.objects.filter(
            public_id__in=teacher_ids,
            staff_roles__school_id=rollover.school_id,
            staff_roles__role=StaffRole.Role.TEACHER,
        ).distinct()
    )
    if len(teachers) != len(set(teacher_ids)):
        raise Invalid(_("Choose teachers of this school."), code="teachers")
    TeachingAssignment.objects.filter(group=group).exclude(teacher__in=teachers).delete()
    TeachingAssignment.objects.bulk_create(
        [TeachingAssignment(teacher=teacher, group=group) for teacher in teachers], ignore_conflicts=True
    )
    record(
        actor=acting_user,
        action="rollover.teachers_assigned",
        target=group,
        school=rollover.school,
        teachers=[teacher.public_id for teacher in teachers],
    )
    return teachers


def check_apply_rollover(*, acting_user: User, rollover: Rollover) -> dict[str, int]:
    """Write the places as the new year's enrolments and mark the leavers, in one transaction.

    Converges: what already matches is left alone, so applying twice changes nothing the second time, and
    applying again after a change before the first day writes only that change.
    """
    with transaction.atomic():
        rollover = (
            Rollover.objects.select_for_update().select_related("to_year", "from_year").get(pk=rollover.pk)
        )
        if rollover.replaced_by_id:
            raise Invalid(
                _("An import of the new year replaced this proposal; its classes and places count."),
                code="replaced",
            )
        year, first_day = rollover.to_year, rollover.to_year.starts_on
        placements = list(Placement.objects.filter(rollover=rollover))
        existing = {e.pupil_id: e for e in Enrolment.objects.filter(school_year=year)}
        counts = {"placed": 0, "moved": 0, "left": 0}
        new = []
        for placement in placements:
            enrolment = existing.get(placement.pupil_id)
            if placement.group_id is None:
                if enrolment is not None:
                    enrolment.delete()
                    counts["moved"] += 1
                continue
            if enrolment is None:
                new.append(
                    Enrolment(
                        pupil_id=placement.pupil_id,
                        group_id=placement.group_id,
                        school_year=year,
                        grade=placement.grade,
                    )
                )
            elif (enrolment.group_id, enrolment.grade, enrolment.left_on) != (
                placement.group_id,
                placement.grade,
                None,
            ):
                Enrolment.objects.filter(pk=enrolment.pk).update(
                    group_id=placement.group_id, grade=placement.grade, left_on=None
                )
                counts["moved"] += 1
        Enrolment.objects.bulk_create(new)
        counts["placed"] = len(new)
        leaving = [p.pupil_id for p in placements if p.group_id is None]
        staying = [p.pupil_id for p in placements if p.group_id is not None]
        old = Enrolment.objects.filter(school_year=rollover.from_year)
        counts["left"] = old.filter(pupil_id__in=leaving, left_on__isnull=True).update(left_on=first_day)
        # One kept after all (the office changed its mind): no longer leaves on the first day.
        counts["moved"] += old.filter(pupil_id__in=staying, left_on=first_day).update(left_on=None)
        first_time = rollover.applied_at is None
        if first_time:
            Rollover.objects.filter(pk=rollover.pk).update(applied_at=timezone.now(), applied_by=acting_user)
        if first_time or any(counts.values()):
            record(
                actor=acting_user,
                action="rollover.applied",
                target=rollover,
                school=rollover.school,
                **counts,
            )
    return counts


def mark_replaced_by_import(*, school: School, year_name: str, roster_import) -> None:
    """An applied import of a year the rollover opened: its places replace the proposal."""
    Rollover.objects.filter(school=school, to_year__name=year_name, replaced_by__isnull=True).update(
        replaced_by=roster_import
    )


# --- Reads for the wizard (pages and API) ----------------------------------------------------------------


def new_groups_of(rollover: Rollover):
    """The new year's classes with their teachers and the number of pupils placed in each."""
    from django.db.models import Count, Prefetch

    return (
        Group.objects.filter(school_year=rollover.to_year, kind=Group.Kind.CLASS)
        .annotate(placed=Count("placements", filter=Q(placements__rollover=rollover)))
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "teaching",
                queryset=TeachingAssignment.objects.select_related("teacher").order_by(
                    "teacher__last_name", "teacher__first_name"
                ),
            )
        )
    )


def placements_of(rollover: Rollover, *, group: Group | None = None):
    placements = Placement.objects.filter(rollover=rollover).select_related("pupil", "from_group", "group")
    if group is not None:
        placements = placements.filter(group=group)
    return placements.order_by("from_group__name", "pupil__last_name", "pupil__first_name")


def rollover_counts(rollover: Rollover) -> dict[str, int]:
    placements = Placement.objects.filter(rollover=rollover)
    return {
        "pupils": placements.count(),
        "leaving": placements.filter(group__isnull=True).count(),
        "chosen": placements.filter(chosen=True).count(),
        "to_check": placements.filter(needs_check=True).count(),
        "classes": Group.objects.filter(school_year=rollover.to_year, kind=Group.Kind.CLASS).count(),
        "without_teacher": Group.objects.filter(
            school_year=rollover.to_year, kind=Group.Kind.CLASS, teaching__isnull=True
        ).count(),
    }
