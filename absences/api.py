"""Absences API: the same access layer and actions as the pages; refusals answer 400 with {"detail": ...}."""

import csv
import datetime
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from absences import actions
from absences.access import access_absence, access_child, access_closure, access_leave
from absences.calendar import policy_of
from absences.kinds import KindWording, label_of, wording_of
from absences.models import Absence, LeaveRequest
from absences.queries import (
    EXPORT_HEADER,
    absences_of_children,
    children_with_policy,
    closures_of,
    export_rows,
    get_overview,
    is_absence_staff,
    leave_requests_of_children,
    staff_school,
    with_group,
)
from core.api_schema import LocalTime
from core.refusals import Invalid
from schools.access import access_pupil, access_school_admin

router = Router(tags=["absences"])


class PupilRef(Schema):
    public_id: str
    first_name: str
    last_name: str


class PolicyOut(Schema):
    lead_school_days: int
    cutoff_hour: int
    sick_reports: str
    sick_cutoff: LocalTime
    holiday_leave_days_ahead: int


class PolicyIn(PolicyOut):
    pass


class KindOut(Schema):
    kind: str
    label: str


class ChildPolicyOut(Schema):
    child: PupilRef = Field(..., alias="pupil")
    school_phone: str = Field(..., alias="pupil.school.phone")
    school_name: str = Field(..., alias="pupil.school.name")
    policy: PolicyOut
    kinds: list[KindOut]  # the planned kinds the school offers, as it names them: the report form's choices

    @staticmethod
    def resolve_kinds(child) -> list[dict]:
        return [{"kind": kind, "label": label} for kind, label in child.kinds]


class AbsenceOut(Schema):
    public_id: str
    child: PupilRef = Field(..., alias="pupil")
    kind: str
    kind_label: str  # as the school names the kind, in the reader's language

    @staticmethod
    def resolve_kind_label(absence) -> str:
        return label_of(absence)

    starts_on: datetime.date
    ends_on: datetime.date | None
    from_time: LocalTime | None
    until_time: LocalTime | None
    note: str
    is_open: bool
    withdrawn_at: datetime.datetime | None
    changed_at: datetime.datetime | None
    created_at: datetime.datetime


class PlannedIn(Schema):
    kind: str
    day: datetime.date
    from_time: LocalTime | None = None
    until_time: LocalTime | None = None
    note: str = Field("", max_length=500)


class AbsenceIn(PlannedIn):
    child_id: str


class SickIn(Schema):
    child_id: str
    day: datetime.date | None = None
    note: str = Field("", max_length=500)


class LeaveOut(Schema):
    public_id: str
    child: PupilRef = Field(..., alias="pupil")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    status: str
    decided_at: datetime.datetime | None
    decision_reason: str
    created_at: datetime.datetime


class LeaveIn(Schema):
    child_id: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str = Field(..., max_length=2000)


class DecisionIn(Schema):
    grant: bool
    reason: str = Field(..., max_length=2000)


class OverviewAbsenceOut(AbsenceOut):
    group: str | None = Field(None, alias="group_name")


class OverviewLeaveOut(LeaveOut):
    group: str | None = Field(None, alias="group_name")


class OverviewDayOut(Schema):
    day: datetime.date
    closure: str | None
    absences: list[OverviewAbsenceOut]
    leave: list[OverviewLeaveOut]

    @staticmethod
    def resolve_closure(day) -> str | None:
        return day.closure.name if day.closure else None


class OverviewOut(Schema):
    days: list[OverviewDayOut]
    pending_leave: list[OverviewLeaveOut]


class KindWordingOut(Schema):
    kind: str
    name_nl: str
    name_en: str
    offered: bool
    always_offered: bool
    label: str  # what a reader in the request's language sees


class KindWordingIn(Schema):
    kind: str
    # The action checks the length, with the same message as the page.
    name_nl: str = ""
    name_en: str = ""
    offered: bool = True


class ClosureOut(Schema):
    public_id: str
    kind: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class ClosureIn(Schema):
    kind: str
    name: str = Field(..., max_length=100)
    starts_on: datetime.date
    ends_on: datetime.date


def for_child(request, action, payload: Schema):
    """Run a parent's action about one of their own children (a child not theirs is a 404)."""
    data = payload.dict()
    pupil = access_child(request.auth, data.pop("child_id"))
    return Status(201, action(acting_user=request.auth, pupil=pupil, **data))


# Fixed paths first: "{absence_id}" would otherwise swallow them.


@router.get("/children", response=list[ChildPolicyOut])
def my_children(request):
    """My children, each with their school's phone number, absence policy and kinds of absence."""
    return children_with_policy(request.auth, with_kinds=True)


@router.get("/leave", response=list[LeaveOut])
def my_leave_requests(request):
    return list(leave_requests_of_children(request.auth))


@router.post("/leave", response={201: LeaveOut})
def request_leave(request, payload: LeaveIn):
    """Ask the director for leave (verlof)."""
    return for_child(request, actions.check_request_leave, payload)


@router.get("/leave/{leave_id}", response=LeaveOut)
def leave_detail(request, leave_id: str):
    return access_leave(request.auth, leave_id)


@router.post("/leave/{leave_id}/decision", response=LeaveOut)
def decide_leave(request, leave_id: str, payload: DecisionIn):
    """The director grants or refuses, with the reason."""
    leave = access_leave(request.auth, leave_id, decide=True)
    return actions.check_decide_leave(
        acting_user=request.auth, leave=leave, grant=payload.grant, reason=payload.reason
    )


@router.post("/leave/{leave_id}/withdraw", response=LeaveOut)
def withdraw_leave(request, leave_id: str):
    leave = access_leave(request.auth, leave_id, write=True)
    actions.check_withdraw_leave(acting_user=request.auth, leave=leave)
    return LeaveRequest.objects.select_related("pupil").get(pk=leave.pk)


def staff_only(request) -> None:
    if not is_absence_staff(request.auth):
        raise Http404


@router.get("/overview", response=OverviewOut)
def overview(request):
    """Today and the coming school days for my classes (the whole school for director and office)."""
    staff_only(request)
    return get_overview(request.auth)


class SickCallIn(Schema):
    pupil_id: str
    note: str = Field("", max_length=500)


@router.post("/sick-calls", response={201: AbsenceOut})
def record_sick_call(request, payload: SickCallIn):
    """The office notes a parent's phone call: the pupil is sick from today."""
    pupil = access_pupil(request.auth, payload.pupil_id, write=True)
    return Status(
        201, actions.check_record_sick_call(acting_user=request.auth, pupil=pupil, note=payload.note)
    )


@router.get("/export", response={200: None})
def export(request, first: datetime.date, last: datetime.date):
    """CSV for the pupil administration (audited)."""
    staff_only(request)
    if last < first or (last - first).days > 366:
        raise Invalid(_("Choose a period of at most a year, the first day first."))
    rows = export_rows(request.auth, first, last)
    actions.do_record_export(
        acting_user=request.auth, school=staff_school(request.auth), first=first, last=last, rows=len(rows)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    return HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")


@router.get("/schools/{school_id}/policy", response=PolicyOut)
def school_policy(request, school_id: str):
    return policy_of(access_school_admin(request.auth, school_id))


@router.put("/schools/{school_id}/policy", response=PolicyOut)
def update_school_policy(request, school_id: str, payload: PolicyIn):
    school = access_school_admin(request.auth, school_id)
    return actions.check_update_policy(acting_user=request.auth, school=school, **payload.dict())


@router.get("/schools/{school_id}/kinds", response=list[KindWordingOut])
def school_kinds(request, school_id: str) -> list[KindWording]:
    """The school's kinds of absence: its own Dutch and English names, and which ones parents can choose."""
    return wording_of(access_school_admin(request.auth, school_id).pk)


@router.put("/schools/{school_id}/kinds", response=list[KindWordingOut])
def word_school_kinds(request, school_id: str, payload: list[KindWordingIn]):
    """Name the kinds in the school's own words; a kind left out goes back to its standard name, offered."""
    school = access_school_admin(request.auth, school_id)
    kinds = [item.dict() for item in payload]
    return actions.check_word_kinds(acting_user=request.auth, school=school, kinds=kinds)


@router.get("/schools/{school_id}/closures", response=list[ClosureOut])
def school_closures(request, school_id: str):
    return list(closures_of(access_school_admin(request.auth, school_id)))


@router.post("/schools/{school_id}/closures", response={201: ClosureOut})
def add_closure(request, school_id: str, payload: ClosureIn):
    school = access_school_admin(request.auth, school_id)
    return Status(201, actions.check_add_closure(acting_user=request.auth, school=school, **payload.dict()))


@router.delete("/schools/{school_id}/closures/{closure_id}", response={204: None})
def delete_closure(request, school_id: str, closure_id: str):
    closure = access_closure(request.auth, school_id, closure_id)
    actions.do_delete_closure(acting_user=request.auth, closure=closure)
    return Status(204, None)


@router.get("", response=list[AbsenceOut])
def my_absences(request):
    """My children's reports: open ones, and those of the last month and ahead."""
    return list(absences_of_children(request.auth))


@router.post("", response={201: AbsenceOut})
def report_absence(request, payload: AbsenceIn):
    """Report a planned absence (doctor, dentist, hospital, other) for one school day."""
    return for_child(request, actions.check_report_absence, payload)


@router.post("/sick", response={201: AbsenceOut})
def report_sick(request, payload: SickIn):
    """Report a child sick, when the school takes sick reports in the app."""
    return for_child(request, actions.check_report_sick, payload)


@router.get("/{absence_id}", response=OverviewAbsenceOut)
def absence_detail(request, absence_id: str):
    absence = access_absence(request.auth, absence_id)
    return with_group(Absence.objects.select_related("pupil")).get(pk=absence.pk)


@router.patch("/{absence_id}", response=AbsenceOut)
def change_absence(request, absence_id: str, payload: PlannedIn):
    absence = access_absence(request.auth, absence_id, write=True)
    return actions.check_change_absence(acting_user=request.auth, absence=absence, **payload.dict())


@router.post("/{absence_id}/withdraw", response=AbsenceOut)
def withdraw_absence(request, absence_id: str):
    absence = access_absence(request.auth, absence_id, write=True)
    actions.check_withdraw_absence(acting_user=request.auth, absence=absence)
    return absence


@router.post("/{absence_id}/recovered", response=AbsenceOut)
def recovered(request, absence_id: str):
    absence = access_absence(request.auth, absence_id, write=True, office=True)
    return actions.check_recovered(acting_user=request.auth, absence=absence)
