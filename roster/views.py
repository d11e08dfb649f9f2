"""The office's roster import: upload, map the guardian columns, preview with filters, apply, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.htmx import is_htmx
from roster import actions
from roster.access import access_roster_import, access_roster_school
from roster.forms import MappingForm, UploadForm
from roster.models import RosterImport
from roster.queries import imports_of, kind_filters, mapping_for, preview_csv, preview_rows
from roster.sources.data import RosterFileError
from roster.sources.guardians_csv import decode

WORKING = (RosterImport.Status.QUEUED, RosterImport.Status.PREVIEWING, RosterImport.Status.APPLYING)


@login_required
def roster_home(request, school_id):
    school = access_roster_school(request.user, school_id)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        roster_file, guardian_file = form.cleaned_data["roster_file"], form.cleaned_data["guardian_file"]
        guardian_content = guardian_file.read() if guardian_file else None
        try:
            mapping = None
            if guardian_content:
                mapping, _header, fits = mapping_for(school, guardian_content)
                mapping = mapping if fits else None
            roster_import = actions.check_start_import(
                acting_user=request.user,
                school=school,
                source=form.cleaned_data["source"],
                content=roster_file.read(),
                file_name=roster_file.name,
                guardian_content=guardian_content,
                guardian_file_name=guardian_file.name if guardian_file else "",
                mapping=mapping,
            )
        except (ValidationError, RosterFileError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages[0])
        else:
            if roster_import.status == RosterImport.Status.MAPPING:
                return redirect("roster:mapping", school.public_id, roster_import.public_id)
            return redirect("roster:detail", school.public_id, roster_import.public_id)
    context = {"school": school, "form": form, "imports": imports_of(school)}
    return render(request, "roster/home.html", context, status=400 if form.errors else 200)


@login_required
def roster_mapping(request, school_id, import_id):
    roster_import = access_roster_import(request.user, school_id, import_id)
    if not roster_import.guardian_content:
        return redirect("roster:detail", school_id, import_id)
    initial, header, _fits = mapping_for(roster_import.school, bytes(roster_import.guardian_content))
    form = MappingForm(request.POST or None, header=header, initial_mapping=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_map_columns(
                acting_user=request.user, roster_import=roster_import, mapping=form.mapping()
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            return redirect("roster:detail", school_id, import_id)
    decoded = decode(bytes(roster_import.guardian_content))
    sample = decoded.text.lstrip("\ufeff").splitlines()[1:4]
    context = {"school": roster_import.school, "roster_import": roster_import, "form": form, "sample": sample}
    return render(request, "roster/mapping.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def roster_detail(request, school_id, import_id):
    roster_import = access_roster_import(request.user, school_id, import_id)
    kind = request.GET.get("kind", "")
    context = {
        "school": roster_import.school,
        "roster_import": roster_import,
        "working": roster_import.status in WORKING,
        "rows": preview_rows(roster_import, kind) if roster_import.plan else [],
        "filters": kind_filters(roster_import),
        "kind": kind,
        "new_guardians": (roster_import.summary or {}).get("guardian.add", 0),
    }
    template = "roster/detail.html#status" if is_htmx(request) else "roster/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def roster_apply(request, school_id, import_id):
    roster_import = access_roster_import(request.user, school_id, import_id)
    try:
        actions.check_apply(acting_user=request.user, roster_import=roster_import)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The import is being applied."))
    return redirect("roster:detail", school_id, import_id)


@login_required
@require_GET
def roster_preview_csv(request, school_id, import_id):
    roster_import = access_roster_import(request.user, school_id, import_id)
    response = HttpResponse(preview_csv(roster_import), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-preview-{roster_import.public_id}.csv"'
    return response
