from core.access_matrix import AccessCase, also_posted

# Personas with no business in the administration of De Schakel (404, exactly like a missing school).
NOT_ADMIN = ("teacher", "parent", "class_parent", "outsider", "other_school_parent", "other_board_parent")


def school(w) -> str:
    return f"/school/{w.school.public_id}/"


def pupil(w) -> str:
    return f"{school(w)}pupils/{w.child.public_id}/"


def admin_page(key, path, **extra) -> AccessCase:
    return AccessCase(key=f"schools:{key}", path=path, allowed="office", outsiders=NOT_ADMIN, **extra)


def admin_post(key, path, allowed="office", **extra) -> AccessCase:
    return AccessCase(
        key=f"schools:{key}",
        path=path,
        method="post",
        allowed=allowed,
        outsiders=NOT_ADMIN,
        allowed_status=302,
        **extra,
    )


def api(key, path, allowed="office", outsiders=NOT_ADMIN, **extra) -> AccessCase:
    return AccessCase(key=f"api:{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra)


def teaching(w) -> str:
    return w.group3.teaching.get(teacher=w.duo_teacher).public_id


def class_parent(w) -> str:
    return w.group3.class_parents.get().public_id


def teacher_role(w) -> str:
    return w.duo_teacher.staff_roles.get().public_id


# Case data is fixed, so the class to move a pupil to gets a known public id.
TARGET = "matrix-target-g5"


def move_target(w, path: str) -> str:
    w.year.groups.create(school=w.school, name="Groep 5", public_id=TARGET)
    return path


def api_school(w) -> str:
    return f"/api/v1/schools/{w.school.public_id}"


OTHERS = ("teacher", "parent", "other_teacher", "outsider", "other_school_parent", "other_board_parent")

CASES = [
    # Everyone signed in gets an archive page of their own; only De Schakel's staff find its old class.
    AccessCase(
        key="schools:earlier_classes",
        path=lambda w: "/groups/earlier/",
        allowed="director",
        outsiders=OTHERS,
        secret=lambda w: w.old_group.public_id,
    ),
    AccessCase(
        key="api:groups/earlier",
        path=lambda w: "/api/v1/groups/earlier",
        kind="api",
        allowed="office",
        outsiders=OTHERS,
        secret=lambda w: w.old_group.public_id,
    ),
    AccessCase(
        key="schools:group_detail",
        path=lambda w: f"/groups/{w.old_group.public_id}/",
        allowed="director",
        outsiders=OTHERS,
    ),
    AccessCase(
        key="schools:group_detail",
        path=lambda w: f"/groups/{w.group3.public_id}/",
        allowed="parent",
        outsiders=("outsider", "other_teacher", "other_school_parent", "other_board_parent"),
    ),
    AccessCase(
        key="schools:group_detail",
        path=lambda w: f"/groups/{w.group3.public_id}/",
        allowed="teacher",
        outsiders=("other_teacher",),
    ),
    admin_page("admin_home", school),
    AccessCase(key="schools:admin_home", path=school, allowed="director", outsiders=("other_teacher",)),
    admin_page("admin_pupils", lambda w: f"{school(w)}pupils/"),
    admin_page("admin_pupil_add", lambda w: f"{school(w)}pupils/new/"),
    admin_page("admin_pupil", pupil),
    admin_post("admin_pupil_move", lambda w: move_target(w, f"{pupil(w)}move/"), data={"group": TARGET}),
    admin_page("admin_guardian_add", lambda w: f"{pupil(w)}guardians/new/"),
    admin_post("admin_guardianship_remove", lambda w: f"{pupil(w)}guardians/{w.co_parent.public_id}/remove/"),
    admin_page("admin_guardians", lambda w: f"{school(w)}guardians/"),
    admin_post("admin_guardians_invite_all", lambda w: f"{school(w)}guardians/invite-all/"),
    admin_post("admin_guardian_invite", lambda w: f"{school(w)}guardians/{w.parent.public_id}/invite/"),
    admin_page("admin_groups", lambda w: f"{school(w)}groups/"),
    admin_post(
        "admin_teacher_add",
        lambda w: f"{school(w)}groups/{w.group4.public_id}/teachers/",
        data={"person": "placeholder"},
    ),
    admin_post(
        "admin_class_parent_add",
        lambda w: f"{school(w)}groups/{w.group3.public_id}/class-parents/",
        data={"person": "placeholder"},
    ),
    admin_post("admin_teacher_remove", lambda w: f"{school(w)}teachers/{teaching(w)}/remove/"),
    admin_post("admin_class_parent_remove", lambda w: f"{school(w)}class-parents/{class_parent(w)}/remove/"),
    admin_page("admin_staff", lambda w: f"{school(w)}staff/"),
    admin_post("admin_staff_remove", lambda w: f"{school(w)}staff/{teacher_role(w)}/remove/"),
    # API
    # Lists of one's own: a parent elsewhere gets their own, without the parent's child and class.
    api(
        "children",
        lambda w: "/api/v1/children",
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    api(
        "groups",
        lambda w: "/api/v1/groups",
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: "Groep 3",
    ),
    api(
        "groups/<group_id>",
        lambda w: f"/api/v1/groups/{w.group3.public_id}",
        allowed="parent",
        outsiders=("outsider", "other_teacher", "other_school_parent", "other_board_parent"),
    ),
    api("schools/<school_id>/pupils", lambda w: f"{api_school(w)}/pupils"),
    api("schools/<school_id>/guardians", lambda w: f"{api_school(w)}/guardians"),
    api("schools/<school_id>/groups", lambda w: f"{api_school(w)}/groups"),
    api("schools/<school_id>/staff", lambda w: f"{api_school(w)}/staff"),
    api(
        "schools/<school_id>/staff",
        lambda w: f"{api_school(w)}/staff",
        method="post",
        data={"email": "nieuw@schakel.test", "first_name": "Nina", "last_name": "Bos", "role": "teacher"},
        allowed_status=201,
    ),
    api(
        "schools/<school_id>/staff/<role_id>",
        lambda w: f"{api_school(w)}/staff/{teacher_role(w)}",
        method="delete",
        allowed_status=204,
    ),
    api(
        "schools/<school_id>/pupils/<pupil_id>/guardians",
        lambda w: f"{api_school(w)}/pupils/{w.child.public_id}/guardians",
        method="post",
        data={"email": "opa@example.test", "first_name": "Piet", "last_name": "Mulder", "relation": "other"},
        allowed_status=201,
    ),
    api(
        "schools/<school_id>/pupils/<pupil_id>/move",
        lambda w: move_target(w, f"{api_school(w)}/pupils/{w.child.public_id}/move"),
        method="post",
        data={"group_id": TARGET},
    ),
    api(
        "schools/<school_id>/guardians/<guardian_id>/invitation",
        lambda w: f"{api_school(w)}/guardians/{w.parent.public_id}/invitation",
        method="post",
        allowed_status=201,
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "schools:admin_groups",
    "schools:admin_guardian_add",
    "schools:admin_guardians",
    "schools:admin_home",
    "schools:admin_pupil",
    "schools:admin_pupil_add",
    "schools:admin_pupils",
    "schools:admin_staff",
    "schools:group_detail",
    "schools:earlier_classes",
)
