"""Reads about accounts: invitation status, a user's sessions, devices and tokens."""

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from accounts.models import ApiToken, Invitation, User, UserSession, hash_token

ACTIVE, INVITED, EXPIRED, NOT_INVITED = "active", "invited", "expired", "not_invited"


def with_invitation_status(users: QuerySet[User]) -> QuerySet[User]:
    """Annotate `invitation_status` on each user, in the same single query as the users.

    active: has signed in at least once; invited: holds an open invitation; expired: was invited but no
    invitation can be used any more (expired or revoked); not_invited: never invited.
    """
    invitations = Invitation.objects.filter(user=OuterRef("pk"))
    open_invitations = invitations.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return users.annotate(
        invitation_status=Case(
            When(activated_at__isnull=False, then=Value(ACTIVE)),
            When(Exists(open_invitations), then=Value(INVITED)),
            When(Exists(invitations), then=Value(EXPIRED)),
            default=Value(NOT_INVITED),
        )
    )


def invitation_status(user: User) -> str:
    """One of "active", "invited", "expired", "not_invited" (see with_invitation_status)."""
    return with_invitation_status(User.objects.filter(pk=user.pk)).values_list(
        "invitation_status", flat=True
    )[0]


def usable_invitation(token: str) -> Invitation | None:
    """The open invitation a token opens, or None for a wrong, used, revoked or expired one."""
    invitation = (
        Invitation.objects.select_related("user", "school").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable() or not invitation.user.is_active:
        return None
    return invitation


def sessions_of(user: User) -> QuerySet[UserSession]:
    """The user's live sessions (devices), most recently used first."""
    return UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).order_by("-last_seen_at")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens that still work: not revoked and not expired."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())


def roles_by_school(user: User) -> list[dict]:
    """The user's roles per school: staff roles, guardian of a pupil there, klassenouder there."""
    from schools.models import ClassParent, Guardianship, StaffRole

    found: dict[str, dict] = {}

    def add(school, role: str) -> None:
        entry = found.setdefault(
            school.public_id, {"school_id": school.public_id, "school_name": school.name, "roles": []}
        )
        if role not in entry["roles"]:
            entry["roles"].append(role)

    for staff_role in StaffRole.objects.filter(user=user).select_related("school"):
        add(staff_role.school, staff_role.role)
    for guardianship in Guardianship.objects.filter(guardian=user).select_related("pupil__school"):
        add(guardianship.pupil.school, "guardian")
    for class_parent in ClassParent.objects.filter(guardian=user).select_related("group__school"):
        add(class_parent.group.school, "class_parent")
    return sorted(found.values(), key=lambda entry: entry["school_name"])
