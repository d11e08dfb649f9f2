"""Every change to the school administration: pupils, guardians, classes, teachers, class parents, staff.

`check_*` validates and raises a refusal (`core.refusals`: a translated message for the user) before
anything is saved; `do_*` just executes. Each writes an audit row. Invitations are the accounts app's
(`accounts.actions.do_send_invitation`); this module only decides when to send one.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.clock import school_today
from core.refusals import Invalid, NotAllowed
from schools.models import (
    ClassParent,
    Enrolment,
    FormerGuardian,
    Group,
    Guardianship,
    Pupil,
    School,
    StaffRole,
    TeachingAssignment,
)
from schools.queries import (
    current_school_year_of,
    guardians_of_group,
    guardians_of_school,
    schools_directed_by,
    teachers_of_school,
)


def _ensure_current_class(group: Group, school: School) -> None:
    """Pupils are placed only in a class of this school's current year."""
    year = current_school_year_of(school)
    if group.school_id != school.pk or year is None or group.school_year_id != year.pk:
        raise Invalid(_("Choose a class of this school year."))


@transaction.atomic
def check_create_pupil(
    *,
    acting_user: User,
    school: School,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    group: Group,
) -> Pupil:
    """Admit a pupil to the school and place them in a class of the current year."""
    _ensure_current_class(group, school)
    pupil = Pupil.objects.create(
        school=school, first_name=first_name.strip(), last_name=last_name.strip(), date_of_birth=date_of_birth
    )
    Enrolment.objects.create(pupil=pupil, group=group, school_year_id=group.school_year_id)
    record(actor=acting_user, action="pupil.created", target=pupil, school=school, group=group.public_id)
    return pupil


@transaction.atomic
def do_move_pupil(*, acting_user: User, pupil: Pupil, group: Group) -> Enrolment:
    """Move a pupil to another class this year; the guardians' access follows at once (it is derived)."""
    _ensure_current_class(group, pupil.school)
    enrolment = (
        Enrolment.objects.select_related("group")
        .filter(pupil=pupil, school_year_id=group.school_year_id)
        .first()
    )
    previous = enrolment.group if enrolment else None
    if previous is not None and previous.pk == group.pk:
        raise Invalid(_("%(pupil)s is already in %(group)s.") % {"pupil": pupil, "group": group})
    if enrolment is None:
        enrolment = Enrolment.objects.create(pupil=pupil, group=group, school_year_id=group.school_year_id)
    else:
        enrolment.group = group
        enrolment.save(update_fields=["group"])
    record(
        actor=acting_user,
        action="pupil.moved",
        target=pupil,
        school=pupil.school,
        from_group=previous.public_id if previous else None,
        to_group=group.public_id,
    )
    return enrolment


def _find_or_create_person(*, email: str, first_name: str, last_name: str) -> tuple[User, bool]:
    """One login per person across schools and boards: find the account by email, or create it.

    A new account has no usable password: nobody can sign in with it until the invitation is accepted.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(_("Enter a valid email address.")) from None
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email, None, first_name=first_name.strip(), last_name=last_name.strip())
    return user, True


@transaction.atomic
def check_add_guardian(
    *,
    acting_user: User,
    pupil: Pupil,
    email: str,
    first_name: str,
    last_name: str,
    relation: str,
    send_invitation: bool = False,
) -> Guardianship:
    """Make a person (found by email, or a new account) a guardian of the pupil; optionally invite them."""
    if relation not in Guardianship.Relation.values:
        raise Invalid(_("Choose how this person is related to the pupil."))
    user, created = _find_or_create_person(email=email, first_name=first_name, last_name=last_name)
    if not created and Guardianship.objects.filter(guardian=user, pupil=pupil).exists():
        raise Invalid(
            _("%(email)s is already a guardian of %(pupil)s.") % {"email": user.email, "pupil": pupil}
        )
    guardianship = Guardianship.objects.create(guardian=user, pupil=pupil, relation=relation)
    record(
        actor=acting_user,
        action="guardianship.created",
        target=pupil,
        school=pupil.school,
        guardian=user.public_id,
        relation=relation,
        new_account=created,
    )
    if send_invitation and user.activated_at is None:
        check_invite(acting_user=acting_user, user=user, school=pupil.school)
    return guardianship


def do_note_former_guardians(*, school: School, since: dict[int, datetime.date]) -> int:
    """Note the day each of these accounts lost its last child link at this school (the leavers' retention
    counts from it); an account still linked to a child anywhere is not noted. How many were noted."""
    linked = set(
        Guardianship.objects.filter(guardian_id__in=since.keys()).values_list("guardian_id", flat=True)
    )
    rows = [
        FormerGuardian(user_id=user_id, school=school, since=day)
        for user_id, day in since.items()
        if user_id not in linked
    ]
    FormerGuardian.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user"], update_fields=["school", "since"]
    )
    return len(rows)


def do_end_guardianships(*, school: School, guardianships) -> None:
    """Delete these guardianships (of the school's pupils); a guardian left without any child is noted as
    a former guardian from today."""
    guardian_ids = set(guardianships.values_list("guardian_id", flat=True))
    guardianships.delete()
    do_note_former_guardians(school=school, since=dict.fromkeys(guardian_ids, school_today()))


@transaction.atomic
def do_remove_guardianship(*, acting_user: User, guardianship: Guardianship) -> None:
    """End a guardianship; the person keeps their account (they may have other children or roles), until
    the leavers' retention period has passed with no child left."""
    pupil = guardianship.pupil
    guardian_id = guardianship.guardian.public_id
    do_end_guardianships(school=pupil.school, guardianships=Guardianship.objects.filter(pk=guardianship.pk))
    record(
        actor=acting_user,
        action="guardianship.removed",
        target=pupil,
        school=pupil.school,
        guardian=guardian_id,
    )


def check_invite(*, acting_user: User, user: User, school: School):
    """Send (or send again) the invitation to set up an account, unless the person already signed in."""
    from accounts.actions import do_send_invitation

    if user.activated_at is not None:
        raise Invalid(_("%(name)s already uses Schoolplein.") % {"name": user})
    return do_send_invitation(acting_user=acting_user, user=user, school=school)


@transaction.atomic
def do_invite_all_not_invited(*, acting_user: User, school: School) -> int:
    """Invite every guardian of the school who has never been invited; answer how many."""
    users = list(guardians_of_school(school, status="not_invited"))
    for user in users:
        check_invite(acting_user=acting_user, user=user, school=school)
    record(actor=acting_user, action="invitation.bulk_sent", target=school, school=school, count=len(users))
    return len(users)


@transaction.atomic
def check_create_class(*, acting_user: User, school: School, name: str) -> Group:
    """Create a class ("Groep 5/6") in the school's current year."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Enter a name for the class."))
    year = current_school_year_of(school)
    if year is None:
        raise Invalid(_("This school has no current school year."))
    if Group.objects.filter(school_year=year, name__iexact=name).exists():
        raise Invalid(_("There is already a class called %(name)s this year.") % {"name": name})
    group = Group.objects.create(school=school, school_year=year, kind=Group.Kind.CLASS, name=name)
    record(actor=acting_user, action="group.created", target=group, school=school, name=name)
    return group


def _give_group_role(model, *, acting_user: User, group: Group, field: str, person: User, already: str):
    """Create a TeachingAssignment or ClassParent row once, with its audit row."""
    if model.objects.filter(group=group, **{field: person}).exists():
        raise Invalid(already)
    row = model.objects.create(group=group, **{field: person})
    action = f"{type(row).__name__.lower()}.created"
    record(actor=acting_user, action=action, target=group, school=group.school, **{field: person.public_id})
    return row


def _take_group_role(row, *, acting_user: User, field: str) -> None:
    group, person = row.group, getattr(row, field)
    row.delete()
    action = f"{type(row).__name__.lower()}.removed"
    record(actor=acting_user, action=action, target=group, school=group.school, **{field: person.public_id})


@transaction.atomic
def check_assign_teacher(*, acting_user: User, group: Group, teacher: User) -> TeachingAssignment:
    """Make a teacher of the school a teacher of the class (duo teachers: call once for each)."""
    if not teachers_of_school(group.school).filter(pk=teacher.pk).exists():
        raise Invalid(_("Only a teacher of this school can teach this class."))
    already = _("%(teacher)s already teaches %(group)s.") % {"teacher": teacher, "group": group}
    return _give_group_role(
        TeachingAssignment,
        acting_user=acting_user,
        group=group,
        field="teacher",
        person=teacher,
        already=already,
    )


@transaction.atomic
def do_remove_teacher(*, acting_user: User, assignment: TeachingAssignment) -> None:
    _take_group_role(assignment, acting_user=acting_user, field="teacher")


@transaction.atomic
def check_assign_class_parent(*, acting_user: User, group: Group, guardian: User) -> ClassParent:
    """Make a guardian with a child in this class its klassenouder."""
    if group.kind != Group.Kind.CLASS or not guardians_of_group(group).filter(pk=guardian.pk).exists():
        raise Invalid(_("Only a parent with a child in this class can be its class parent."))
    already = _("%(name)s is already class parent of %(group)s.") % {"name": guardian, "group": group}
    return _give_group_role(
        ClassParent, acting_user=acting_user, group=group, field="guardian", person=guardian, already=already
    )


@transaction.atomic
def do_remove_class_parent(*, acting_user: User, class_parent: ClassParent) -> None:
    _take_group_role(class_parent, acting_user=acting_user, field="guardian")


def _ensure_may_manage_role(acting_user: User, school: School, role: str) -> None:
    """Office may manage teachers and office; only a director may add or remove a director."""
    if role == StaffRole.Role.DIRECTOR and not schools_directed_by(acting_user).filter(pk=school.pk).exists():
        raise NotAllowed(_("Only a director can add or remove a director."))


@transaction.atomic
def check_add_staff_member(
    *, acting_user: User, school: School, email: str, first_name: str, last_name: str, role: str
) -> StaffRole:
    """Give a person (found by email, or a new account) a staff role; invite them if they never signed in."""
    if role not in StaffRole.Role.values:
        raise Invalid(_("Choose a role."))
    _ensure_may_manage_role(acting_user, school, role)
    user, created = _find_or_create_person(email=email, first_name=first_name, last_name=last_name)
    if not created and StaffRole.objects.filter(user=user, school=school, role=role).exists():
        raise Invalid(
            _("%(email)s already has the role %(role)s.")
            % {"email": user.email, "role": StaffRole.Role(role).label}
        )
    staff_role = StaffRole.objects.create(user=user, school=school, role=role)
    record(
        actor=acting_user,
        action="staff_role.created",
        target=staff_role,
        school=school,
        user=user.public_id,
        role=role,
        new_account=created,
    )
    if user.activated_at is None:
        check_invite(acting_user=acting_user, user=user, school=school)
    return staff_role


@transaction.atomic
def check_remove_staff_role(*, acting_user: User, staff_role: StaffRole) -> None:
    """Take a staff role away; a former teacher also stops teaching this school's classes."""
    school = staff_role.school
    _ensure_may_manage_role(acting_user, school, staff_role.role)
    if (
        staff_role.role == StaffRole.Role.DIRECTOR
        and not StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR)
        .exclude(pk=staff_role.pk)
        .exists()
    ):
        raise Invalid(_("A school needs at least one director."))
    user = staff_role.user
    record(
        actor=acting_user,
        action="staff_role.removed",
        target=staff_role,
        school=school,
        user=user.public_id,
        role=staff_role.role,
    )
    staff_role.delete()
    if staff_role.role == StaffRole.Role.TEACHER:
        TeachingAssignment.objects.filter(teacher=user, group__school=school).delete()
