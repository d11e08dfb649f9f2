"""Every change to absences: reports, sick reports, leave requests, the school's policy and days off.

`check_*` validates and raises a refusal (`core.refusals`: a translated message) before anything is
saved; each runs in one transaction, so a refusal leaves nothing half-saved. `now` is the school clock
unless given.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from absences.calendar import Calendar, calendar_around, policy_of, report_deadline, sick_deadline
from absences.kinds import ALWAYS_OFFERED, PLANNED_KINDS, KindWording, is_offered, wording_of
from absences.models import (
    KIND_NAME_MAX,
    Absence,
    AbsenceKindWording,
    AbsencePolicy,
    LeaveRequest,
    SchoolClosure,
)
from accounts.models import User
from core.audit import record
from core.clock import SCHOOL_TZ
from core.clock import now as clock_now
from core.events import Event, publish_on_commit
from core.refusals import Invalid, NotAllowed
from schools.models import Guardianship, Pupil, School, SchoolYear, StaffRole
from schools.queries import current_enrolments


def _local(now: datetime.datetime | None) -> datetime.datetime:
    return timezone.localtime(now or clock_now(), SCHOOL_TZ)


def _call_the_school(school: School) -> str:
    if school.phone:
        return _("Please call the school: %(phone)s.") % {"phone": school.phone}
    return _("Please call the school.")


def _too_late(school: School) -> Invalid:
    return Invalid(
        _("It is too late to report this in the app.") + " " + _call_the_school(school), code="too_late"
    )


def _check_school_day(calendar: Calendar, day: datetime.date) -> None:
    if day.weekday() >= 5:
        raise Invalid(_("There is no school at the weekend."), code="no_school")
    closure = calendar.closure_on(day)
    if closure is not None:
        raise Invalid(
            _("There is no school on that day (%(name)s).") % {"name": closure.name}, code="no_school"
        )


def _lock(pupil: Pupil) -> None:
    """Serialise reports for one child, so two quick taps cannot both pass the overlap check."""
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()


def _check_time_span(from_time, until_time) -> None:
    if (from_time is None) != (until_time is None):
        raise Invalid(_("Give both a start and an end time, or neither for the whole day."))
    if from_time is not None and until_time <= from_time:
        raise Invalid(_("The end time must be after the start time."))


def _check_planned(
    *, pupil: Pupil, kind: str, day: datetime.date, from_time, until_time, now, exclude=None
) -> None:
    """The rules for a planned absence on `day`, in the order a parent can act on them."""
    if kind not in PLANNED_KINDS:
        raise Invalid(_("Choose the kind of absence."))
    # A report keeps its kind when the school switches that kind off later.
    if not (exclude is not None and exclude.kind == kind) and not is_offered(pupil.school_id, kind):
        raise Invalid(
            _("The school does not take this kind of absence in the app. Please choose another kind."),
            code="kind_not_offered",
        )
    _check_time_span(from_time, until_time)
    local = _local(now)
    if day < local.date():
        raise Invalid(_("That date is in the past."), code="past")
    policy = policy_of(pupil.school)
    calendar = calendar_around(pupil.school, day)
    if local >= report_deadline(policy, calendar, day):
        raise _too_late(pupil.school)
    _check_school_day(calendar, day)
    others = Absence.objects.filter(pupil=pupil, starts_on=day, withdrawn_at__isnull=True).exclude(
        kind=Absence.Kind.SICK
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        if (
            from_time is None
            or other.from_time is None
            or (from_time < other.until_time and other.from_time < until_time)
        ):
            raise Invalid(
                _("%(child)s already has an absence reported at that time.") % {"child": pupil.first_name},
                code="overlap",
            )


def _check_still_changeable(absence: Absence, now) -> None:
    if absence.withdrawn_at is not None:
        raise Invalid(_("This report has been withdrawn."))
    policy = policy_of(absence.school)
    if absence.is_sick:
        deadline = sick_deadline(policy, absence.starts_on)
    else:
        deadline = report_deadline(
            policy, calendar_around(absence.school, absence.starts_on), absence.starts_on
        )
    if _local(now) >= deadline:
        raise _too_late(absence.school)


# --- Events ---------------------------------------------------------------------------------------------


def other_guardian_ids(pupil: Pupil, acting_user) -> list[int]:
    guardians = Guardianship.objects.filter(pupil=pupil).exclude(guardian_id=acting_user.pk)
    return list(guardians.values_list("guardian_id", flat=True))


def teacher_ids_today(pupil: Pupil) -> list[int]:
    from schools.models import TeachingAssignment

    groups = current_enrolments().filter(pupil=pupil).values("group_id")
    return list(TeachingAssignment.objects.filter(group_id__in=groups).values_list("teacher_id", flat=True))


def _publish_changed(absence: Absence, acting_user, *, change: str, title: str, now) -> None:
    """Tell the child's other guardians; the class's teachers too when it concerns today."""
    recipients = other_guardian_ids(absence.pupil, acting_user)
    today = _local(now).date()
    if absence.starts_on <= today and (absence.ends_on is None or absence.ends_on >= today):
        recipients += [pk for pk in teacher_ids_today(absence.pupil) if pk not in recipients]
    publish_on_commit(
        Event(
            kind="absence.changed",
            actor_id=acting_user.pk,
            school_id=absence.school_id,
            recipient_ids=tuple(recipients),
            subject_type="absence",
            subject_id=absence.public_id,
            url=f"/absences/{absence.public_id}/",
            title=title,
            title_params={"child": absence.pupil.first_name},
            data={"change": change},
        )
    )


# --- Planned absences -----------------------------------------------------------------------------------


@transaction.atomic
def check_report_absence(
    *,
    acting_user: User,
    pupil: Pupil,
    kind: str,
    day: datetime.date,
    from_time: datetime.time | None = None,
    until_time: datetime.time | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Absence:
    """Report a planned absence (doctor, dentist, …) for one school day, whole or a time span."""
    _lock(pupil)
    _check_planned(pupil=pupil, kind=kind, day=day, from_time=from_time, until_time=until_time, now=now)
    return Absence.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        starts_on=day,
        ends_on=day,
        from_time=from_time,
        until_time=until_time,
        note=note.strip(),
        reported_by=acting_user,
    )


@transaction.atomic
def check_change_absence(
    *,
    acting_user: User,
    absence: Absence,
    kind: str,
    day: datetime.date,
    from_time: datetime.time | None = None,
    until_time: datetime.time | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Absence:
    """Change a planned absence before its deadline (both the old and the new day must allow it)."""
    if absence.is_sick:
        raise Invalid(_("A sick report cannot be changed; withdraw it or mark it recovered."))
    _lock(absence.pupil)
    _check_still_changeable(absence, now)
    _check_planned(
        pupil=absence.pupil,
        kind=kind,
        day=day,
        from_time=from_time,
        until_time=until_time,
        now=now,
        exclude=absence,
    )
    absence.kind, absence.starts_on, absence.ends_on = kind, day, day
    absence.from_time, absence.until_time, absence.note = from_time, until_time, note.strip()
    absence.changed_by, absence.changed_at = acting_user, clock_now()
    absence.save()
    _publish_changed(
        absence,
        acting_user,
        change="changed",
        title=gettext_noop("The absence report for %(child)s was changed"),
        now=now,
    )
    return absence


@transaction.atomic
def check_withdraw_absence(
    *, acting_user: User, absence: Absence, now: datetime.datetime | None = None
) -> None:
    """Withdraw a report before its deadline; the other guardians see it in the app."""
    _check_still_changeable(absence, now)
    absence.withdrawn_at = absence.changed_at = clock_now()
    absence.changed_by = acting_user
    absence.save(update_fields=["withdrawn_at", "changed_at", "changed_by"])
    _publish_changed(
        absence,
        acting_user,
        change="withdrawn",
        title=gettext_noop("The absence report for %(child)s was withdrawn"),
        now=now,
    )


# --- Sick reports ---------------------------------------------------------------------------------------


@transaction.atomic
def check_report_sick(
    *,
    acting_user: User,
    pupil: Pupil,
    day: datetime.date | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Absence:
    """Report a child sick (open-ended) when the school takes sick reports in the app."""
    school = pupil.school
    policy = policy_of(school)
    if policy.sick_reports != AbsencePolicy.SickReports.APP:
        raise Invalid(
            _("Sick reports go by phone: call %(phone)s before %(time)s.")
            % {"phone": school.phone or _("the school"), "time": policy.sick_cutoff.strftime("%-H:%M")},
            code="phone_only",
        )
    local = _local(now)
    calendar = calendar_around(school, local.date(), ahead=21)
    day = day or local.date()
    if day < local.date():
        raise Invalid(_("That date is in the past."), code="past")
    if day == local.date() and local >= sick_deadline(policy, day):
        raise _too_late(school)
    _check_school_day(calendar, day)
    if day > (calendar.school_days(local.date() + datetime.timedelta(days=1), 1) or [day])[0]:
        raise Invalid(_("Report sick on the day itself, or the evening before."))
    return _open_sick_report(pupil=pupil, day=day, note=note, acting_user=acting_user)


def _open_sick_report(*, pupil: Pupil, day: datetime.date, note: str, acting_user: User) -> Absence:
    """At most one open sick report per child; the database constraint backs up the check."""
    _lock(pupil)
    already = _("%(child)s is already reported sick.") % {"child": pupil.first_name}
    if Absence.objects.filter(
        pupil=pupil, kind=Absence.Kind.SICK, ends_on__isnull=True, withdrawn_at__isnull=True
    ).exists():
        raise Invalid(already, code="already_sick")
    try:
        with transaction.atomic():
            return Absence.objects.create(
                school_id=pupil.school_id,
                pupil=pupil,
                kind=Absence.Kind.SICK,
                starts_on=day,
                note=note.strip(),
                reported_by=acting_user,
            )
    except IntegrityError:
        raise Invalid(already, code="already_sick") from None


@transaction.atomic
def check_record_sick_call(
    *, acting_user: User, pupil: Pupil, note: str = "", now: datetime.datetime | None = None
) -> Absence:
    """The office notes a parent's phone call: the child is sick from today, until reported better."""
    runs_school = StaffRole.objects.filter(
        user=acting_user, school_id=pupil.school_id, role__in=[StaffRole.Role.DIRECTOR, StaffRole.Role.OFFICE]
    )
    if not runs_school.exists():
        raise NotAllowed(_("Only the office records sick calls."))
    today = _local(now).date()
    _check_school_day(calendar_around(pupil.school, today), today)
    absence = _open_sick_report(pupil=pupil, day=today, note=note, acting_user=acting_user)
    record(actor=acting_user, action="absence.sick_call_recorded", target=absence, school=pupil.school)
    return absence


@transaction.atomic
def check_recovered(*, acting_user: User, absence: Absence, now: datetime.datetime | None = None) -> Absence:
    """Close an open sick report: before the morning cutoff the child is back today, else from tomorrow."""
    if not absence.is_open:
        raise Invalid(_("This report is not an open sick report."))
    local = _local(now)
    policy = policy_of(absence.school)
    last_sick_day = local.date()
    if local < sick_deadline(policy, local.date()):
        last_sick_day -= datetime.timedelta(days=1)
    absence.ends_on = max(absence.starts_on, last_sick_day)
    absence.changed_by, absence.changed_at = acting_user, clock_now()
    absence.save(update_fields=["ends_on", "changed_by", "changed_at"])
    _publish_changed(
        absence,
        acting_user,
        change="recovered",
        title=gettext_noop("%(child)s is better again"),
        now=now,
    )
    return absence


# --- Leave requests -------------------------------------------------------------------------------------


@transaction.atomic
def check_request_leave(
    *,
    acting_user: User,
    pupil: Pupil,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    now: datetime.datetime | None = None,
) -> LeaveRequest:
    """Ask the director for leave (verlof); holiday leave must be asked the school's number of days ahead."""
    if kind not in LeaveRequest.Kind.values:
        raise Invalid(_("Choose the kind of leave."))
    if not reason.strip():
        raise Invalid(_("Give the reason for the leave."))
    if ends_on < starts_on:
        raise Invalid(_("The last day must not be before the first day."))
    today = _local(now).date()
    if starts_on <= today:
        raise Invalid(_("Leave must be asked before the first day."), code="past")
    if ends_on - starts_on > datetime.timedelta(days=366):
        raise Invalid(_("Leave can be asked for at most a year."))
    policy = policy_of(pupil.school)
    ahead = policy.holiday_leave_days_ahead
    if kind == LeaveRequest.Kind.HOLIDAY and starts_on < today + datetime.timedelta(days=ahead):
        raise Invalid(
            _("Holiday leave must be asked at least %(days)d days ahead.") % {"days": ahead}
            + " "
            + _call_the_school(pupil.school),
            code="too_late",
        )
    calendar = Calendar.of(pupil.school, starts_on, ends_on)
    span = (ends_on - starts_on).days + 1
    if not any(calendar.is_school_day(starts_on + datetime.timedelta(days=n)) for n in range(span)):
        raise Invalid(_("There is no school on those days."), code="no_school")
    _lock(pupil)
    overlapping = LeaveRequest.objects.filter(
        pupil=pupil,
        status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.GRANTED],
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        raise Invalid(
            _("%(child)s already has leave asked for those days.") % {"child": pupil.first_name},
            code="overlap",
        )
    leave = LeaveRequest.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        requested_by=acting_user,
    )
    record(actor=acting_user, action="leave.requested", target=leave, school=pupil.school, kind=kind)
    return leave


@transaction.atomic
def check_decide_leave(*, acting_user: User, leave: LeaveRequest, grant: bool, reason: str) -> LeaveRequest:
    """The director grants or refuses a leave request, with the reason recorded; the guardians are told."""
    directs = StaffRole.objects.filter(
        user=acting_user, school_id=leave.school_id, role=StaffRole.Role.DIRECTOR
    )
    if not directs.exists():
        raise NotAllowed(_("Only the director decides on leave."))
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if not leave.is_pending:
        raise Invalid(_("This leave request has already been dealt with."))
    if not reason.strip():
        raise Invalid(_("Give the reason for the decision."))
    leave.status = LeaveRequest.Status.GRANTED if grant else LeaveRequest.Status.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_reason = acting_user, clock_now(), reason.strip()
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(actor=acting_user, action=f"leave.{leave.status}", target=leave, school=leave.school)
    title = (
        gettext_noop("The leave request for %(child)s was granted")
        if grant
        else gettext_noop("The leave request for %(child)s was refused")
    )
    pupil = Pupil.objects.get(pk=leave.pupil_id)
    publish_on_commit(
        Event(
            kind="absence.decided",
            actor_id=acting_user.pk,
            school_id=leave.school_id,
            recipient_ids=tuple(
                Guardianship.objects.filter(pupil=pupil).values_list("guardian_id", flat=True)
            ),
            subject_type="leave_request",
            subject_id=leave.public_id,
            url=f"/absences/leave/{leave.public_id}/",
            title=title,
            title_params={"child": pupil.first_name},
            data={"status": leave.status},
        )
    )
    return leave


@transaction.atomic
def check_withdraw_leave(
    *, acting_user: User, leave: LeaveRequest, now: datetime.datetime | None = None
) -> None:
    """Withdraw a leave request while it waits, or granted leave before its first day."""
    leave = LeaveRequest.objects.select_for_update().select_related("pupil").get(pk=leave.pk)
    open_statuses = [LeaveRequest.Status.PENDING, LeaveRequest.Status.GRANTED]
    if leave.status not in open_statuses or leave.starts_on <= _local(now).date():
        raise Invalid(_("This leave request can no longer be withdrawn."))
    leave.status, leave.withdrawn_at = LeaveRequest.Status.WITHDRAWN, clock_now()
    leave.save(update_fields=["status", "withdrawn_at"])
    record(actor=acting_user, action="leave.withdrawn", target=leave, school=leave.school)
    publish_on_commit(
        Event(
            kind="absence.changed",
            actor_id=acting_user.pk,
            school_id=leave.school_id,
            recipient_ids=tuple(other_guardian_ids(leave.pupil, acting_user)),
            subject_type="leave_request",
            subject_id=leave.public_id,
            url=f"/absences/leave/{leave.public_id}/",
            title=gettext_noop("The leave request for %(child)s was withdrawn"),
            title_params={"child": leave.pupil.first_name},
            data={"change": "withdrawn"},
        )
    )


# --- The school's policy and days off -------------------------------------------------------------------

POLICY_FIELDS = ("lead_school_days", "cutoff_hour", "sick_reports", "sick_cutoff", "holiday_leave_days_ahead")


@transaction.atomic
def check_update_policy(*, acting_user: User, school: School, **values) -> AbsencePolicy:
    """Set how the school takes absence reports."""
    policy = policy_of(school)
    if not 0 <= values["cutoff_hour"] <= 24:
        raise Invalid(_("The cutoff hour must be between 0 and 24."))
    if not 0 <= values["lead_school_days"] <= 20:
        raise Invalid(_("The lead time must be between 0 and 20 school days."))
    if values["sick_reports"] not in AbsencePolicy.SickReports.values:
        raise Invalid(_("Choose how sick reports are made."))
    if not 0 <= values["holiday_leave_days_ahead"] <= 365:
        raise Invalid(_("Holiday leave: between 0 and 365 days ahead."))
    for name in POLICY_FIELDS:
        setattr(policy, name, values[name])
    policy.save()
    record(
        actor=acting_user,
        action="absence_policy.updated",
        school=school,
        **{name: str(values[name]) for name in POLICY_FIELDS},
    )
    return policy


def _clean_kind_name(name: str, kind: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > KIND_NAME_MAX:
        raise Invalid(
            _("The name for “%(kind)s” is too long (at most %(max)d characters).")
            % {"kind": Absence.Kind(kind).label, "max": KIND_NAME_MAX},
            code="too_long",
        )
    return name


@transaction.atomic
def check_word_kinds(*, acting_user: User, school: School, kinds: list[dict]) -> list[KindWording]:
    """Name the school's kinds of absence in Dutch and English; switch off planned kinds it does not offer.

    The list replaces the school's wording: a kind not in it goes back to its built-in name, offered.
    """
    given: dict[str, KindWording] = {}
    for item in kinds:
        kind = item.get("kind")
        if kind not in Absence.Kind.values or kind in given:
            raise Invalid(_("Name each kind of absence once, by its code."), code="unknown_kind")
        wording = KindWording(
            kind=kind,
            name_nl=_clean_kind_name(item.get("name_nl", ""), kind),
            name_en=_clean_kind_name(item.get("name_en", ""), kind),
            offered=bool(item.get("offered", True)),
        )
        if wording.name_en and not wording.name_nl:
            raise Invalid(
                _("Give the Dutch name for “%(kind)s” too: the English name falls back to it.")
                % {"kind": Absence.Kind(kind).label},
                code="dutch_missing",
            )
        if not wording.offered and kind in ALWAYS_OFFERED:
            raise Invalid(
                _("“%(kind)s” is always offered.") % {"kind": Absence.Kind(kind).label}, code="always_offered"
            )
        given[kind] = wording
    own = {k: w for k, w in given.items() if w.name_nl or not w.offered}
    AbsenceKindWording.objects.filter(school=school).exclude(kind__in=own).delete()
    for kind, wording in own.items():
        AbsenceKindWording.objects.update_or_create(
            school=school,
            kind=kind,
            defaults={"name_nl": wording.name_nl, "name_en": wording.name_en, "offered": wording.offered},
        )
    record(
        actor=acting_user,
        action="absence_kinds.worded",
        school=school,
        **{k: f"{w.name_nl} / {w.name_en}{'' if w.offered else ' (off)'}" for k, w in own.items()},
    )
    return wording_of(school.pk)


@transaction.atomic
def check_add_closure(
    *,
    acting_user: User,
    school: School,
    kind: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> SchoolClosure:
    """Add a holiday or study day to a school year of the school."""
    if kind not in SchoolClosure.Kind.values:
        raise Invalid(_("Choose holiday or study day."))
    if not name.strip():
        raise Invalid(_("Give the holiday or study day a name."))
    if ends_on < starts_on:
        raise Invalid(_("The last day must not be before the first day."))
    year = SchoolYear.objects.filter(school=school, starts_on__lte=starts_on, ends_on__gte=ends_on).first()
    if year is None:
        raise Invalid(_("These days do not fall within one school year of this school."))
    closure = SchoolClosure.objects.create(
        school=school, school_year=year, kind=kind, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    record(
        actor=acting_user,
        action="closure.added",
        target=closure,
        school=school,
        starts_on=str(starts_on),
        ends_on=str(ends_on),
    )
    return closure


@transaction.atomic
def do_delete_closure(*, acting_user: User, closure: SchoolClosure) -> None:
    record(
        actor=acting_user, action="closure.deleted", target=closure, school=closure.school, name=closure.name
    )
    closure.delete()


def do_record_export(*, acting_user: User, school: School | None, first, last, rows: int) -> None:
    """The pupil administration's export is audited: who took which days' absences out of the app."""
    record(
        actor=acting_user,
        action="absences.exported",
        school=school,
        first=str(first),
        last=str(last),
        rows=rows,
    )
