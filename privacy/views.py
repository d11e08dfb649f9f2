"""Pages: a parent's own data export; the school's retention table, exports on request and erasure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.refusals import Invalid, NotFound
from privacy import actions
from privacy.access import access_own_export, access_privacy_school, access_school_guardian
from privacy.erasure import erasure_blockers
from privacy.exports import check_request_export, download_response
from privacy.forms import ErasureForm, StaffExportForm
from privacy.models import DataExport
from privacy.queries import deletions_of, exports_of, last_run
from schools.access import first_or_404
from schools.models import Pupil
from schools.queries import guardians_of_school, schools_directed_by


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """Ask for everything the platform holds about you; download it when it is ready."""
    if request.method == "POST":
        check_request_export(acting_user=request.user, subject_user=request.user)
        messages.success(request, _("We are putting your data together. This page shows when it is ready."))
        return redirect("privacy:my_data")
    exports = exports_of(request.user)
    return render(request, "privacy/my_data.html", {"exports": exports, "working": _working(exports)})


def _working(exports) -> bool:
    return any(export.status in DataExport.ACTIVE for export in exports)


@login_required
@require_GET
def export_status(request, export_id):
    """The export's row, for the page to poll while it is being built."""
    export = access_own_export(request.user, export_id)
    return render(request, "privacy/_export_row.html", {"export": export})


@login_required
@require_GET
def export_download(request, export_id):
    return download_response(access_own_export(request.user, export_id))


@login_required
@require_http_methods(["GET", "POST"])
def retention(request, school_id):
    """The school's retention table with what the next run would delete, and what earlier runs deleted."""
    school = access_privacy_school(request.user, school_id)
    can_change = schools_directed_by(request.user).filter(id=school.id).exists()
    problems = []
    if request.method == "POST":
        if not can_change:  # the office reads the table; only the director changes it
            raise NotFound
        try:
            months = {
                key[len("months_") :]: int(value)
                for key, value in request.POST.items()
                if key.startswith("months_")
            }
            actions.check_set_periods(acting_user=request.user, school=school, months=months)
        except ValueError:
            problems = [{"problem": _("Give whole months.")}]
        except Invalid as refused:
            problems = refused.problems or [{"problem": refused.detail}]
        else:
            messages.success(request, _("The retention periods are saved."))
            return redirect("privacy:retention", school.public_id)
    context = {
        "school": school,
        "rows": actions.due_counts(school),
        "deletions": deletions_of(school),
        "last_run": last_run(),
        "can_change": can_change,
        "problems": problems,
    }
    return render(request, "privacy/retention.html", context, status=422 if problems else 200)


@login_required
@require_http_methods(["GET", "POST"])
def staff_exports(request, school_id):
    """The director exports a parent's or a pupil's data on request (audited)."""
    school = access_privacy_school(request.user, school_id, write=True)
    form = StaffExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["guardian"]:
            _school, guardian = access_school_guardian(request.user, school_id, form.cleaned_data["guardian"])
            check_request_export(acting_user=request.user, subject_user=guardian, school=school)
        else:
            pupil = first_or_404(Pupil.objects.filter(school=school, public_id=form.cleaned_data["pupil"]))
            check_request_export(acting_user=request.user, subject_pupil=pupil, school=school)
        messages.success(request, _("The export is being put together; it appears below when it is ready."))
        return redirect("privacy:staff_exports", school.public_id)
    exports = exports_of(request.user, school=school)
    q = request.GET.get("q", "")
    context = {
        "school": school,
        "form": form,
        "exports": exports,
        "working": _working(exports),
        "q": q,
        "guardians": list(guardians_of_school(school, q=q)[:20]) if q else [],
        "pupils": list(Pupil.objects.filter(school=school).order_by("first_name", "last_name")),
    }
    return render(request, "privacy/staff_exports.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def erasure_search(request, school_id):
    school = access_privacy_school(request.user, school_id, write=True)
    q = request.GET.get("q", "")
    guardians = list(guardians_of_school(school, q=q)[:20]) if q else []
    return render(request, "privacy/erasure_search.html", {"school": school, "q": q, "guardians": guardians})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_confirm(request, school_id, guardian_id):
    """Erase a parent's account when they ask and the school agrees: shows what goes and what stays."""
    school, guardian = access_school_guardian(request.user, school_id, guardian_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_erase_guardian(
                acting_user=request.user, school=school, guardian=guardian, reason=form.cleaned_data["reason"]
            )
        except Invalid as refused:
            form.add_error(None, refused.detail)
        else:
            messages.success(request, _("The account and the parent's data are erased."))
            return redirect("privacy:erasure_search", school.public_id)
    context = {
        "school": school,
        "guardian": guardian,
        "form": form,
        "blockers": erasure_blockers(guardian, school=school),
    }
    return render(request, "privacy/erasure_confirm.html", context, status=400 if form.errors else 200)
