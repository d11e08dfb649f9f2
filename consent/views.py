"""Privacy preferences (parents), consent administration (director, office), tagging and checks (staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent import actions, avatars
from consent.access import (
    access_consent_school,
    access_face,
    access_own_child,
    access_purpose,
    access_request,
    access_school_pupil,
    access_statement_school,
    access_tag,
    access_tagging,
)
from consent.forms import parse_answers
from consent.models import Request, Scope
from consent.queries import (
    group_overview,
    preferences_of,
    purposes_of,
    purposes_with_versions,
    requests_of,
    response_rates,
    schools_of_member,
    settings_of,
    tagging_page,
    withheld_media_of,
)
from consent.statement import statement_of
from core.refusals import Refused
from media.actions import do_delete_media
from schools.access import access_group
from schools.models import Pupil
from schools.queries import schools_administered_by, schools_directed_by
from schools.views import attempt, back_or


def show_refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def preferences(request):
    children = avatars.with_avatar_states(request.user, preferences_of(request.user))
    context = {
        "children": children,
        "statement_schools": list(schools_of_member(request.user)),
        "admin_schools": list(schools_administered_by(request.user)),
        "task_count": len(withheld_media_of(request.user)),
    }
    return render(request, "consent/preferences.html", context)


@login_required
@require_POST
def answer(request, pupil_id):
    pupil = access_own_child(request.user, pupil_id)
    try:
        answers = parse_answers(request.POST, purposes_of(pupil.school_id))
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("consent:preferences")
    ok, changes = attempt(request, actions.check_answer, pupil=pupil, answers=answers)
    if ok:
        messages.success(
            request, _("Your answers for %(child)s have been saved.") % {"child": pupil.first_name}
        )
    return redirect("consent:preferences")


@login_required
@require_POST
def avatar(request, pupil_id):
    pupil = access_own_child(request.user, pupil_id)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo first."))
        return redirect("consent:preferences")
    ok, _media = attempt(request, avatars.check_set_avatar, pupil=pupil, upload=upload)
    if ok:
        messages.success(
            request,
            _("The photo of %(child)s has been saved. It appears once it is processed.")
            % {"child": pupil.first_name},
        )
    return redirect("consent:preferences")


@login_required
@require_POST
def avatar_remove(request, pupil_id):
    pupil = access_own_child(request.user, pupil_id)
    avatars.do_remove_avatar(acting_user=request.user, pupil=pupil)
    messages.success(request, _("The photo of %(child)s has been removed.") % {"child": pupil.first_name})
    return redirect("consent:preferences")


@login_required
def school(request, school_id):
    school = access_consent_school(request.user, school_id)
    actions.do_ensure_default_purposes(school=school)
    context = {
        "school": school,
        "purposes": purposes_with_versions(school),
        "scopes": Scope.choices,
        "requests": list(requests_of(school)[:10]),
        "rates": response_rates(school),
        "reasons": [(v, label) for v, label in Request.Reason.choices if v != Request.Reason.CHANGED],
        "new_pupils": list(Pupil.objects.filter(school=school).order_by("first_name", "last_name")),
        "settings": settings_of(school),
        "is_director": schools_directed_by(request.user).filter(pk=school.pk).exists(),
    }
    return render(request, "consent/school.html", context)


def wording_of(data) -> dict:
    """The wording fields of the purpose forms, as the actions take them."""
    return {
        "name": data.get("name", ""),
        "name_en": data.get("name_en", ""),
        "description": data.get("description", ""),
        "description_en": data.get("description_en", ""),
        "scope": data.get("scope", Scope.OTHER),
    }


@login_required
@require_POST
def purpose_add(request, school_id):
    school = access_consent_school(request.user, school_id)
    if attempt(request, actions.check_add_purpose, school=school, **wording_of(request.POST))[0]:
        messages.success(request, _("The purpose has been added. Send a request so parents answer it."))
    return redirect("consent:school", school.public_id)


@login_required
@require_POST
def purpose_change(request, purpose_id):
    """A new version of the purpose; the director says whether it changes what the school does."""
    purpose = access_purpose(request.user, purpose_id)
    ask_again = request.POST.get("ask_again") == "on"
    ok, _changed = attempt(
        request,
        actions.check_change_purpose,
        purpose=purpose,
        ask_again=ask_again,
        **wording_of(request.POST),
    )
    if ok and ask_again:
        messages.success(request, _("The purpose has changed. The parents are asked again for this purpose."))
    elif ok:
        messages.success(request, _("The wording has been corrected; the answers keep counting."))
    return redirect("consent:school", purpose.school.public_id)


@login_required
@require_POST
def purpose_remove(request, purpose_id):
    purpose = access_purpose(request.user, purpose_id)
    actions.do_remove_purpose(acting_user=request.user, purpose=purpose)
    messages.success(request, _("The purpose has been removed; its answers are kept."))
    return redirect("consent:school", purpose.school.public_id)


@login_required
@require_POST
def request_send(request, school_id):
    school = access_consent_school(request.user, school_id, write=True)
    pupil_id = request.POST.get("pupil", "")
    pupil = access_school_pupil(school, pupil_id) if pupil_id else None
    if attempt(
        request, actions.check_send_request, school=school, reason=request.POST.get("reason", ""), pupil=pupil
    )[0]:
        messages.success(request, _("The request has been sent to the parents."))
    return redirect("consent:school", school.public_id)


@login_required
@require_POST
def request_remind(request, request_id):
    consent_request = access_request(request.user, request_id)
    count = actions.do_remind(acting_user=request.user, request=consent_request)
    messages.success(request, _("%(count)d parents have been reminded.") % {"count": count})
    return redirect("consent:school", consent_request.school.public_id)


@login_required
@require_POST
def settings_save(request, school_id):
    school = access_consent_school(request.user, school_id)
    actions.do_set_blur_untagged(
        acting_user=request.user, school=school, enabled=request.POST.get("blur_untagged_faces") == "on"
    )
    avatars.do_set_child_avatars(
        acting_user=request.user, school=school, enabled=request.POST.get("child_avatars") == "on"
    )
    messages.success(request, _("The setting has been saved."))
    return redirect("consent:school", school.public_id)


@login_required
def group(request, group_id):
    group = access_group(request.user, group_id, write=True)
    purposes, refusals, pupil_count = group_overview(group)
    context = {
        "group": group,
        "purposes": purposes,
        "has_data_purposes": any(not purpose.is_photo for purpose in purposes),
        "refusals": refusals,
        "pupil_count": pupil_count,
        "withheld": withheld_media_of(request.user, group=group),
    }
    return render(request, "consent/group.html", context)


@login_required
@require_POST
def group_release(request, group_id):
    group = access_group(request.user, group_id, write=True)
    files = withheld_media_of(request.user, group=group)
    try:
        actions.check_release(acting_user=request.user, media_files=files)
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("consent:group", group.public_id)
    if files:
        messages.success(request, _("The photos are now shown to the parents."))
    return redirect("consent:group", group.public_id)


@login_required
def media(request, media_id):
    media = access_tagging(request.user, media_id)
    return render(request, "consent/media.html", {"page": tagging_page(request.user, media)})


@login_required
@require_POST
def media_tag(request, media_id):
    media = access_tagging(request.user, media_id)
    face_id = request.POST.get("face", "")
    face = access_face(media, face_id) if face_id else None
    choice = request.POST.get("pupil", "")
    if choice == "blur" and face is not None:
        attempt(request, actions.do_blur, media=media, boxes=[face])
        return back_or(request, "consent:media", media.public_id)
    page = tagging_page(request.user, media)
    pupil = next((p for p in page.candidates if p.public_id == choice), None)
    if pupil is None:
        messages.error(request, _("Choose a child from the list."))
    elif attempt(request, actions.check_tag, media=media, pupil=pupil, face=face)[0]:
        messages.success(request, _("%(child)s is tagged.") % {"child": pupil.first_name})
    return back_or(request, "consent:media", media.public_id)


@login_required
@require_POST
def media_blur(request, media_id):
    """Blur one child (the face box they are tagged on) or one face box, irreversibly."""
    media = access_tagging(request.user, media_id)
    page = tagging_page(request.user, media)
    pupil_id, face_id = request.POST.get("pupil", ""), request.POST.get("face", "")
    boxes = (
        [tag.face for tag in page.tags if tag.pupil.public_id == pupil_id and tag.face] if pupil_id else []
    )
    if face_id:
        boxes.append(access_face(media, face_id))
    if not boxes:
        messages.error(
            request, _("This child is not on a face box; tag the face first, or leave the photo out.")
        )
    elif attempt(request, actions.do_blur, media=media, boxes=boxes)[0]:
        messages.success(request, _("The face has been blurred in every size of the photo."))
    return back_or(request, "consent:media", media.public_id)


@login_required
@require_POST
def media_remove(request, media_id):
    """Leave the photo out: it is deleted."""
    media = access_tagging(request.user, media_id)
    do_delete_media(acting_user=request.user, media=media)
    messages.success(request, _("The photo has been removed."))
    return back_or(request, "consent:tasks")


@login_required
@require_POST
def tag_remove(request, tag_id):
    tag = access_tag(request.user, tag_id)
    actions.do_untag(acting_user=request.user, tag=tag)
    return back_or(request, "consent:media", tag.media.public_id)


@login_required
def tasks(request):
    return render(request, "consent/tasks.html", {"files": withheld_media_of(request.user)})


# --- The school's privacy page -------------------------------------------------------------------------


def render_statement(request, school, *, posted=None, status=200):
    statement = statement_of(school)
    context = {
        "statement": statement,
        "form": posted
        if posted is not None
        else {f: getattr(statement.own, f) for f in actions.STATEMENT_FIELDS},
        "can_edit": schools_directed_by(request.user).filter(pk=school.pk).exists(),
    }
    return render(request, "consent/statement.html", context, status=status)


@login_required
def statement(request, school_id):
    """The school's privacy statement, for every parent and staff member of the school."""
    return render_statement(request, access_statement_school(request.user, school_id))


@login_required
@require_POST
def statement_save(request, school_id):
    school = access_statement_school(request.user, school_id, write=True)
    posted = {name: request.POST.get(name, "") for name in actions.STATEMENT_FIELDS}
    try:
        actions.check_save_statement(acting_user=request.user, school=school, **posted)
    except Refused as refusal:
        messages.error(request, refusal.detail)
        return render_statement(request, school, posted=posted, status=422)
    messages.success(request, _("The privacy page has been saved."))
    return redirect("consent:statement", school.public_id)
