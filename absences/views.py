"""Absence pages: parents report and ask, staff see the morning overview. Thin: access, one action, render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from absences import actions
from absences.access import access_absence, access_child, access_closure, access_leave
from absences.calendar import policy_of
from absences.forms import (
    AbsenceForm,
    ChangeAbsenceForm,
    ClosureForm,
    DecisionForm,
    ExportForm,
    KindsForm,
    LeaveForm,
    PolicyForm,
    SickCallForm,
    SickForm,
)
from absences.kinds import wording_of
from absences.models import AbsencePolicy
from absences.queries import (
    EXPORT_HEADER,
    absences_of_children,
    children_with_policy,
    closures_of,
    export_rows,
    get_overview,
    is_absence_staff,
    leave_requests_of_children,
    one_per_school,
    pupils_for_sick_calls,
    staff_school,
)
from core.clock import school_today
from schools.access import access_pupil, access_school_admin
from schools.queries import schools_administered_by
from schools.views import attempt


def initial_child(request) -> dict:
    return {"child": request.GET.get("child", "")} if request.GET.get("child") else {}


@login_required
def index(request):
    children = children_with_policy(request.user)
    context = {
        "children": children,
        "children_schools": one_per_school(children),
        "sick_in_app": any(c.policy.sick_reports == AbsencePolicy.SickReports.APP for c in children),
        "absences": list(absences_of_children(request.user)) if children else [],
        "leave_requests": list(leave_requests_of_children(request.user)) if children else [],
        "is_staff": is_absence_staff(request.user),
    }
    return render(request, "absences/index.html", context)


def _child_form_page(request, form_class, template, action):
    """The report, sick and leave forms: same shape, each with its own action."""
    children = children_with_policy(request.user)
    pupils = [c.pupil for c in children]
    if not pupils:
        raise Http404
    form = form_class(request.POST or None, children=pupils, initial=initial_child(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        pupil = access_child(request.user, data.pop("child").public_id)
        ok, result = attempt(request, action, pupil=pupil, **data)
        if ok:
            messages.success(request, _("Thank you, it has been received."))
            return redirect(result_url(result))
    return render(request, template, {"form": form, "children_schools": one_per_school(children)})


def result_url(result) -> str:
    from absences.models import LeaveRequest

    if isinstance(result, LeaveRequest):
        return f"/absences/leave/{result.public_id}/"
    return f"/absences/{result.public_id}/"


@login_required
def report_new(request):
    return _child_form_page(request, AbsenceForm, "absences/report_new.html", actions.check_report_absence)


@login_required
def sick_new(request):
    return _child_form_page(request, SickForm, "absences/sick_new.html", actions.check_report_sick)


@login_required
def leave_new(request):
    return _child_form_page(request, LeaveForm, "absences/leave_new.html", actions.check_request_leave)


def may_write(viewer, absence) -> bool:
    return absence.pupil.guardianships.filter(guardian=viewer).exists()


@login_required
def absence_detail(request, absence_id):
    absence = access_absence(request.user, absence_id)
    form = None
    if may_write(request.user, absence) and not absence.is_sick and absence.withdrawn_at is None:
        form = ChangeAbsenceForm(
            absence=absence,
            initial={
                "kind": absence.kind,
                "day": absence.starts_on,
                "from_time": absence.from_time,
                "until_time": absence.until_time,
                "note": absence.note,
            },
        )
    mine = may_write(request.user, absence)
    may_recover = absence.is_open and (mine or runs_school_of(request.user, absence))
    context = {"absence": absence, "form": form, "may_write": mine, "may_recover": may_recover}
    return render(request, "absences/absence_detail.html", context)


def runs_school_of(viewer, absence) -> bool:
    return schools_administered_by(viewer).filter(pk=absence.school_id).exists()


@login_required
@require_POST
def absence_change(request, absence_id):
    absence = access_absence(request.user, absence_id, write=True)
    form = ChangeAbsenceForm(request.POST, absence=absence)
    if form.is_valid():
        ok, _result = attempt(request, actions.check_change_absence, absence=absence, **form.cleaned_data)
        if ok:
            messages.success(request, _("The report has been changed."))
            return redirect("absences:absence_detail", absence.public_id)
    else:
        messages.error(request, _("Please check the form."))
    context = {"absence": absence, "form": form, "may_write": True}
    return render(request, "absences/absence_detail.html", context, status=400)


@login_required
@require_POST
def absence_withdraw(request, absence_id):
    absence = access_absence(request.user, absence_id, write=True)
    if attempt(request, actions.check_withdraw_absence, absence=absence)[0]:
        messages.success(request, _("The report has been withdrawn."))
    return redirect("absences:absence_detail", absence.public_id)


@login_required
@require_POST
def absence_recovered(request, absence_id):
    absence = access_absence(request.user, absence_id, write=True, office=True)
    if attempt(request, actions.check_recovered, absence=absence)[0]:
        messages.success(
            request, _("Good to hear %(child)s is better.") % {"child": absence.pupil.first_name}
        )
    return redirect("absences:absence_detail", absence.public_id)


@login_required
def leave_detail(request, leave_id):
    leave = access_leave(request.user, leave_id)
    can_decide = leave.is_pending and _may_decide(request.user, leave)
    context = {
        "leave": leave,
        "decision_form": DecisionForm() if can_decide else None,
        "may_withdraw": leave.pupil.guardianships.filter(guardian=request.user).exists(),
    }
    return render(request, "absences/leave_detail.html", context)


def _may_decide(viewer, leave) -> bool:
    from schools.queries import schools_directed_by

    return schools_directed_by(viewer).filter(pk=leave.school_id).exists()


@login_required
@require_POST
def leave_decide(request, leave_id):
    leave = access_leave(request.user, leave_id, decide=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose grant or refuse and give the reason."))
        return redirect("absences:leave_detail", leave.public_id)
    grant = form.cleaned_data["decision"] == "grant"
    if attempt(
        request, actions.check_decide_leave, leave=leave, grant=grant, reason=form.cleaned_data["reason"]
    )[0]:
        messages.success(request, _("The decision has been recorded."))
    return redirect("absences:leave_detail", leave.public_id)


@login_required
@require_POST
def leave_withdraw(request, leave_id):
    leave = access_leave(request.user, leave_id, write=True)
    if attempt(request, actions.check_withdraw_leave, leave=leave)[0]:
        messages.success(request, _("The leave request has been withdrawn."))
    return redirect("absences:leave_detail", leave.public_id)


def _staff_only(request) -> None:
    if not is_absence_staff(request.user):
        raise Http404


@login_required
def overview(request):
    _staff_only(request)
    today = school_today()
    overview = get_overview(request.user)
    context = {
        "overview": overview,
        "sick_call_form": SickCallForm(pupils=pupils_for_sick_calls(request.user))
        if overview.is_admin
        else None,
        "today": today,
        "export_form": ExportForm(initial={"first": today.replace(day=1), "last": today}),
    }
    return render(request, "absences/overview.html", context)


@login_required
@require_POST
def sick_call(request):
    """The office notes a parent's phone call: sick from today, on the teachers' overview at once."""
    if not schools_administered_by(request.user).exists():
        raise Http404
    form = SickCallForm(request.POST, pupils=pupils_for_sick_calls(request.user))
    if form.is_valid():
        pupil = access_pupil(request.user, form.cleaned_data["pupil"], write=True)
        ok, _result = attempt(
            request, actions.check_record_sick_call, pupil=pupil, note=form.cleaned_data["note"]
        )
        if ok:
            messages.success(request, _("%(child)s is reported sick.") % {"child": pupil.full_name})
    else:
        messages.error(request, _("Choose the pupil."))
    return redirect("absences:overview")


@login_required
def export(request):
    """CSV for the pupil administration: the absences the viewer sees, for a period; audited."""
    _staff_only(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a period of at most a year, the first day first."))
        return redirect("absences:overview")
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    rows = export_rows(request.user, first, last)
    actions.do_record_export(
        acting_user=request.user, school=staff_school(request.user), first=first, last=last, rows=len(rows)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="absences-{first}-{last}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(rows)
    return response


@login_required
def school_settings(request, school_id):
    """The school's absence policy, holidays and study days (director and office)."""
    school = access_school_admin(request.user, school_id)
    policy = policy_of(school)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        ok, _result = attempt(request, actions.check_update_policy, school=school, **form.cleaned_data)
        if ok:
            messages.success(request, _("The absence settings have been saved."))
            return redirect("absences:school_settings", school.public_id)
    return _settings_page(request, school, form=form)


def _settings_page(request, school, *, form=None, kinds_form=None, status: int = 200):
    context = {
        "school": school,
        "form": form or PolicyForm(instance=policy_of(school)),
        "kinds_form": kinds_form or KindsForm(wording=wording_of(school.pk)),
        "closure_form": ClosureForm(),
        "closures": closures_of(school),
    }
    return render(request, "absences/school_settings.html", context, status=status)


@login_required
@require_POST
def kinds_save(request, school_id):
    """The school's own names for the kinds of absence, and which planned kinds parents can choose."""
    school = access_school_admin(request.user, school_id)
    form = KindsForm(request.POST, wording=wording_of(school.pk))
    if form.is_valid() and attempt(request, actions.check_word_kinds, school=school, kinds=form.kinds())[0]:
        messages.success(request, _("The kinds of absence have been saved."))
        return redirect(f"{reverse('absences:school_settings', args=[school.public_id])}#kinds")
    return _settings_page(request, school, kinds_form=form, status=400)


@login_required
@require_POST
def closure_add(request, school_id):
    school = access_school_admin(request.user, school_id)
    form = ClosureForm(request.POST)
    if form.is_valid():
        if attempt(request, actions.check_add_closure, school=school, **form.cleaned_data)[0]:
            messages.success(request, _("The day off has been added."))
    else:
        messages.error(request, _("Give a name, the kind and both dates."))
    return redirect("absences:school_settings", school.public_id)


@login_required
@require_POST
def closure_delete(request, school_id, closure_id):
    closure = access_closure(request.user, school_id, closure_id)
    actions.do_delete_closure(acting_user=request.user, closure=closure)
    messages.success(request, _("The day off has been removed."))
    return redirect("absences:school_settings", school_id)
