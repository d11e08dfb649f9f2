"""The group page and the school administration (director and office). Thin: access, one action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from core.htmx import render_page_or_partial
from core.refusals import Refused
from schools import actions
from schools.access import (
    access_admin_class,
    access_admin_class_parent,
    access_admin_guardian,
    access_admin_guardianship,
    access_admin_pupil,
    access_admin_staff_role,
    access_admin_teaching,
    access_group,
    access_school_admin,
)
from schools.forms import ClassForm, GuardianForm, PersonChoiceForm, PupilForm, StaffForm, class_choices
from schools.queries import (
    classes_of_school,
    current_classes_of,
    earlier_classes_of,
    get_group_page,
    guardians_of_group,
    guardians_of_school,
    pupils_of_school,
    school_overview,
    schools_directed_by,
    staff_of_school,
    teachers_of_school,
)

PAGE_SIZE = 25
STATUS_CHOICES = [
    ("active", _lazy("active")),
    ("invited", _lazy("invited")),
    ("expired", _lazy("invitation expired")),
    ("not_invited", _lazy("not invited")),
]
STATUSES = [value for value, label in STATUS_CHOICES]


def attempt(request, action, **kwargs) -> tuple[bool, object]:
    """Run an action; a refusal becomes a message for the user and nothing is saved."""
    try:
        return True, action(acting_user=request.user, **kwargs)
    except Refused as refusal:
        messages.error(request, refusal.detail)
    return False, None


def back_or(request, *fallback):
    """Redirect to the form's own page when it says so (same site only), else to the fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(*fallback)


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def teacher_form(group, data=None):
    return PersonChoiceForm(data, people=teachers_of_school(group.school), label=_("Teacher"))


def class_parent_form(group, data=None):
    return PersonChoiceForm(data, people=guardians_of_group(group), label=_("Parent"))


@login_required
def group_detail(request, group_id):
    group = access_group(request.user, group_id)
    page = get_group_page(request.user, group)
    context = {"page": page, "group": group}
    if page.is_admin and not group.is_school_wide:
        context.update(teacher_form=teacher_form(group), class_parent_form=class_parent_form(group))
    return render(request, "schools/group_detail.html", context)


@login_required
def earlier_classes(request):
    """The archive of classes of earlier school years, to read."""
    classes = list(earlier_classes_of(request.user))
    return render(request, "schools/earlier_classes.html", {"classes": classes})


@login_required
def admin_home(request, school_id):
    school = access_school_admin(request.user, school_id)
    return render(request, "schools/admin_home.html", {"school": school, "counts": school_overview(school)})


@login_required
def admin_pupils(request, school_id):
    school = access_school_admin(request.user, school_id)
    q = request.GET.get("q", "").strip()
    pupils = paginate(request, pupils_of_school(school, q=q))
    return render_page_or_partial(
        request, "schools/admin_pupils.html", "results", {"school": school, "q": q, "pupils": pupils}
    )


@login_required
def admin_pupil_add(request, school_id):
    school = access_school_admin(request.user, school_id)
    form = PupilForm(request.POST or None, classes=list(current_classes_of(school).order_by("name")))
    if request.method == "POST" and form.is_valid():
        ok, pupil = attempt(request, actions.check_create_pupil, school=school, **form.cleaned_data)
        if ok:
            messages.success(request, _("%(pupil)s has been added.") % {"pupil": pupil})
            return redirect("schools:admin_pupil", school.public_id, pupil.public_id)
    return render(request, "schools/admin_pupil_add.html", {"school": school, "form": form})


@login_required
def admin_pupil(request, school_id, pupil_id):
    pupil = access_admin_pupil(request.user, school_id, pupil_id)
    pupil = pupils_of_school(pupil.school).get(pk=pupil.pk)
    classes = current_classes_of(pupil.school).order_by("name")
    return render(
        request,
        "schools/admin_pupil.html",
        {"school": pupil.school, "pupil": pupil, "classes": class_choices(classes)},
    )


@login_required
@require_POST
def admin_pupil_move(request, school_id, pupil_id):
    pupil = access_admin_pupil(request.user, school_id, pupil_id)
    group = access_admin_class(request.user, school_id, request.POST.get("group", ""))
    if attempt(request, actions.do_move_pupil, pupil=pupil, group=group)[0]:
        messages.success(request, _("%(pupil)s is now in %(group)s.") % {"pupil": pupil, "group": group})
    return redirect("schools:admin_pupil", school_id, pupil_id)


@login_required
def admin_guardian_add(request, school_id, pupil_id):
    pupil = access_admin_pupil(request.user, school_id, pupil_id)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, guardianship = attempt(request, actions.check_add_guardian, pupil=pupil, **form.cleaned_data)
        if ok:
            messages.success(
                request,
                _("%(name)s is now a guardian of %(pupil)s.")
                % {"name": guardianship.guardian, "pupil": pupil},
            )
            return redirect("schools:admin_pupil", school_id, pupil_id)
    return render(
        request, "schools/admin_guardian_add.html", {"school": pupil.school, "pupil": pupil, "form": form}
    )


@login_required
@require_POST
def admin_guardianship_remove(request, school_id, pupil_id, guardian_id):
    guardianship = access_admin_guardianship(request.user, school_id, pupil_id, guardian_id)
    actions.do_remove_guardianship(acting_user=request.user, guardianship=guardianship)
    messages.success(
        request,
        _("%(name)s is no longer a guardian of %(pupil)s.")
        % {"name": guardianship.guardian, "pupil": guardianship.pupil},
    )
    return redirect("schools:admin_pupil", school_id, pupil_id)


@login_required
def admin_guardians(request, school_id):
    school = access_school_admin(request.user, school_id)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    guardians = paginate(request, guardians_of_school(school, q=q, status=status or None))
    return render_page_or_partial(
        request,
        "schools/admin_guardians.html",
        "results",
        {
            "school": school,
            "q": q,
            "status": status,
            "guardians": guardians,
            "status_choices": STATUS_CHOICES,
        },
    )


@login_required
@require_POST
def admin_guardian_invite(request, school_id, guardian_id):
    school = access_school_admin(request.user, school_id)
    guardian = access_admin_guardian(request.user, school_id, guardian_id)
    if attempt(request, actions.check_invite, user=guardian, school=school)[0]:
        messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": guardian.email})
    return back_or(request, "schools:admin_guardians", school_id)


@login_required
@require_POST
def admin_guardians_invite_all(request, school_id):
    school = access_school_admin(request.user, school_id)
    count = actions.do_invite_all_not_invited(acting_user=request.user, school=school)
    messages.success(request, _("Invitations sent: %(count)d.") % {"count": count})
    return redirect("schools:admin_guardians", school_id)


@login_required
def admin_groups(request, school_id):
    school = access_school_admin(request.user, school_id)
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, group = attempt(
            request, actions.check_create_class, school=school, name=form.cleaned_data["name"]
        )
        if ok:
            messages.success(request, _("Class %(name)s has been created.") % {"name": group.name})
            return redirect("schools:admin_groups", school_id)
    return render(
        request,
        "schools/admin_groups.html",
        {"school": school, "form": form, "classes": list(classes_of_school(school))},
    )


def _assign(request, school_id, group_id, action, form_for, field):
    group = access_admin_class(request.user, school_id, group_id)
    form = form_for(group, request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["person"][0])
    elif attempt(request, action, group=group, **{field: form.cleaned_data["person"]})[0]:
        messages.success(request, _("Saved."))
    return redirect("schools:group_detail", group_id)


@login_required
@require_POST
def admin_teacher_add(request, school_id, group_id):
    return _assign(request, school_id, group_id, actions.check_assign_teacher, teacher_form, "teacher")


@login_required
@require_POST
def admin_class_parent_add(request, school_id, group_id):
    return _assign(
        request, school_id, group_id, actions.check_assign_class_parent, class_parent_form, "guardian"
    )


@login_required
@require_POST
def admin_teacher_remove(request, school_id, assignment_id):
    assignment = access_admin_teaching(request.user, school_id, assignment_id)
    actions.do_remove_teacher(acting_user=request.user, assignment=assignment)
    messages.success(request, _("%(name)s no longer teaches this class.") % {"name": assignment.teacher})
    return redirect("schools:group_detail", assignment.group.public_id)


@login_required
@require_POST
def admin_class_parent_remove(request, school_id, class_parent_id):
    class_parent = access_admin_class_parent(request.user, school_id, class_parent_id)
    actions.do_remove_class_parent(acting_user=request.user, class_parent=class_parent)
    messages.success(request, _("%(name)s is no longer class parent.") % {"name": class_parent.guardian})
    return redirect("schools:group_detail", class_parent.group.public_id)


@login_required
def admin_staff(request, school_id):
    school = access_school_admin(request.user, school_id)
    may_add_director = schools_directed_by(request.user).filter(pk=school.pk).exists()
    form = StaffForm(request.POST or None, may_add_director=may_add_director)
    if request.method == "POST" and form.is_valid():
        ok, role = attempt(request, actions.check_add_staff_member, school=school, **form.cleaned_data)
        if ok:
            messages.success(
                request, _("%(name)s is now %(role)s.") % {"name": role.user, "role": role.get_role_display()}
            )
            return redirect("schools:admin_staff", school_id)
    q = request.GET.get("q", "").strip()
    roles = paginate(request, staff_of_school(school, q=q))
    return render(
        request,
        "schools/admin_staff.html",
        {"school": school, "form": form, "q": q, "roles": roles, "may_add_director": may_add_director},
    )


@login_required
@require_POST
def admin_staff_remove(request, school_id, role_id):
    role = access_admin_staff_role(request.user, school_id, role_id)
    if attempt(request, actions.check_remove_staff_role, staff_role=role)[0]:
        messages.success(
            request,
            _("%(name)s is no longer %(role)s.") % {"name": role.user, "role": role.get_role_display()},
        )
    return redirect("schools:admin_staff", school_id)
