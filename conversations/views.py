from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conversations import actions
from conversations.access import (
    access_addressable_pupil,
    access_conversation,
    access_guardians,
    access_staff_school,
)
from conversations.availability import availabilities_of, messaging_of, who_reads_lines
from conversations.forms import AvailabilityForm, MessageForm, SchoolMessagingForm, StaffStartForm, StartForm
from conversations.queries import (
    INBOX_PAGE_SIZE,
    children_to_write_about,
    guardians_of,
    pupils_to_write_about,
    thread_page,
    unread_count,
)
from conversations.queries import (
    inbox as inbox_of,
)
from core.htmx import is_htmx, render_page_or_partial
from media.failures import MediaRefused
from schools.access import access_school_admin
from schools.queries import ADMIN_ROLES, staff_roles_of, teachers_of_group

REFUSALS = (actions.Refused, MediaRefused)


@login_required
@require_GET
def inbox(request):
    archive = request.GET.get("archive") == "1"
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    conversations = inbox_of(request.user, archive=archive, page=page)
    roles = list(staff_roles_of(request.user).select_related("school"))
    context = {
        "conversations": conversations[:INBOX_PAGE_SIZE],
        "older_page": page + 1 if len(conversations) > INBOX_PAGE_SIZE else None,
        "archive": archive,
        "work_schools": list({role.school.public_id: role.school for role in roles}.values()),
        "admin_schools": list(
            {r.school.public_id: r.school for r in roles if r.role in ADMIN_ROLES}.values()
        ),
    }
    return render(request, "conversations/inbox.html", context)


@login_required
@require_GET
def unread_badge(request):
    """The number beside "Messages" in the navigation, fetched by htmx so pages pay no query for it.

    The nav picks `.unread-badge` out of the answer, so a redirect (staff before two-factor) shows nothing.
    """
    count = unread_count(request.user)
    if not count:
        return HttpResponse("")
    label = ngettext("%(n)s unread conversation", "%(n)s unread conversations", count) % {"n": count}
    return HttpResponse(
        format_html(
            '<span class="badge count unread-badge"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></span>',
            count,
            label,
        )
    )


@login_required
@require_GET
def new(request):
    q = request.GET.get("q", "")
    context = {
        "children": children_to_write_about(request.user),
        "pupils": pupils_to_write_about(request.user, q=q),
        "q": q,
    }
    return render(request, "conversations/new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, pupil_id: str):
    enrolment, pupil = access_addressable_pupil(request.user, pupil_id)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    if enrolment is not None:
        form = StartForm(*data)
        notice = who_reads_lines(teachers=teachers_of_group(enrolment.group), school=enrolment.group.school)
    else:
        form = StaffStartForm(*data, guardians=guardians_of(pupil))
        notice = []
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        try:
            if enrolment is not None:
                conversation = actions.check_start_with_class(
                    acting_user=request.user,
                    enrolment=enrolment,
                    subject=fields["subject"],
                    body=fields["body"],
                    uploads=fields["files"],
                )
            else:
                conversation = actions.check_start_with_guardians(
                    acting_user=request.user,
                    pupil=pupil,
                    guardians=access_guardians(pupil, fields["guardians"]),
                    subject=fields["subject"],
                    body=fields["body"],
                    uploads=fields["files"],
                )
        except REFUSALS as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("conversations:thread", conversation.public_id)
    context = {"form": form, "pupil": pupil, "enrolment": enrolment, "notice": notice}
    return render(request, "conversations/start.html", context, status=400 if form.errors else 200)


def _thread_context(request, conversation, form=None) -> dict:
    page = thread_page(request.user, conversation)
    notice = []
    if page.teachers and not page.is_staff and page.can_write and not is_htmx(request):
        notice = who_reads_lines(teachers=page.teachers, school=conversation.school)
    return {"page": page, "conversation": conversation, "form": form or MessageForm(), "notice": notice}


@login_required
@require_GET
def thread(request, conversation_id: str):
    """The thread; htmx polls it every few seconds for just the messages (the partial)."""
    conversation = access_conversation(request.user, conversation_id)
    context = _thread_context(request, conversation)
    if context["page"].unread:
        actions.do_mark_read(viewer=request.user, conversation=conversation)
    return render_page_or_partial(request, "conversations/thread.html", "messages", context)


@login_required
@require_POST
def send(request, conversation_id: str):
    conversation = access_conversation(request.user, conversation_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.check_send_message(
                acting_user=request.user,
                conversation=conversation,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["files"],
            )
        except REFUSALS as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("conversations:thread", conversation.public_id)
    return render(
        request, "conversations/thread.html", _thread_context(request, conversation, form), status=400
    )


@login_required
@require_POST
def close(request, conversation_id: str):
    conversation = access_conversation(request.user, conversation_id, write=True)
    actions.do_close(acting_user=request.user, conversation=conversation)
    messages.success(request, _("The conversation is closed."))
    return redirect("conversations:thread", conversation.public_id)


@login_required
@require_POST
def reopen(request, conversation_id: str):
    conversation = access_conversation(request.user, conversation_id, write=True)
    actions.do_reopen(acting_user=request.user, conversation=conversation)
    messages.success(request, _("The conversation is open again."))
    return redirect("conversations:thread", conversation.public_id)


@login_required
@require_POST
def add_director(request, conversation_id: str):
    conversation = access_conversation(request.user, conversation_id)
    try:
        actions.check_add_director(acting_user=request.user, conversation=conversation)
    except actions.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The director can now read this conversation."))
    return redirect("conversations:thread", conversation.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, school_id: str):
    school = access_staff_school(request.user, school_id)
    current = availabilities_of(users=[request.user], school=school)[request.user.id]
    initial = {"days": current.weekdays, "starts_at": current.starts_at, "ends_at": current.ends_at}
    form = AvailabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_save_availability(acting_user=request.user, school=school, **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your working hours have been saved."))
            return redirect("conversations:availability", school.public_id)
    context = {"form": form, "school": school}
    return render(request, "conversations/availability.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, school_id: str):
    school = access_school_admin(request.user, school_id)
    current = messaging_of(school)
    form = SchoolMessagingForm(
        request.POST or None, initial={"reply_days": current.reply_days, "phone": current.phone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_save_school_messaging(acting_user=request.user, school=school, **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("conversations:school_settings", school.public_id)
    context = {"form": form, "school": school}
    return render(request, "conversations/school_settings.html", context, status=400 if form.errors else 200)
