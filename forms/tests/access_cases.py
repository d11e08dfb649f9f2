"""Who reaches each forms URL: the families and staff of the form's groups; everyone else gets 404."""

import datetime

from django.utils import timezone

from core.access_matrix import AccessCase
from core.ids import new_public_id
from core.viewer import verified
from forms.models import Question
from forms.tests.helpers import permission_slip

# Case data is fixed, so the objects it names get known public ids.
CHILD = "matrix-form-kid1"
QUESTION = "matrix-form-qst1"
GROUP = "matrix-form-grp3"
SCHOOL = "matrix-school-01"
STRANGERS = ("outsider", "other_school_parent", "other_board_parent", "other_teacher")
NOT_STAFF = ("other_teacher", "parent", "outsider")
CLOSES = (timezone.now() + datetime.timedelta(days=20)).replace(microsecond=0)


def slip(w):
    """A permission slip of Groep 3, with the child, its question and the group under known ids."""
    verified(w.teacher)
    form = permission_slip(w)
    # A world that builds several cases (the CSP walk) keeps the known id on the newest slip only.
    Question.objects.filter(public_id=QUESTION).update(public_id=new_public_id())
    w.child.public_id = CHILD
    w.child.save(update_fields=["public_id"])
    form.questions.filter(position=0).update(public_id=QUESTION)
    return form


def known_group(w):
    w.group3.public_id = GROUP
    w.group3.save(update_fields=["public_id"])


def form_page(tail: str = ""):
    return lambda w: f"/forms/{slip(w).public_id}/{tail}"


def form_api(tail: str = ""):
    return lambda w: f"/api/v1/forms/{slip(w).public_id}{tail}"


def with_slip(path):
    """The path, after Groep 3 got a permission slip: a list must show it only to the group's people."""

    def build(w):
        slip(w)
        return path

    return build


def new_form(path):
    def build(w):
        known_group(w)
        return path

    return build


def known_school(path):
    def build(w):
        w.school.public_id = SCHOOL
        w.school.save(update_fields=["public_id"])
        return path

    return build


def page(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(key=f"forms:{key}", path=path, allowed=allowed, outsiders=outsiders, **extra)


def api(key, path, allowed="parent", outsiders=STRANGERS, **extra) -> AccessCase:
    return AccessCase(key=f"api:{key}", path=path, kind="api", allowed=allowed, outsiders=outsiders, **extra)


NEW_FORM = {
    "kind": "permission",
    "title": "Schoolkamp",
    "groups": [GROUP],
    "per": "child",
    "guardians": "one",
    "closes_at": timezone.localtime(CLOSES).strftime("%Y-%m-%dT%H:%M"),
    "q-TOTAL_FORMS": "1",
    "q-INITIAL_FORMS": "0",
    "q-0-text": "",
    "q-0-kind": "text",
}
API_FORM = {
    "kind": "poll",
    "title": "Welke avond?",
    "group_ids": [GROUP],
    "per": "family",
    "closes_at": CLOSES.isoformat(),
    "questions": [{"kind": "choice", "text": "Welke avond?", "options": ["dinsdag", "donderdag"]}],
}
SLIP_TITLE = "Excursie naar Blijdorp"

CASES = [
    page("index", with_slip("/forms/"), secret=lambda w: SLIP_TITLE, outsiders=("outsider", "other_teacher")),
    page("form_new", lambda w: "/forms/new/", allowed="teacher", outsiders=("parent", "outsider")),
    page(
        "form_new",
        new_form("/forms/new/"),
        method="post",
        allowed="teacher",
        allowed_status=302,
        outsiders=("parent", "outsider"),
        data=NEW_FORM,
    ),
    page("form_detail", form_page()),
    page("form_detail", form_page(), allowed="teacher", outsiders=("other_teacher", "outsider")),
    page(
        "form_detail",
        form_page(),
        method="post",
        allowed_status=302,
        data={"child": CHILD, "version": "", f"q-{QUESTION}": "true"},
    ),
    page("form_results", form_page("results/"), allowed="teacher", outsiders=NOT_STAFF),
    page("form_children", form_page("children/"), allowed="teacher", outsiders=NOT_STAFF),
    page("form_export", form_page("export.csv"), allowed="teacher", outsiders=NOT_STAFF),
    page(
        "form_remind",
        form_page("remind/"),
        method="post",
        allowed="teacher",
        allowed_status=302,
        outsiders=NOT_STAFF,
    ),
    page(
        "evaluation_new",
        lambda w: f"/forms/evaluation/{w.school.public_id}/",
        allowed="director",
        outsiders=("office", "teacher", "parent"),
    ),
    page(
        "evaluation_new",
        lambda w: f"/forms/evaluation/{w.school.public_id}/",
        method="post",
        allowed="director",
        allowed_status=302,
        outsiders=("office", "teacher", "parent", "other_school_parent"),
    ),
    # The API
    api(
        "forms",
        with_slip("/api/v1/forms"),
        secret=lambda w: SLIP_TITLE,
        outsiders=("outsider", "other_teacher"),
    ),
    api(
        "forms",
        new_form("/api/v1/forms"),
        method="post",
        allowed="teacher",
        allowed_status=201,
        outsiders=("other_teacher", "parent"),
        data=API_FORM,
    ),
    api(
        "forms/evaluation",
        known_school("/api/v1/forms/evaluation"),
        method="post",
        allowed="director",
        allowed_status=201,
        outsiders=("teacher", "parent", "other_school_parent"),
        data={"school_id": SCHOOL},
    ),
    api("forms/<form_id>", form_api()),
    api("forms/<form_id>", form_api(), allowed="teacher", outsiders=("other_teacher",)),
    api(
        "forms/<form_id>/answers",
        form_api("/answers"),
        method="post",
        data={"child_id": CHILD, "answers": {QUESTION: {"yes": True}}},
    ),
    api("forms/<form_id>/results", form_api("/results"), allowed="teacher", outsiders=NOT_STAFF),
    api("forms/<form_id>/children", form_api("/children"), allowed="teacher", outsiders=NOT_STAFF),
    api("forms/<form_id>/export", form_api("/export"), allowed="teacher", outsiders=NOT_STAFF),
    api(
        "forms/<form_id>/reminders",
        form_api("/reminders"),
        method="post",
        allowed="teacher",
        outsiders=NOT_STAFF,
    ),
]
