"""The rollover wizard for director and office: open the next year → classes → pupils → teachers → apply.

Each step is a page of plain forms (a POST each, no script); the actions and access are those of the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.refusals import Invalid
from roster import rollover as actions
from roster.access import access_new_group, access_placement, access_rollover, access_roster_school
from roster.forms import (
    GroupNameForm,
    MergeForm,
    PlaceForm,
    RolloverSettingsForm,
    SplitForm,
    TeachersForm,
)
from schools.queries import teachers_of_school


def _posted(request):
    """The form data of a POST, even an empty one (which must be refused, not shown as a fresh form)."""
    return request.POST if request.method == "POST" else None


def _context(rollover, step: str, **extra) -> dict:
    return {"school": rollover.school, "rollover": rollover, "step": step, **extra}


@login_required
def rollover_start(request, school_id):
    """Step 1: open the next year with its first day; once open, move the first day or the months."""
    school = access_roster_school(request.user, school_id)
    rollover = actions.open_rollover_of(school)
    initial = {
        "first_day": rollover.to_year.starts_on if rollover else actions.suggested_first_day(school),
        "months": school.former_classes_months,
    }
    form = RolloverSettingsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        first_day, months = form.cleaned_data["first_day"], form.cleaned_data["months"]
        try:
            if rollover is None:
                actions.check_open_next_year(
                    acting_user=request.user, school=school, first_day=first_day, months=months
                )
                messages.success(request, _("The next school year is open. Check its classes."))
                return redirect("roster:rollover_groups", school.public_id)
            actions.check_change_settings(
                acting_user=request.user, rollover=rollover, first_day=first_day, months=months
            )
        except Invalid as error:
            form.add_error("months" if error.code == "months" else None, error.detail)
        else:
            messages.success(request, _("Saved."))
            return redirect("roster:rollover", school.public_id)
    context = {
        "school": school,
        "rollover": rollover,
        "step": "start",
        "form": form,
        "counts": actions.rollover_counts(rollover) if rollover else None,
    }
    return render(request, "roster/rollover/start.html", context, status=400 if form.errors else 200)


@login_required
def rollover_groups(request, school_id):
    """Step 2: the new year's classes; rename, merge or split one, or add a class."""
    rollover = access_rollover(request.user, school_id)
    form = GroupNameForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_add_group(
                acting_user=request.user, rollover=rollover, name=form.cleaned_data["name"]
            )
        except Invalid as error:
            form.add_error("name", error.detail)
        else:
            return redirect("roster:rollover_groups", school_id)
    groups = list(actions.new_groups_of(rollover))
    context = _context(rollover, "groups", groups=groups, form=form)
    return render(request, "roster/rollover/groups.html", context, status=400 if form.errors else 200)


def _run(request, form, *, refusal: str, act, saved: str) -> None:
    """A one-form POST of a step: validate, run the action, and say the outcome on the page it returns to."""
    try:
        if not form.is_valid():
            raise Invalid(refusal)
        act(form.cleaned_data)
    except Invalid as refused:
        messages.error(request, refused.detail)
    else:
        messages.success(request, saved)


@login_required
@require_POST
def rollover_group_rename(request, school_id, group_id):
    rollover, group = access_new_group(request.user, school_id, group_id)
    _run(
        request,
        GroupNameForm(request.POST),
        refusal=_("Give the class a name."),
        act=lambda data: actions.check_rename_group(
            acting_user=request.user, rollover=rollover, group=group, name=data["name"]
        ),
        saved=_("The class is renamed."),
    )
    return redirect("roster:rollover_groups", school_id)


@login_required
@require_POST
def rollover_group_merge(request, school_id, group_id):
    rollover, group = access_new_group(request.user, school_id, group_id)
    _run(
        request,
        MergeForm(request.POST, groups=actions.new_groups_of(rollover).exclude(pk=group.pk)),
        refusal=_("Choose another class to merge with."),
        act=lambda data: actions.check_merge_groups(
            acting_user=request.user, rollover=rollover, group=group, into=data["into"]
        ),
        saved=_("The classes are merged."),
    )
    return redirect("roster:rollover_groups", school_id)


@login_required
def rollover_group_split(request, school_id, group_id):
    """Split a class: name the new class and tick the pupils who go there."""
    rollover, group = access_new_group(request.user, school_id, group_id)
    placements = list(actions.placements_of(rollover, group=group))
    form = SplitForm(_posted(request), placements=placements)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_split_group(
                acting_user=request.user,
                rollover=rollover,
                group=group,
                name=form.cleaned_data["name"],
                pupil_ids=form.cleaned_data["pupils"],
            )
        except Invalid as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("The class is split."))
            return redirect("roster:rollover_groups", school_id)
    context = _context(rollover, "groups", group=group, form=form)
    return render(request, "roster/rollover/split.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def rollover_pupils(request, school_id):
    """Step 3: every pupil's proposed place, per class of this year; the office changes one at a time."""
    rollover = access_rollover(request.user, school_id)
    groups = list(actions.new_groups_of(rollover))
    placements = list(actions.placements_of(rollover))
    shown = request.GET.get("show", "")
    if shown == "check":
        placements = [p for p in placements if p.needs_check]
    elif shown:
        placements = [p for p in placements if p.from_group.public_id == shown]
    from_groups = {p.from_group.public_id: p.from_group.name for p in actions.placements_of(rollover)}
    rows = [
        (
            placement,
            PlaceForm(
                groups=groups,
                prefix=placement.pupil.public_id,
                initial={
                    "group": placement.group.public_id if placement.group_id else "leaves",
                    "grade": placement.grade or "",
                },
            ),
        )
        for placement in placements
    ]
    context = _context(
        rollover,
        "pupils",
        rows=rows,
        from_groups=sorted(from_groups.items(), key=lambda i: i[1]),
        shown=shown,
    )
    return render(request, "roster/rollover/pupils.html", context)


@login_required
@require_POST
def rollover_place(request, school_id, pupil_id):
    rollover, placement = access_placement(request.user, school_id, pupil_id)
    _run(
        request,
        PlaceForm(request.POST, groups=actions.new_groups_of(rollover), prefix=pupil_id),
        refusal=_("Choose a class of the new year, or that the pupil leaves."),
        act=lambda data: actions.check_place_pupil(
            acting_user=request.user,
            rollover=rollover,
            placement=placement,
            group=data["group"],
            grade=data["grade"],
        ),
        saved=_("%(pupil)s's place is saved.") % {"pupil": placement.pupil.full_name},
    )
    show = request.POST.get("show", "")
    url = redirect("roster:rollover_pupils", school_id).url
    return redirect(f"{url}?show={show}#p-{pupil_id}" if show else f"{url}#p-{pupil_id}")


@login_required
@require_GET
def rollover_teachers(request, school_id):
    """Step 4: the teachers of each new class (copied from this year's class of the same name)."""
    rollover = access_rollover(request.user, school_id)
    teachers = list(teachers_of_school(rollover.school))
    rows = [
        (
            group,
            TeachersForm(
                teachers=teachers,
                prefix=group.public_id,
                initial={"teachers": [a.teacher.public_id for a in group.teaching.all()]},
            ),
        )
        for group in actions.new_groups_of(rollover)
    ]
    return render(request, "roster/rollover/teachers.html", _context(rollover, "teachers", rows=rows))


@login_required
@require_POST
def rollover_group_teachers(request, school_id, group_id):
    rollover, group = access_new_group(request.user, school_id, group_id)
    _run(
        request,
        TeachersForm(request.POST, teachers=teachers_of_school(rollover.school), prefix=group_id),
        refusal=_("Choose teachers of this school."),
        act=lambda data: actions.check_assign_teachers(
            acting_user=request.user,
            rollover=rollover,
            group=group,
            teacher_ids=data["teachers"],
        ),
        saved=_("The teachers of %(group)s are saved.") % {"group": group.name},
    )
    return redirect("roster:rollover_teachers", school_id)


@login_required
def rollover_confirm(request, school_id):
    """Step 5: what applying does, and the button; applying again writes only what changed since."""
    rollover = access_rollover(request.user, school_id)
    if request.method == "POST":
        try:
            counts = actions.check_apply_rollover(acting_user=request.user, rollover=rollover)
        except Invalid as error:
            messages.error(request, error.detail)
        else:
            messages.success(
                request,
                _("Applied: %(placed)s placed, %(moved)s changed, %(left)s leaving.") % counts,
            )
        return redirect("roster:rollover_confirm", school_id)
    context = _context(rollover, "confirm", counts=actions.rollover_counts(rollover))
    return render(request, "roster/rollover/confirm.html", context)
