"""Conference pages: parents give preferences and see, add and swap their times; staff run the round.

Thin: access, one action, render. Refusals become the form error or a message (`schools.views.attempt`).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conferences import actions, moves
from conferences.access import (
    access_own_talk,
    access_round,
    access_round_group,
    access_round_taught,
    access_swap,
    access_talk,
)
from conferences.calendar import calendar_of_talks
from conferences.forms import (
    FlagForm,
    GroupSettingsForm,
    MoveForm,
    PreferencesForm,
    RoundForm,
    SwapAnswerForm,
    SwapForm,
    TeacherTimesForm,
)
from conferences.models import Phase, PupilFlag, RoundGroup, SwapRequest, TeacherTime
from conferences.queries import (
    answer_of,
    blocks_of,
    evening_of_teacher,
    free_starts_for,
    group_overview,
    is_round_staff,
    rounds_managed_by,
    rounds_visible_to,
    swap_partners_for,
    talks_of_family,
    teachers_of_talk,
)
from schools.access import access_pupil
from schools.models import Group
from schools.queries import current_classes_of, groups_staffed_by, schools_administered_by, staff_roles_of
from schools.views import attempt


def _round_url(round_) -> str:
    return f"/conferences/{round_.public_id}/"


@login_required
@require_GET
def index(request):
    rounds = list(rounds_visible_to(request.user).select_related("school").order_by("-preferences_open_at"))
    now = timezone.now()
    for round_ in rounds:
        round_.phase = round_.phase_at(now)
        round_.phase_label = Phase(round_.phase).label
    may_create = staff_roles_of(request.user).exists()
    return render(request, "conferences/index.html", {"rounds": rounds, "may_create": may_create})


def _groups_for_new_round(viewer, school):
    if schools_administered_by(viewer).filter(pk=school.pk).exists():
        return list(current_classes_of(school).order_by("name"))
    return list(groups_staffed_by(viewer).filter(school=school, kind=Group.Kind.CLASS).order_by("name"))


@login_required
def round_new(request):
    role = staff_roles_of(request.user).select_related("school").first()
    if role is None:
        raise Http404
    groups = _groups_for_new_round(request.user, role.school)
    form = RoundForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        ok, round_ = attempt(
            request, actions.check_create_round, school=role.school, **form.action_arguments()
        )
        if ok:
            messages.success(request, _("The round has been made."))
            return redirect(_round_url(round_))
    return render(request, "conferences/round_form.html", {"form": form, "round": None})


def _same_minute(value, current) -> bool:
    if isinstance(value, datetime.datetime) and isinstance(current, datetime.datetime):
        return value.replace(second=0, microsecond=0) == current.replace(second=0, microsecond=0)
    return False


@login_required
def round_edit(request, round_id):
    round_ = access_round(request.user, round_id, manage=True)
    groups = _groups_for_new_round(request.user, round_.school)
    initial = {
        field: getattr(round_, field)
        for field in RoundForm.base_fields
        if field != "groups" and hasattr(round_, field)
    }
    initial["groups"] = list(round_.round_groups.values_list("group__public_id", flat=True))
    for i, evening in enumerate(round_.evenings.all(), start=1):
        initial |= {
            f"evening{i}_date": evening.date,
            f"evening{i}_starts": evening.starts,
            f"evening{i}_ends": evening.ends,
        }
    form = RoundForm(request.POST or None, groups=groups, initial=initial)
    del form.fields["groups"]  # a round's groups are chosen once; their families may have answered
    if request.method == "POST" and form.is_valid():
        data = form.action_arguments()
        # The form shows moments to the minute: a moment it sends back unchanged is not a change.
        data = {k: v for k, v in data.items() if not _same_minute(v, getattr(round_, k, None))}
        ok, _result = attempt(request, actions.check_update_round, round_=round_, **data)
        if ok:
            messages.success(request, _("The round has been saved."))
            return redirect(_round_url(round_))
    return render(request, "conferences/round_form.html", {"form": form, "round": round_})


@login_required
@require_GET
def round_detail(request, round_id):
    round_ = access_round(request.user, round_id)
    phase = round_.phase_at(timezone.now())
    context = {"round": round_, "phase": phase, "Phase": Phase, "phase_label": Phase(phase).label}
    if is_round_staff(request.user, round_):
        context |= _staff_context(request.user, round_)
        return render(request, "conferences/round_staff.html", context)
    answer = answer_of(round_, request.user)
    form = None
    if phase == Phase.PREFERENCES:
        form = PreferencesForm(blocks=blocks_of(round_), initial=_initial_answer(answer, round_))
    talks = talks_of_family(round_, request.user) if round_.published_at else []
    for talk in talks:
        talk.teachers = teachers_of_talk(talk)
    context |= {"form": form, "answer": answer, "talks": talks}
    return render(request, "conferences/round_parent.html", context)


def _initial_answer(answer, round_) -> dict:
    if answer is None:
        return {}
    index = {start: i for i, (start, _end) in enumerate(blocks_of(round_))}
    initial = {"interpreter": answer.interpreter, "video_call": answer.video_call}
    for choice in answer.choices.all():
        if choice.starts_at in index:
            initial[f"b{index[choice.starts_at]}"] = "can" if choice.can else "cannot"
    return initial


def _staff_context(viewer, round_) -> dict:
    staffed = set(groups_staffed_by(viewer).values_list("id", flat=True))
    groups = [rg.group for rg in round_.round_groups.select_related("group").order_by("group__name")]
    run = round_.plan_runs.first()
    teaches = viewer.pk in actions._round_teacher_ids(round_)
    return {
        "times_form": _times_form(viewer, round_) if teaches and round_.published_at is None else None,
        "groups": [g for g in groups if g.pk in staffed],
        "manages": rounds_managed_by(viewer).filter(pk=round_.pk).exists(),
        "run": run,
        "longest_run": max(run.report.get("longest_run", {}).values(), default=0) if run else 0,
        "runs": _runs_by_teacher(run) if run else [],
        "evenings": list(round_.evenings.all()),
    }


def _times_form(viewer, round_, data=None) -> TeacherTimesForm:
    current = {t.evening_id: t for t in TeacherTime.objects.filter(round=round_, teacher=viewer)}
    return TeacherTimesForm(data, evenings=list(round_.evenings.all()), current=current)


@login_required
@require_POST
def round_my_times(request, round_id):
    """A teacher's own times on each evening of the round."""
    round_ = access_round_taught(request.user, round_id)
    form = _times_form(request.user, round_, request.POST)
    if form.is_valid():
        ok, _rows = attempt(request, actions.check_set_teacher_times, round_=round_, times=form.times())
        if ok:
            messages.success(request, _("Your times have been saved."))
    else:
        messages.error(request, _("Give times as hours and minutes, e.g. 18:30."))
    return redirect(_round_url(round_))


def _runs_by_teacher(run) -> list[tuple[str, int]]:
    """Each teacher's longest run of talks without a break, by name (the report keys them by id)."""
    from accounts.models import User

    runs = run.report.get("longest_run", {})
    people = User.objects.in_bulk([int(key) for key in runs])
    return sorted((people[int(k)].full_name, minutes) for k, minutes in runs.items() if int(k) in people)


@login_required
@require_POST
def round_preferences(request, round_id):
    round_ = access_round(request.user, round_id)
    form = PreferencesForm(request.POST, blocks=blocks_of(round_))
    if form.is_valid():
        ok, _answer = attempt(
            request,
            actions.check_answer,
            round_=round_,
            choices=form.choices(),
            interpreter=form.cleaned_data["interpreter"],
            video_call=form.cleaned_data["video_call"],
        )
        if ok:
            messages.success(request, _("Thank you, your preferences have been saved."))
            return redirect(_round_url(round_))
    context = {
        "round": round_,
        "phase": round_.phase_at(timezone.now()),
        "Phase": Phase,
        "form": form,
        "talks": [],
    }
    return render(request, "conferences/round_parent.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def round_plan(request, round_id):
    round_ = access_round(request.user, round_id, manage=True)
    ok, run = attempt(request, actions.check_plan, round_=round_)
    if ok:
        messages.success(request, _("Every talk has been planned. Check the schedule, then publish it."))
    return redirect(_round_url(round_))


@login_required
@require_POST
def round_publish(request, round_id):
    round_ = access_round(request.user, round_id, manage=True)
    ok, _result = attempt(request, actions.check_publish, round_=round_)
    if ok:
        messages.success(request, _("The schedule is published; every family has been told."))
    return redirect(_round_url(round_))


@login_required
@require_GET
def round_group(request, round_id, group_id):
    round_ = access_round(request.user, round_id)
    group = access_round_group(request.user, round_, group_id)
    rows = group_overview(round_, group)
    settings = RoundGroup.objects.get(round=round_, group=group)
    context = {
        "round": round_,
        "group": group,
        "rows": rows,
        "settings_form": GroupSettingsForm(
            initial={"slot_minutes": settings.slot_minutes, "room": settings.room}
        ),
        "placed": sum(1 for r in rows if r.talk and r.talk.starts_at),
        "may_flag": round_.published_at is None,
    }
    return render(request, "conferences/round_group.html", context)


@login_required
@require_POST
def round_group_flag(request, round_id, group_id):
    round_ = access_round(request.user, round_id)
    group = access_round_group(request.user, round_, group_id)
    form = FlagForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        pupil = access_pupil(request.user, data.pop("pupil"))
        ok, _flag = attempt(request, actions.check_flag_pupil, round_=round_, pupil=pupil, **data)
        if ok:
            messages.success(request, _("Saved."))
    return redirect(f"{_round_url(round_)}groups/{group.public_id}/")


@login_required
@require_POST
def round_group_settings(request, round_id, group_id):
    round_ = access_round(request.user, round_id)
    group = access_round_group(request.user, round_, group_id)
    form = GroupSettingsForm(request.POST)
    if form.is_valid():
        ok, _result = attempt(
            request, actions.check_set_group, round_=round_, group=group, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("A talk lasts between 5 and 60 minutes."))
    return redirect(f"{_round_url(round_)}groups/{group.public_id}/")


@login_required
@require_GET
def round_evening(request, round_id):
    """A teacher's evening as a list, for the screen and for print."""
    round_ = access_round(request.user, round_id)
    slots = evening_of_teacher(round_, request.user)
    if not slots and not is_round_staff(request.user, round_):
        raise Http404
    return render(request, "conferences/evening.html", {"round": round_, "slots": slots})


@login_required
@require_GET
def round_calendar(request, round_id):
    round_ = access_round(request.user, round_id)
    talks = talks_of_family(round_, request.user)
    return _ics(calendar_of_talks(talks), f"{round_.name}.ics")


def _ics(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    safe = "".join(c for c in name if c.isalnum() or c in " .-_") or "talk.ics"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


# --- Talks: the family's time, moves and swaps --------------------------------------------------------------


@login_required
@require_GET
def talk_detail(request, talk_id):
    talk = access_talk(request.user, talk_id)
    talk.teachers = teachers_of_talk(talk)
    own = talk.guardians.filter(pk=request.user.pk).exists()
    phase = talk.round.phase_at(timezone.now())
    swappable = own and phase == Phase.SWAPS
    staff = not own
    context = {
        "talk": talk,
        "round": talk.round,
        "own": own,
        "staff": staff,
        "phase": phase,
        "free": free_starts_for(talk) if swappable or staff else [],
        "partners": swap_partners_for(talk) if swappable else [],
        "asked": SwapRequest.objects.filter(other=talk, status=SwapRequest.Status.PENDING).select_related(
            "talk"
        )
        if own
        else [],
        "pupils": list(talk.pupils.all()),
        "flags": PupilFlag.objects.filter(round=talk.round, pupil__in=talk.pupils.all()) if staff else [],
    }
    return render(request, "conferences/talk.html", context)


@login_required
@require_GET
def talk_calendar(request, talk_id):
    talk = access_own_talk(request.user, talk_id)
    return _ics(calendar_of_talks([talk]), "talk.ics")


@login_required
@require_POST
def talk_move(request, talk_id):
    talk = access_talk(request.user, talk_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the free times."))
        return redirect(moves.talk_url(talk))
    if talk.guardians.filter(pk=request.user.pk).exists():
        ok, _talk = attempt(
            request, moves.check_take_free_slot, talk=talk, starts_at=form.cleaned_data["starts_at"]
        )
    else:
        talk = access_talk(request.user, talk_id, manage=True)
        ok, _talk = attempt(
            request, moves.check_move_by_hand, talk=talk, starts_at=form.cleaned_data["starts_at"]
        )
    if ok:
        messages.success(request, _("The talk has a new time."))
    return redirect(moves.talk_url(talk))


@login_required
@require_POST
def talk_swap(request, talk_id):
    talk = access_own_talk(request.user, talk_id)
    form = SwapForm(request.POST)
    if form.is_valid():
        other = next((t for t in swap_partners_for(talk) if t.public_id == form.cleaned_data["other"]), None)
        if other is None:
            messages.error(request, _("That time can no longer be swapped. Choose again."))
        else:
            ok, _swap = attempt(request, moves.check_ask_swap, talk=talk, other=other)
            if ok:
                messages.success(request, _("Your request has been sent. The swap happens when they accept."))
    return redirect(moves.talk_url(talk))


@login_required
@require_POST
def swap_answer(request, swap_id):
    swap = access_swap(request.user, swap_id)
    form = SwapAnswerForm(request.POST)
    if form.is_valid():
        ok, _swap = attempt(request, moves.check_answer_swap, swap=swap, accept=form.cleaned_data["accept"])
        if ok:
            messages.success(request, _("Thank you, your answer has been sent."))
    return redirect(moves.talk_url(swap.other))
