"""Form pages: staff send forms and read the results; parents answer on their phone. Thin: access, one
action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.refusals import Invalid
from core.spreadsheet import safe_csv
from forms import actions
from forms.access import access_form, access_form_child
from forms.chart import bar_chart
from forms.forms import MAX_ROWS, FormSettingsForm, QuestionFormSet, raw_answers, shown_values
from forms.models import ANONYMOUS_THRESHOLD, Form
from forms.queries import (
    STATUS_LABELS,
    can_manage,
    children_list,
    export_table,
    forms_list,
    get_results,
    groups_for_forms,
    posts_taking_forms_from,
    slots_of,
)
from schools.access import access_school_admin, first_or_404
from schools.queries import schools_directed_by
from schools.views import attempt


@login_required
@require_GET
def index(request):
    context = forms_list(request.user)
    context["can_send"] = groups_for_forms(request.user).exists()
    context["evaluation_schools"] = list(schools_directed_by(request.user).order_by("name"))
    return render(request, "forms/index.html", context)


def _question_rows(request):
    """The question rows of the page: one more when "add a question" was pressed."""
    if request.method != "POST":
        return QuestionFormSet(prefix="q", initial=[{}, {}])
    data = request.POST.copy()
    if "more" in data:
        rows = min(int(data.get("q-TOTAL_FORMS", "0") or 0) + 1, MAX_ROWS)
        data["q-TOTAL_FORMS"] = str(rows)
    return QuestionFormSet(data, prefix="q")


@login_required
def form_new(request):
    """Send a form to one's groups, or under one's post (?post=…); questions are rows of the same page."""
    post_id = request.GET.get("post", "")
    post = first_or_404(posts_taking_forms_from(request.user).filter(public_id=post_id)) if post_id else None
    groups = groups_for_forms(request.user)
    if post is None and not groups.exists():
        raise Http404
    settings_form = FormSettingsForm(request.POST or None, groups=groups, post=post)
    rows = _question_rows(request)
    if (
        request.method == "POST"
        and "more" not in request.POST
        and settings_form.is_valid()
        and rows.is_valid()
    ):
        data = dict(settings_form.cleaned_data)
        drafts = [draft for row in rows if (draft := row.draft()) is not None]
        try:
            form = actions.check_create_form(
                acting_user=request.user,
                post=post,
                groups=list(data.pop("groups", [])),
                questions=drafts,
                **data,
            )
        except Invalid as refused:
            settings_form.add_error(None, refused)
        else:
            messages.success(request, _("The form has been sent."))
            return redirect("forms:form_detail", form.public_id)
    context = {"settings_form": settings_form, "rows": rows, "post": post}
    return render(request, "forms/form_new.html", context)


@login_required
def form_detail(request, form_id: str):
    """The form: answer it per child (or for the family); those who manage it see where the results are."""
    form = access_form(request.user, form_id)
    questions = list(form.questions.all())
    slots = slots_of(request.user, form)
    chosen = _chosen_slot(request, form, slots)
    values, problems = (shown_values(questions, chosen.values) if chosen else {}), {}
    if request.method == "POST":
        if chosen is None:
            raise Http404
        values = raw_answers(questions, request.POST)
        version = request.POST.get("version", "")
        try:
            actions.check_answer(
                acting_user=request.user,
                form=form,
                pupil=chosen.pupil,
                answers=values,
                version=int(version) if version.isdigit() else None,
            )
        except Invalid as refused:
            messages.error(
                request, refused.detail if not refused.problems else _("Please check your answers.")
            )
            problems = {p["question"]: p["message"] for p in refused.problems or [] if isinstance(p, dict)}
            if refused.code == "changed_meanwhile":  # show what the other guardian answered
                slots = slots_of(request.user, form)
                chosen = next(slot for slot in slots if slot.pupil.pk == chosen.pupil.pk)
                values = shown_values(questions, chosen.values)
        else:
            messages.success(request, _("Thank you, your answer has been saved."))
            return redirect(f"{request.path}?child={chosen.pupil.public_id}")
    now = timezone.now()
    context = {
        "form": form,
        "questions": [(q, values.get(q.public_id), problems.get(q.public_id)) for q in questions],
        "slots": slots,
        "chosen": chosen,
        "is_open": form.is_open_at(now),
        "manage": can_manage(request.user, form),
    }
    return render(request, "forms/form_detail.html", context)


def _chosen_slot(request, form, slots):
    """The child asked about in the request (one of the viewer's own), else the first not answered yet."""
    wanted = request.POST.get("child") or request.GET.get("child")
    if wanted:
        child = access_form_child(request.user, form, wanted)
        return next(slot for slot in slots if slot.pupil.pk == child.pk)
    return next((slot for slot in slots if slot.response is None and not slot.done_elsewhere), None) or (
        slots[0] if slots else None
    )


@login_required
@require_GET
def form_results(request, form_id: str):
    """Counts and a bar chart per question; an anonymous form only from five families."""
    form = access_form(request.user, form_id, manage=True)
    results = get_results(form)
    charts = [
        (result, bar_chart(result.bars, title=result.question.text) if results.shown else "")
        for result in results.questions
    ]
    context = {"form": form, "results": results, "charts": charts, "threshold": ANONYMOUS_THRESHOLD}
    return render(request, "forms/form_results.html", context)


@login_required
@require_GET
def form_children(request, form_id: str):
    """The list per child: yes / no / not yet, who answered when."""
    form = access_form(request.user, form_id, manage=True)
    if form.anonymous:
        raise Http404
    rows = children_list(form)
    counts = {status: sum(1 for row in rows if row.status == status) for status in STATUS_LABELS}
    context = {"form": form, "rows": rows, "counts": counts, "labels": STATUS_LABELS}
    return render(request, "forms/form_children.html", context)


@login_required
@require_GET
def form_export(request, form_id: str):
    """The answers as CSV (audited); cells that a spreadsheet would run as formulas are made text."""
    form = access_form(request.user, form_id, manage=True)
    header, rows = export_table(form)
    if not header:
        raise Invalid(_("The results are shown once at least five families have answered."))
    actions.do_record_export(acting_user=request.user, form=form, rows=len(rows))
    response = HttpResponse(safe_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="form-{form.public_id}.csv"'
    return response


@login_required
@require_POST
def form_remind(request, form_id: str):
    form = access_form(request.user, form_id, manage=True)
    ok, count = attempt(request, actions.check_remind, form=form)
    if ok:
        messages.success(
            request, _("A reminder is on its way to %(n)s parents who have not answered.") % {"n": count}
        )
    return redirect("forms:form_results", form.public_id)


@login_required
def evaluation_new(request, school_id: str):
    """The director sends the ready-made evaluation survey to all parents in one step."""
    school = access_school_admin(request.user, school_id)
    if not schools_directed_by(request.user).filter(pk=school.pk).exists():
        raise Http404
    if request.method == "POST":
        ok, form = attempt(request, actions.check_send_evaluation, school=school)
        if ok:
            messages.success(request, _("The evaluation has been sent to all parents."))
            return redirect("forms:form_detail", form.public_id)
    sent = Form.objects.filter(school=school, is_evaluation=True).order_by("-created_at")[:5]
    return render(request, "forms/evaluation_new.html", {"school": school, "sent": sent})
