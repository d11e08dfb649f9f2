from core.access_matrix import AccessCase, also_posted
from moderation.tests.helpers import photo_in, report_about

PARENTS_ELSEWHERE = ("outsider", "other_school_parent", "other_board_parent")
NOT_DIRECTOR = ("teacher", "office", "parent", "other_school_parent", "other_board_parent")
NOT_ADMIN = ("teacher", "parent", "other_school_parent", "other_board_parent")


def school(world) -> str:
    return world.school.public_id


def photo(world) -> str:
    return photo_in(world).public_id


# Case data is fixed, so the photo reported gets a known public id.
PHOTO = "matrix-photo-md1"


def known_photo(world) -> str:
    made = photo_in(world)
    made.public_id = PHOTO
    made.save(update_fields=["public_id"])
    return "reports"


def report(world) -> str:
    return report_about(world).public_id


# Case data is fixed, so the school a tip names gets a known public id.
SCHOOL = "matrix-school-md"


def known_school(path: str):
    def build(world) -> str:
        world.school.public_id = SCHOOL
        world.school.save(update_fields=["public_id"])
        return path

    return build


REPORT_LABEL = "matrix-schoolreis-groep-3.jpg"  # what the pages show of a report
REPORT_TEXT = "Matrix: de foto toont een kind zonder toestemming"


def reported(path: str):
    """The path, after the parent has reported a photo in Groep 3 with a text of their own."""

    def build(world) -> str:
        from moderation.models import Report

        Report.objects.filter(pk=report_about(world, text=REPORT_TEXT).pk).update(label=REPORT_LABEL)
        return path

    return build


RULES_TEXT = "Matrixregel: op het schoolplein groeten we elkaar"


def with_rules(path: str):
    """The path, after the parent's school has written rules of its own."""

    def build(world) -> str:
        from moderation import actions

        actions.check_update_rules(
            acting_user=world.director, school=world.school, text_nl=RULES_TEXT, text_en="", ask_again=False
        )
        return path

    return build


def term(world) -> str:
    from moderation import actions

    return actions.check_add_term(
        acting_user=world.director, school=world.school, term="sukkel", category="swearing"
    ).public_id


def suspension(world) -> str:
    from moderation import actions

    return actions.check_suspend(
        acting_user=world.director, school=world.school, user=world.outsider
    ).public_id


def conversation(world) -> str:
    from conversations.tests.helpers import class_conversation

    return class_conversation(world).public_id


def page(key, path, *, allowed, outsiders=(), **kwargs) -> AccessCase:
    return AccessCase(key=f"moderation:{key}", path=path, allowed=allowed, outsiders=outsiders, **kwargs)


def api(route, path, *, allowed, outsiders=(), **kwargs) -> AccessCase:
    return AccessCase(
        key=f"api:moderation/{route.replace('{', '<').replace('}', '>')}",
        path=lambda w: f"/api/v1/moderation/{path(w)}",
        kind="api",
        allowed=allowed,
        outsiders=outsiders,
        **kwargs,
    )


CASES = [
    # A menu of the caller's own pages: a teacher with a report about their group gets the queue button; the
    # other class's teacher and parents get the same page without it.
    page(
        "home",
        reported("/moderation/"),
        allowed="teacher",
        outsiders=("other_teacher", "parent", "other_school_parent"),
        secret=lambda w: 'href="/moderation/queue/"',
    ),
    page(
        "rules",
        with_rules("/moderation/rules/"),
        allowed="parent",
        outsiders=("other_school_parent", "other_board_parent"),
        secret=lambda w: RULES_TEXT,
    ),
    page(
        "report",
        lambda w: f"/moderation/report/photo/{photo(w)}/",
        allowed="parent",
        outsiders=(*PARENTS_ELSEWHERE, "other_teacher"),
    ),
    page(
        "my_reports",
        reported("/moderation/reports/"),
        allowed="parent",
        outsiders=PARENTS_ELSEWHERE,
        secret=lambda w: REPORT_LABEL,
    ),
    page(
        "queue",
        reported("/moderation/queue/"),
        allowed="teacher",
        outsiders=("other_teacher",),
        secret=lambda w: REPORT_LABEL,
    ),
    page(
        "report_detail",
        lambda w: f"/moderation/queue/{report(w)}/",
        allowed="teacher",
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    page(
        "report_hide",
        lambda w: f"/moderation/queue/{report(w)}/hide/",
        method="post",
        allowed="duo_teacher",
        allowed_status=302,
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    page(
        "report_resolve",
        lambda w: f"/moderation/queue/{report(w)}/resolve/",
        method="post",
        data={"outcome": "dismissed"},
        allowed="director",
        allowed_status=302,
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    # A tip goes to a school of one's own: another school's id answers 404.
    page(
        "feedback",
        lambda w: f"/moderation/feedback/?school={school(w)}",
        allowed="parent",
        outsiders=("other_school_parent", "other_board_parent"),
    ),
    page(
        "rules_edit",
        lambda w: f"/moderation/schools/{school(w)}/rules/",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    page("terms", lambda w: f"/moderation/schools/{school(w)}/terms/", allowed="office", outsiders=NOT_ADMIN),
    page(
        "term_delete",
        lambda w: f"/moderation/schools/{school(w)}/terms/{term(w)}/delete/",
        method="post",
        allowed="director",
        allowed_status=302,
        outsiders=NOT_ADMIN,
    ),
    page(
        "suspensions",
        lambda w: f"/moderation/schools/{school(w)}/suspensions/",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    page(
        "suspension_lift",
        lambda w: f"/moderation/schools/{school(w)}/suspensions/{suspension(w)}/lift/",
        method="post",
        allowed="director",
        allowed_status=302,
        outsiders=NOT_DIRECTOR,
    ),
    page(
        "feedback_list",
        lambda w: f"/moderation/schools/{school(w)}/feedback/",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    page(
        "audit",
        lambda w: f"/moderation/schools/{school(w)}/audit/",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    page(
        "mute",
        lambda w: f"/moderation/mute/conversation/{conversation(w)}/",
        method="post",
        allowed="parent",
        allowed_status=302,
        outsiders=("class_parent", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    # The API: the same access functions.
    api(
        "rules",
        with_rules("rules"),
        allowed="parent",
        outsiders=("other_school_parent", "other_board_parent"),
        secret=lambda w: RULES_TEXT,
    ),
    api("rules/accept", lambda w: "rules/accept", method="post", allowed="parent", allowed_status=204),
    api(
        "schools/{school_id}/rules",
        lambda w: f"schools/{school(w)}/rules",
        method="put",
        data={"text_nl": "Wees aardig.", "ask_again": False},
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "reports",
        reported("reports"),
        allowed="parent",
        outsiders=PARENTS_ELSEWHERE,
        secret=lambda w: REPORT_TEXT,
    ),
    api(
        "reports",
        known_photo,
        method="post",
        data={"kind": "photo", "item_id": PHOTO, "reason": "privacy"},
        allowed="parent",
        allowed_status=201,
        outsiders=PARENTS_ELSEWHERE,
    ),
    api(
        "queue",
        reported("queue"),
        allowed="teacher",
        outsiders=("other_teacher",),
        secret=lambda w: REPORT_TEXT,
    ),
    api(
        "queue/{report_id}",
        lambda w: f"queue/{report(w)}",
        allowed="teacher",
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    api(
        "queue/{report_id}/hide",
        lambda w: f"queue/{report(w)}/hide",
        method="post",
        allowed="director",
        allowed_status=204,
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    api(
        "queue/{report_id}/resolve",
        lambda w: f"queue/{report(w)}/resolve",
        method="post",
        data={"outcome": "removed", "note": "Verwijderd."},
        allowed="teacher",
        outsiders=("parent", "office", "other_teacher", *PARENTS_ELSEWHERE),
    ),
    api(
        "feedback",
        known_school("feedback"),
        method="post",
        data={"text": "Fijn!", "school_id": SCHOOL},
        allowed="parent",
        allowed_status=201,
        outsiders=("other_school_parent", "other_board_parent"),
    ),
    api(
        "schools/{school_id}/feedback",
        lambda w: f"schools/{school(w)}/feedback",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "schools/{school_id}/suspensions",
        lambda w: f"schools/{school(w)}/suspensions",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "schools/{school_id}/suspensions",
        lambda w: f"schools/{school(w)}/suspensions",
        method="post",
        data={"email": "buiten@example.test", "reason": "Scheldwoorden"},
        allowed="director",
        allowed_status=201,
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "schools/{school_id}/suspensions/{suspension_id}/lift",
        lambda w: f"schools/{school(w)}/suspensions/{suspension(w)}/lift",
        method="post",
        allowed="director",
        allowed_status=204,
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "schools/{school_id}/terms",
        lambda w: f"schools/{school(w)}/terms",
        allowed="office",
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/{school_id}/terms",
        lambda w: f"schools/{school(w)}/terms",
        method="post",
        data={"term": "sukkel", "category": "swearing"},
        allowed="office",
        allowed_status=201,
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/{school_id}/terms/{term_id}",
        lambda w: f"schools/{school(w)}/terms/{term(w)}",
        method="delete",
        allowed="director",
        allowed_status=204,
        outsiders=NOT_ADMIN,
    ),
    api(
        "schools/{school_id}/audit",
        lambda w: f"schools/{school(w)}/audit",
        allowed="director",
        outsiders=NOT_DIRECTOR,
    ),
    api(
        "mute/conversation/{conversation_id}",
        lambda w: f"mute/conversation/{conversation(w)}",
        method="put",
        data={"muted": True},
        allowed="parent",
        allowed_status=204,
        outsiders=("class_parent", "other_teacher", *PARENTS_ELSEWHERE),
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "moderation:feedback",
    "moderation:report",
    "moderation:rules_edit",
    "moderation:suspensions",
    "moderation:terms",
)
# It records the caller's own acceptance and goes back (see NO_OUTSIDER in the matrix test).
CASES += also_posted(CASES, "moderation:rules", allowed_status=302, outsiders=(), secret=None)
