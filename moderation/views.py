"""Pages: conduct rules, reporting, the moderation queue, suspensions, feedback and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conversations.access import access_conversation
from moderation import actions
from moderation.access import (
    access_administered_school,
    access_directed_school,
    access_feedback_school,
    access_report,
    access_reportable,
    access_school_parent_by_email,
    access_suspension,
    access_term,
)
from moderation.actions import ModerationError
from moderation.forms import (
    AuditFilterForm,
    FeedbackForm,
    ReportForm,
    ResolveForm,
    RulesForm,
    SuspendForm,
    TermForm,
)
from moderation.middleware import mark_rules_checked
from moderation.models import ExtraTerm, Report, Suspension
from moderation.queries import (
    audit_actions_of,
    audit_events_of,
    feedback_for,
    moderated_reports,
    reported_item,
    reports_by,
    schools_of,
    schools_with_pending_rules,
    with_rules_version,
)
from schools.queries import schools_administered_by, schools_directed_by


def attempt(request, form, action, **kwargs):
    """Run an action; a refusal becomes a form error (nothing is saved). Returns the result or None."""
    try:
        return action(acting_user=request.user, **kwargs) or True
    except ModerationError as refused:
        form.add_error(None, refused.message)
        return None


@login_required
@require_GET
def home(request):
    """What moderation offers this user: their reports and tips, the queue, the director's pages."""
    context = {
        "moderates": moderated_reports(request.user).exists(),
        "open_count": moderated_reports(request.user).filter(status=Report.Status.OPEN).count(),
        "directed": list(schools_directed_by(request.user)),
        "administered": list(schools_administered_by(request.user)),
    }
    return render(request, "moderation/home.html", context)


# --- Conduct rules --------------------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def rules(request):
    """The rules of the user's schools; the ones not accepted yet must be accepted to go on."""
    pending = list(with_rules_version(schools_with_pending_rules(request.user)).order_by("name"))
    if request.method == "POST":
        if pending:
            actions.do_accept_rules(acting_user=request.user, schools=pending)
            messages.success(request, _("Thank you. You have accepted the rules."))
        mark_rules_checked(request.session)
        return redirect(_safe_next(request))
    schools = pending or list(schools_of(request.user).order_by("name"))
    shown = [(school, actions.rules_of(school)) for school in schools]
    context = {"shown": shown, "pending": bool(pending), "next": _safe_next(request)}
    return render(request, "moderation/rules.html", context)


@login_required
def rules_edit(request, school_id: str):
    school = access_directed_school(request.user, school_id)
    current = actions.rules_of(school)
    initial = {"text_nl": current.text_nl, "text_en": current.text_en, "ask_again": True}
    form = RulesForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, form, actions.check_update_rules, school=school, **form.cleaned_data)
    ):
        messages.success(request, _("The rules have been saved."))
        return redirect("moderation:rules_edit", school.public_id)
    return render(request, "moderation/rules_edit.html", {"school": school, "form": form, "rules": current})


# --- Screening terms ------------------------------------------------------------------------------


@login_required
def terms(request, school_id: str):
    school = access_administered_school(request.user, school_id)
    form = TermForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, form, actions.check_add_term, school=school, **form.cleaned_data)
    ):
        messages.success(request, _("The word has been added."))
        return redirect("moderation:terms", school.public_id)
    extra = ExtraTerm.objects.filter(school=school)
    return render(request, "moderation/terms.html", {"school": school, "form": form, "terms": extra})


@login_required
@require_POST
def term_delete(request, school_id: str, term_id: str):
    term = access_term(request.user, school_id, term_id)
    actions.do_remove_term(acting_user=request.user, term=term)
    messages.success(request, _("The word has been removed."))
    return redirect("moderation:terms", school_id)


# --- Reports --------------------------------------------------------------------------------------


@login_required
def report(request, kind: str, item_id: str):
    entry, item = access_reportable(request.user, kind, item_id)
    existing = reports_by(request.user).filter(item_id=item.pk, kind=entry.kind).first()
    initial = {"reason": existing.reason, "text": existing.text} if existing else None
    form = ReportForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, form, actions.check_report, entry=entry, item=item, **form.cleaned_data)
    ):
        messages.success(request, _("Thank you. The teacher and the director will look at your report."))
        return redirect("moderation:my_reports")
    place = entry.describe(item)
    context = {"form": form, "entry": entry, "place": place, "existing": existing}
    return render(request, "moderation/report.html", context)


@login_required
@require_GET
def my_reports(request):
    reports = reports_by(request.user).select_related("school")
    return render(request, "moderation/my_reports.html", {"reports": reports})


@login_required
@require_GET
def queue(request):
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in Report.Status.values:
        status = Report.Status.OPEN
    reports = list(
        moderated_reports(request.user).filter(status=status).select_related("school", "group", "reporter")
    )
    for report in reports:
        report.reported = reported_item(report)
    return render(request, "moderation/queue.html", {"reports": reports, "status": status})


@login_required
@require_GET
def report_detail(request, report_id: str):
    report = access_report(request.user, report_id, write=True)
    preview = reported_item(report)
    context = {
        "report": report,
        "preview": preview,
        "item_url": preview.url if preview is not None else "",
        "hidden": actions.is_hidden(report),
        "others": moderated_reports(request.user)
        .filter(item_type_id=report.item_type_id, item_id=report.item_id)
        .exclude(pk=report.pk)
        .select_related("reporter"),
        "form": ResolveForm(),
    }
    return render(request, "moderation/report_detail.html", context)


@login_required
@require_POST
def report_hide(request, report_id: str):
    report = access_report(request.user, report_id, write=True)
    actions.do_hide_item(acting_user=request.user, report=report)
    messages.success(request, _("The item is hidden for everyone but staff while you look."))
    return redirect("moderation:report_detail", report.public_id)


@login_required
@require_POST
def report_resolve(request, report_id: str):
    report = access_report(request.user, report_id, write=True)
    form = ResolveForm(request.POST)
    if form.is_valid() and attempt(
        request, form, actions.check_resolve_report, report=report, **form.cleaned_data
    ):
        messages.success(request, _("The report is closed; whoever reported it sees the outcome."))
        return redirect("moderation:queue")
    context = {"report": report, "hidden": actions.is_hidden(report), "others": [], "form": form}
    return render(request, "moderation/report_detail.html", context, status=400)


# --- Suspensions ----------------------------------------------------------------------------------


@login_required
def suspensions(request, school_id: str):
    school = access_directed_school(request.user, school_id)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school, parent = access_school_parent_by_email(
                request.user, school_id, form.cleaned_data["email"]
            )
        except Http404:
            parent = None
            form.add_error("email", _("No parent of this school has this email address."))
        if parent and attempt(
            request,
            form,
            actions.check_suspend,
            school=school,
            user=parent,
            reason=form.cleaned_data["reason"],
        ):
            messages.success(
                request,
                _("%(name)s is suspended: this school's groups are closed to them.") % {"name": parent},
            )
            return redirect("moderation:suspensions", school.public_id)
    active = Suspension.objects.filter(school=school, lifted_at__isnull=True).select_related(
        "user", "suspended_by"
    )
    return render(
        request, "moderation/suspensions.html", {"school": school, "form": form, "suspensions": active}
    )


@login_required
@require_POST
def suspension_lift(request, school_id: str, suspension_id: str):
    suspension = access_suspension(request.user, school_id, suspension_id)
    actions.do_lift_suspension(acting_user=request.user, suspension=suspension)
    messages.success(request, _("%(name)s can sign in again.") % {"name": suspension.user})
    return redirect("moderation:suspensions", school_id)


# --- Feedback -------------------------------------------------------------------------------------


@login_required
def feedback(request):
    school = access_feedback_school(request.user, request.POST.get("school") or request.GET.get("school"))
    form = FeedbackForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, form, actions.check_send_feedback, school=school, **form.cleaned_data)
    ):
        messages.success(request, _("Thank you for your tip. The director reads every message."))
        return redirect("moderation:home")
    return render(request, "moderation/feedback.html", {"school": school, "form": form})


@login_required
@require_GET
def feedback_list(request, school_id: str):
    school = access_directed_school(request.user, school_id)
    page = Paginator(feedback_for(request.user).filter(school=school).select_related("author"), 50).get_page(
        request.GET.get("page")
    )
    actions.do_mark_feedback_read(acting_user=request.user, feedback=list(page.object_list))
    return render(request, "moderation/feedback_list.html", {"school": school, "page": page})


# --- Audit log ------------------------------------------------------------------------------------


@login_required
@require_GET
def audit(request, school_id: str):
    school = access_directed_school(request.user, school_id)
    form = AuditFilterForm(request.GET or None, actions=audit_actions_of(school))
    # A bad filter (an impossible date) is shown beside its field; the log is listed unfiltered.
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_of(school, **{key: value for key, value in filters.items() if value})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"school": school, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "moderation/audit.html", context)


# --- Muting a conversation ------------------------------------------------------------------------


@login_required
@require_POST
def mute(request, conversation_id: str):
    conversation = access_conversation(request.user, conversation_id)
    muted = request.POST.get("muted") != "0"
    actions.do_set_muted(acting_user=request.user, item=conversation, muted=muted)
    if muted:
        messages.success(request, _("You will no longer be told of new messages in this conversation."))
    else:
        messages.success(request, _("You will be told of new messages in this conversation again."))
    return redirect("conversations:thread", conversation.public_id)
