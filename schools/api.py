"""Schools API: my children and groups, the group page, and the school administration.

Same access layer and actions as the pages; a refused action answers 400 (or 403) with {"detail": ...}.
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from schools import actions
from schools.access import (
    access_admin_class,
    access_admin_guardian,
    access_admin_pupil,
    access_admin_staff_role,
    access_group,
    access_school_admin,
)
from schools.models import Group, Guardianship
from schools.queries import (
    children_of,
    classes_of_school,
    current_enrolments,
    earlier_classes_of,
    get_group_page,
    groups_followed_by,
    guardians_of_school,
    past_classes,
    pupils_of_school,
    staff_of_school,
    users_with_status,
)

router = Router(tags=["schools"])


class SchoolRef(Schema):
    public_id: str
    name: str


class GroupRef(Schema):
    public_id: str
    name: str


class PersonOut(Schema):
    public_id: str
    first_name: str
    last_name: str


def current_group(pupil) -> Group | None:
    enrolments = pupil.current_enrolments
    return enrolments[0].group if enrolments else None


class AccountOut(PersonOut):
    """A person as the school administration sees them; email and status only for director and office."""

    email: str | None
    invitation_status: str | None

    @staticmethod
    def resolve_email(user) -> str | None:
        return user.email if hasattr(user, "invitation_status") else None

    @staticmethod
    def resolve_invitation_status(user) -> str | None:
        return getattr(user, "invitation_status", None)


class ChildOut(PersonOut):
    school: SchoolRef
    group: GroupRef | None

    @staticmethod
    def resolve_group(pupil):
        return current_group(pupil)


class GroupOut(Schema):
    public_id: str
    name: str
    kind: str
    school: SchoolRef
    school_year: str | None = Field(None, description="The class's school year; none school-wide")
    read_only: bool = Field(
        False, description="A class of an earlier school year: readable, nobody adds to it any more"
    )

    @staticmethod
    def resolve_school_year(group) -> str | None:
        return group.school_year.name if group.school_year_id else None


class GuardianOut(Schema):
    relation: str
    guardian: AccountOut


class MemberOut(PersonOut):
    guardians: list[GuardianOut]

    @staticmethod
    def resolve_guardians(pupil):
        return list(pupil.guardianships.all())


class StaffMemberOut(Schema):
    role: str
    user: PersonOut


class GroupDetailOut(GroupOut):
    teachers: list[PersonOut]
    class_parents: list[PersonOut]
    pupils: list[MemberOut]
    staff: list[StaffMemberOut]


class PupilOut(MemberOut):
    date_of_birth: datetime.date | None
    external_key: str
    group: GroupRef | None

    @staticmethod
    def resolve_group(pupil):
        return current_group(pupil)


class GuardianAdminOut(AccountOut):
    children: list[PersonOut]

    @staticmethod
    def resolve_children(user):
        return [guardianship.pupil for guardianship in user.children_here]


class ClassOut(Schema):
    public_id: str
    name: str
    pupil_count: int
    teachers: list[PersonOut]

    @staticmethod
    def resolve_teachers(group):
        return [assignment.teacher for assignment in group.teaching.all()]


class StaffRoleOut(Schema):
    public_id: str
    role: str
    user: AccountOut


class PersonIn(Schema):
    email: str
    first_name: str
    last_name: str


class GuardianIn(PersonIn):
    relation: str = Guardianship.Relation.PARENT
    send_invitation: bool = False


class StaffIn(PersonIn):
    role: str


class MoveIn(Schema):
    group_id: str


class InvitationOut(Schema):
    email: str
    expires_at: datetime.datetime


@router.get("/children", response=list[ChildOut])
def my_children(request):
    """My children, each with their school and current class."""
    children = (
        children_of(request.auth)
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=current_enrolments().select_related("group"),
                to_attr="current_enrolments",
            )
        )
        .order_by("first_name")
    )
    return list(children)


@router.get("/groups", response=list[GroupOut])
def my_groups(request):
    """The groups of my daily news: my children's classes and schools, the classes I teach or run."""
    return list(
        groups_followed_by(request.auth)
        .select_related("school", "school_year")
        .annotate(read_only=Exists(past_classes().filter(id=OuterRef("pk"))))
        .order_by("school__name", "kind", "-school_year__starts_on", "name")
    )


@router.get("/groups/earlier", response=list[GroupOut])
def earlier_groups(request):
    """Classes of earlier school years I may read (staff's archive; a parent's former class for a while)."""
    classes = list(earlier_classes_of(request.auth))
    for group in classes:
        group.read_only = True
    return classes


@router.get("/groups/{group_id}", response=GroupDetailOut)
def group_detail(request, group_id: str):
    """The group page: its teachers (directors for the school-wide group); members for its staff."""
    group = access_group(request.auth, group_id)
    page = get_group_page(request.auth, group)
    return {
        "public_id": group.public_id,
        "name": group.name,
        "kind": group.kind,
        "school": group.school,
        "school_year": group.school_year.name if group.school_year_id else None,
        "read_only": page.read_only,
        "teachers": page.teachers,
        "class_parents": [class_parent.guardian for class_parent in page.class_parents],
        "pupils": page.pupils,
        "staff": page.staff,
    }


@router.get("/schools/{school_id}/pupils", response=list[PupilOut])
@paginate
def school_pupils(request, school_id: str, q: str = ""):
    """The school's pupils with class and guardians; search by name or a guardian's name or email."""
    school = access_school_admin(request.auth, school_id)
    return pupils_of_school(school, q=q)


@router.get("/schools/{school_id}/guardians", response=list[GuardianAdminOut])
@paginate
def school_guardians(request, school_id: str, q: str = "", status: str = ""):
    """The school's guardians with invitation status and children; filter by name, email or status."""
    school = access_school_admin(request.auth, school_id)
    return guardians_of_school(school, q=q, status=status or None)


@router.post("/schools/{school_id}/pupils/{pupil_id}/guardians", response={201: GuardianOut})
def add_guardian(request, school_id: str, pupil_id: str, payload: GuardianIn):
    """Add a guardian by email (the existing account, or a new one); optionally send the invitation."""
    pupil = access_admin_pupil(request.auth, school_id, pupil_id)
    guardianship = actions.check_add_guardian(acting_user=request.auth, pupil=pupil, **payload.dict())
    guardian = users_with_status().get(pk=guardianship.guardian_id)
    return Status(201, {"relation": guardianship.relation, "guardian": guardian})


@router.post("/schools/{school_id}/guardians/{guardian_id}/invitation", response={201: InvitationOut})
def invite_guardian(request, school_id: str, guardian_id: str):
    """Send, or send again, a guardian's invitation."""
    school = access_school_admin(request.auth, school_id)
    guardian = access_admin_guardian(request.auth, school_id, guardian_id)
    invitation = actions.check_invite(acting_user=request.auth, user=guardian, school=school)
    return Status(201, {"email": guardian.email, "expires_at": invitation.expires_at})


@router.post("/schools/{school_id}/pupils/{pupil_id}/move", response=PupilOut)
def move_pupil(request, school_id: str, pupil_id: str, payload: MoveIn):
    """Move a pupil to another class of this school year."""
    pupil = access_admin_pupil(request.auth, school_id, pupil_id)
    group = access_admin_class(request.auth, school_id, payload.group_id)
    actions.do_move_pupil(acting_user=request.auth, pupil=pupil, group=group)
    return pupils_of_school(pupil.school).get(pk=pupil.pk)


@router.get("/schools/{school_id}/groups", response=list[ClassOut])
def school_classes(request, school_id: str):
    """This year's classes with pupil counts and teachers."""
    school = access_school_admin(request.auth, school_id)
    return list(classes_of_school(school))


@router.get("/schools/{school_id}/staff", response=list[StaffRoleOut])
def school_staff(request, school_id: str, q: str = ""):
    school = access_school_admin(request.auth, school_id)
    return list(staff_of_school(school, q=q))


@router.post("/schools/{school_id}/staff", response={201: StaffRoleOut})
def add_staff(request, school_id: str, payload: StaffIn):
    """Give someone a staff role (director only by a director); a new person gets the invitation."""
    school = access_school_admin(request.auth, school_id)
    role = actions.check_add_staff_member(acting_user=request.auth, school=school, **payload.dict())
    return Status(201, staff_of_school(school).get(pk=role.pk))


@router.delete("/schools/{school_id}/staff/{role_id}", response={204: None})
def remove_staff(request, school_id: str, role_id: str):
    role = access_admin_staff_role(request.auth, school_id, role_id)
    actions.check_remove_staff_role(acting_user=request.auth, staff_role=role)
    return Status(204, None)
