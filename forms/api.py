"""Forms API: the same actions and access layer as the pages; refusals answer as everywhere in the API.

Answers are sent as {question public id: value}, each value as the question's kind reads it
(forms.answers): yes_no {"yes": false, "reason": "…"}, choice "…", choices ["…"], text "…", number "12.5",
date "2026-05-14", scale 1..5, signature {"name": "…", "confirmed": true}. A change sends the `version` it
was made on; of two guardians changing at once, the second gets 422 `changed_meanwhile`.
"""

import datetime
from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core.clock import SCHOOL_TZ
from core.refusals import Invalid
from core.spreadsheet import safe_csv
from forms import actions
from forms.access import access_form, access_form_child
from forms.models import Form
from forms.queries import (
    can_manage,
    children_list,
    export_table,
    forms_visible_to,
    get_results,
    posts_taking_forms_from,
    slots_of,
)
from schools.access import access_group, access_school_admin, first_or_404

router = Router(tags=["forms"])


class QuestionOut(Schema):
    public_id: str
    kind: str
    text: str
    required: bool
    options: list[str]
    sus_item: int | None
    to_feedback: bool


class FormOut(Schema):
    public_id: str
    kind: str
    title: str
    description: str
    per: str
    guardians: str
    anonymous: bool
    required: bool
    is_evaluation: bool
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    is_open: bool
    post_id: str | None
    group_ids: list[str]
    questions: list[QuestionOut]


class ChildRef(Schema):
    public_id: str
    first_name: str


class SlotOut(Schema):
    """One answer the viewer gives (for a child, or for the family, named after its first child)."""

    child: ChildRef
    answered: bool
    version: int | None
    answered_by: str | None
    answered_at: datetime.datetime | None
    answers: dict[str, Any]


class FormDetailOut(Schema):
    form: FormOut
    slots: list[SlotOut]
    manage: bool


QuestionKind = Literal["yes_no", "choice", "choices", "text", "number", "date", "scale", "signature"]


class QuestionIn(Schema):
    kind: QuestionKind
    text: str = Field(..., max_length=300)
    required: bool = True
    options: list[str] = Field(default=[], max_length=20)


class FormIn(Schema):
    kind: Literal["permission", "poll", "questionnaire"] = "poll"
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=2000)
    group_ids: list[str] = Field(default=[], max_length=50)
    post_id: str | None = Field(None, max_length=40)
    per: Literal["child", "family"] = "child"
    guardians: Literal["one", "all"] = Field(
        "one", description="Children with two guardians: one answer, or all"
    )
    anonymous: bool = False
    required: bool = True
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime
    questions: list[QuestionIn] = Field(..., max_length=30)


class AnswerIn(Schema):
    child_id: str = Field(..., max_length=40)
    version: int | None = Field(None, ge=1, le=2_000_000_000)
    answers: dict[str, Any] = Field(..., max_length=40)


class EvaluationIn(Schema):
    school_id: str = Field(..., max_length=40)


class BarOut(Schema):
    label: str
    count: int


class QuestionResultOut(Schema):
    question_id: str
    text: str
    kind: str
    answered: int
    bars: list[BarOut]
    texts: list[str]
    mean: float | None


class ResultsOut(Schema):
    families: int = Field(..., description="How many answered (families for an anonymous form)")
    shown: bool = Field(..., description="False for an anonymous form below five families: no counts then")
    sus: float | None
    sus_count: int
    questions: list[QuestionResultOut]


class GuardianAnswerOut(Schema):
    answered_by: str | None
    answered_at: datetime.datetime | None
    texts: list[str]


class ChildRowOut(Schema):
    child: ChildRef
    group: str
    status: str = Field(..., description="yes, no, waiting (not every guardian yet), open (nobody), answered")
    guardians: int
    answers: list[GuardianAnswerOut]


class RemindedOut(Schema):
    reminded: int


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without a zone is a time on the school's clock."""
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=SCHOOL_TZ)
    return moment


def form_out(form: Form) -> dict:
    return {
        "public_id": form.public_id,
        "kind": form.kind,
        "title": form.title,
        "description": form.description,
        "per": form.per,
        "guardians": form.guardians,
        "anonymous": form.anonymous,
        "required": form.required,
        "is_evaluation": form.is_evaluation,
        "opens_at": form.opens_at,
        "closes_at": form.closes_at,
        "is_open": form.is_open_at(timezone.now()),
        "post_id": form.post.public_id if form.post_id else None,
        "group_ids": [group.public_id for group in form.groups.all()],
        "questions": list(form.questions.all()),
    }


def slot_out(slot, questions) -> dict:
    by_id = {question.id: question.public_id for question in questions}
    response = slot.response
    return {
        "child": slot.pupil,
        "answered": response is not None or slot.done_elsewhere,
        "version": response.version if response else None,
        "answered_by": str(response.answered_by) if response and response.answered_by else None,
        "answered_at": response.answered_at if response else None,
        "answers": {by_id[question_id]: value for question_id, value in slot.values.items()},
    }


@router.get("/forms", response=list[FormOut], url_name="forms_list")
def forms(request):
    """The forms asked of me (opened) and the ones I manage, latest closing first (at most 100)."""
    found = forms_visible_to(request.auth).select_related("post").prefetch_related("groups", "questions")
    return [form_out(form) for form in found.order_by("-closes_at", "-id")[:100]]


@router.post("/forms", response={201: FormOut}, url_name="forms_create")
def create(request, payload: FormIn):
    """Send a form to groups I teach or run (group ids), or under my post (post_id: its groups)."""
    post = (
        first_or_404(posts_taking_forms_from(request.auth).filter(public_id=payload.post_id))
        if payload.post_id
        else None
    )
    groups = [access_group(request.auth, group, write=True) for group in dict.fromkeys(payload.group_ids)]
    data = payload.dict(exclude={"group_ids", "post_id", "questions"})
    form = actions.check_create_form(
        acting_user=request.auth,
        post=post,
        groups=groups,
        questions=[actions.QuestionDraft(**question.dict()) for question in payload.questions],
        **(data | {"opens_at": _aware(payload.opens_at), "closes_at": _aware(payload.closes_at)}),
    )
    return Status(201, form_out(form))


@router.post("/forms/evaluation", response={201: FormOut}, url_name="forms_evaluation")
def send_evaluation(request, payload: EvaluationIn):
    """The director sends the ready-made anonymous evaluation (SUS and the school's questions) in one step."""
    school = access_school_admin(request.auth, payload.school_id)
    return Status(201, form_out(actions.check_send_evaluation(acting_user=request.auth, school=school)))


@router.get("/forms/{form_id}", response=FormDetailOut, url_name="forms_detail")
def detail(request, form_id: str):
    """The form with what I can answer: per child (or for my family), my current answer and its version."""
    form = access_form(request.auth, form_id)
    questions = list(form.questions.all())
    return {
        "form": form_out(form),
        "slots": [slot_out(slot, questions) for slot in slots_of(request.auth, form)],
        "manage": can_manage(request.auth, form),
    }


@router.post("/forms/{form_id}/answers", response={200: SlotOut}, url_name="forms_answer")
def answer(request, form_id: str, payload: AnswerIn):
    """Answer for a child of mine (or my family), or change the answer with the version it was made on."""
    form = access_form(request.auth, form_id)
    child = access_form_child(request.auth, form, payload.child_id)
    actions.check_answer(
        acting_user=request.auth, form=form, pupil=child, answers=payload.answers, version=payload.version
    )
    slot = next(slot for slot in slots_of(request.auth, form) if slot.pupil.pk == child.pk)
    return slot_out(slot, list(form.questions.all()))


@router.get("/forms/{form_id}/results", response=ResultsOut, url_name="forms_results")
def results(request, form_id: str):
    """Counts per question; an anonymous form's only from five families."""
    found = get_results(access_form(request.auth, form_id, manage=True))
    return {
        "families": found.families,
        "shown": found.shown,
        "sus": found.sus,
        "sus_count": found.sus_count,
        "questions": [
            {
                "question_id": result.question.public_id,
                "text": result.question.text,
                "kind": result.question.kind,
                "answered": result.answered if found.shown else 0,
                "bars": [{"label": label, "count": count} for label, count in result.bars],
                "texts": result.texts,
                "mean": float(result.mean) if result.mean is not None else None,
            }
            for result in found.questions
        ],
    }


@router.get("/forms/{form_id}/children", response=list[ChildRowOut], url_name="forms_children")
def children(request, form_id: str):
    """The list per child: yes / no / not yet, who answered when (not for an anonymous form)."""
    form = access_form(request.auth, form_id, manage=True)
    if form.anonymous:
        raise Http404
    return [
        {
            "child": row.pupil,
            "group": row.group,
            "status": row.status,
            "guardians": row.guardians,
            "answers": [
                {"answered_by": str(who) if who else None, "answered_at": when, "texts": texts}
                for who, when, texts in row.answers
            ],
        }
        for row in children_list(form)
    ]


@router.get("/forms/{form_id}/export", response={200: None}, url_name="forms_export")
def export(request, form_id: str):
    """The answers as CSV, safe against spreadsheet formulas (audited)."""
    form = access_form(request.auth, form_id, manage=True)
    header, rows = export_table(form)
    if not header:
        raise Invalid(_("The results are shown once at least five families have answered."))
    actions.do_record_export(acting_user=request.auth, form=form, rows=len(rows))
    return HttpResponse(safe_csv(header, rows), content_type="text/csv; charset=utf-8")


@router.post("/forms/{form_id}/reminders", response={200: RemindedOut}, url_name="forms_remind")
def remind(request, form_id: str):
    """Remind the families that have not answered (at most once an hour)."""
    form = access_form(request.auth, form_id, manage=True)
    return {"reminded": actions.check_remind(acting_user=request.auth, form=form)}
