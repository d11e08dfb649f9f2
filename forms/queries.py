"""Viewer-scoped reads of forms: who sees and manages one, who is asked, the results, the list per child.

Who may see a form is who may see its groups (schools.queries.groups_visible_to) and, for a form on a post,
the post (posts.queries.posts_visible_to); who manages it is whoever manages every one of its groups
(schools.queries.groups_staffed_by), so a teacher sees only the answers of their own classes.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.viewer import is_signed_in
from forms.answers import shown, sus_score
from forms.models import ANONYMOUS_THRESHOLD, Answer, Form, FormGroup, Participation, Question, Response
from posts.queries import posts_visible_to
from schools.models import Group, Guardianship, Pupil
from schools.queries import children_of, groups_staffed_by, groups_visible_to, pupils_of_groups


def forms_managed_by(viewer) -> QuerySet[Form]:
    """Forms all of whose groups the viewer manages as staff (a class's teachers, the school's director)."""
    if not is_signed_in(viewer):
        return Form.objects.none()
    staffed = groups_staffed_by(viewer).values("id")
    return Form.objects.filter(
        id__in=FormGroup.objects.filter(group_id__in=staffed).values("form_id")
    ).exclude(id__in=FormGroup.objects.exclude(group_id__in=staffed).values("form_id"))


def forms_visible_to(viewer, *, now=None) -> QuerySet[Form]:
    """Forms that have opened, in a group the viewer belongs to (and on a post they see); plus the ones
    they manage, opened or not."""
    if not is_signed_in(viewer):
        return Form.objects.none()
    now = now or timezone.now()
    in_groups = Q(id__in=FormGroup.objects.filter(group__in=groups_visible_to(viewer)).values("form_id"))
    on_visible_post = Q(post__isnull=True) | Q(post__in=posts_visible_to(viewer))
    return Form.objects.filter(
        (in_groups & on_visible_post & Q(opens_at__lte=now)) | Q(id__in=forms_managed_by(viewer).values("id"))
    )


def posts_taking_forms_from(viewer):
    """The posts the viewer may put a form under: ones they manage, all of whose groups they staff (a class
    parent's own post takes none: forms are the school's)."""
    from posts.models import Post, PostGroup
    from posts.queries import posts_managed_by

    if not is_signed_in(viewer):
        return Post.objects.none()
    elsewhere = PostGroup.objects.exclude(group_id__in=groups_staffed_by(viewer).values("id"))
    return posts_managed_by(viewer).exclude(id__in=elsewhere.values("post_id"))


def can_manage(viewer, form: Form) -> bool:
    return forms_managed_by(viewer).filter(pk=form.pk).exists()


def audience_of(form: Form) -> QuerySet[Pupil]:
    """The children the form asks about: the current pupils of its groups."""
    return pupils_of_groups(form.groups.all())


def children_asked(viewer, form: Form) -> list[Pupil]:
    """The viewer's own children the form asks about (a per-family form: the family's first one)."""
    children = list(children_of(viewer).filter(id__in=audience_of(form).values("id")).order_by("id"))
    if form.per == Form.Per.FAMILY:
        return children[:1]
    return sorted(children, key=lambda child: child.first_name)


# --- The answer page ------------------------------------------------------------------------------------


@dataclass
class Slot:
    """One answer the viewer gives: for a child (or for the family, named after its first child)."""

    pupil: Pupil
    response: Response | None
    values: dict  # question id -> stored value
    done_elsewhere: bool = False  # an anonymous form this family already answered


def slots_of(viewer, form: Form) -> list[Slot]:
    """What the viewer can answer on this form, with their current answers: a fixed number of queries."""
    children = children_asked(viewer, form)
    if form.anonymous:
        answered = set(
            Participation.objects.filter(form=form, pupil__in=children).values_list("pupil_id", flat=True)
        )
        return [Slot(child, None, {}, done_elsewhere=child.id in answered) for child in children]
    responses = Response.objects.filter(form=form, pupil__in=children).select_related("answered_by")
    responses = responses.filter(guardian=viewer) if form.every_guardian else responses.filter(guardian=None)
    by_pupil = {
        response.pupil_id: response
        for response in responses.prefetch_related(Prefetch("answers", queryset=Answer.objects.all()))
    }
    slots = []
    for child in children:
        response = by_pupil.get(child.id)
        values = {answer.question_id: answer.value for answer in response.answers.all()} if response else {}
        slots.append(Slot(child, response, values))
    return slots


# --- Results --------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    bars: list[tuple[str, int]] = field(default_factory=list)  # label, count (in the order offered)
    texts: list[str] = field(default_factory=list)
    mean: Decimal | float | None = None


@dataclass
class Results:
    form: Form
    families: int  # how many answered (families, children or guardians, as the form is answered)
    shown: bool  # False for an anonymous form below the threshold
    questions: list[QuestionResult]
    sus: float | None = None  # the mean SUS score of complete answers
    sus_count: int = 0


def _bars(question: Question, values: list[dict]) -> list[tuple[str, int]]:
    from django.utils.translation import gettext as _

    counts: Counter = Counter()
    if question.kind == Question.Kind.YES_NO:
        counts.update(_("Yes") if value.get("yes") else _("No") for value in values)
        return [(_("Yes"), counts[_("Yes")]), (_("No"), counts[_("No")])]
    if question.kind == Question.Kind.CHOICE:
        counts.update(value.get("choice") for value in values)
        return [(option, counts[option]) for option in question.options]
    if question.kind == Question.Kind.CHOICES:
        for value in values:
            counts.update(value.get("choices", []))
        return [(option, counts[option]) for option in question.options]
    if question.kind == Question.Kind.SCALE:
        counts.update(value.get("scale") for value in values)
        return [(str(n), counts[n]) for n in range(1, 6)]
    if question.kind == Question.Kind.DATE:
        counts.update(value.get("date") for value in values)
        return sorted(counts.items())
    return []


def get_results(form: Form) -> Results:
    """Counts per question and the SUS score: four queries however many answers there are."""
    questions = list(form.questions.all())
    if form.anonymous:
        families = Participation.objects.filter(form=form).count()
        if families < ANONYMOUS_THRESHOLD:
            return Results(form, families, False, [QuestionResult(question) for question in questions])
    else:
        families = Response.objects.filter(form=form).count()
    values: dict[int, list[dict]] = defaultdict(list)
    sus_items: dict = defaultdict(dict)
    sus_of = {question.id: question.sus_item for question in questions if question.sus_item}
    # In the order of the responses' random keys, never of arrival: an anonymous text cannot be dated.
    rows = (
        Answer.objects.filter(response__form=form)
        .order_by("response_id", "question_id")
        .values_list("response_id", "question_id", "value")
    )
    for response_id, question_id, value in rows.iterator():
        values[question_id].append(value)
        if question_id in sus_of:
            sus_items[response_id][sus_of[question_id]] = value.get("scale")
    results = []
    for question in questions:
        answered = values.get(question.id, [])
        result = QuestionResult(question, answered=len(answered), bars=_bars(question, answered))
        if question.kind == Question.Kind.NUMBER and answered:
            numbers = [Decimal(value["number"]) for value in answered]
            result.mean = round(sum(numbers) / len(numbers), 2)
        elif question.kind == Question.Kind.SCALE and answered:
            result.mean = round(sum(value["scale"] for value in answered) / len(answered), 2)
        elif question.kind in (Question.Kind.TEXT, Question.Kind.SIGNATURE, Question.Kind.NUMBER):
            result.texts = [shown(question.kind, value) for value in answered]
        results.append(result)
    scores = [score for items in sus_items.values() if (score := sus_score(items)) is not None]
    sus = round(sum(scores) / len(scores), 1) if scores else None
    return Results(form, families, True, results, sus=sus, sus_count=len(scores))


# --- The list per child ---------------------------------------------------------------------------------


@dataclass
class ChildRow:
    pupil: Pupil
    group: str
    status: str  # "yes", "no", "waiting" (some guardians answered), "open" (nobody yet), "answered"
    guardians: int
    answers: list  # per guardian who answered: (name, answered_at, text of each question)
    responses: list = field(default_factory=list)


def permission_question(questions: list[Question]) -> Question | None:
    """A permission slip's permission: its first yes/no question."""
    return next((question for question in questions if question.kind == Question.Kind.YES_NO), None)


def _status(form: Form, permission: Question | None, responses: list[Response], guardians: int) -> str:
    if not responses:
        return "open"
    if permission is None:
        needed = guardians if form.every_guardian else 1
        return "answered" if len(responses) >= needed else "waiting"
    said = [
        next((a.value.get("yes") for a in response.answers.all() if a.question_id == permission.id), None)
        for response in responses
    ]
    if False in said:
        return "no"
    needed = max(guardians, 1) if form.every_guardian else 1
    return "yes" if said.count(True) >= needed else "waiting"


def children_list(form: Form) -> list[ChildRow]:
    """Each child asked, with yes / no / not yet and who answered when: five queries, whatever the size."""
    if form.anonymous:
        return []
    questions = list(form.questions.all())
    permission = permission_question(questions) if form.is_permission else None
    pupils = list(
        audience_of(form)
        .order_by("first_name", "last_name", "id")
        .annotate(guardian_count=_guardian_count())
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=_current_enrolments().select_related("group"),
                to_attr="now_in",
            )
        )
    )
    responses = defaultdict(list)
    for response in (
        Response.objects.filter(form=form)
        .select_related("answered_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.all()))
    ):
        responses[response.pupil_id].append(response)
    in_family = _answered_as_family(form, responses) if form.per == Form.Per.FAMILY else set()
    rows = []
    for pupil in pupils:
        mine = responses.get(pupil.id, [])
        answers = []
        for response in mine:
            by_question = {answer.question_id: answer.value for answer in response.answers.all()}
            texts = [
                shown(question.kind, by_question[question.id]) if question.id in by_question else ""
                for question in questions
            ]
            answers.append((response.answered_by, response.answered_at, texts))
        group = ", ".join(enrolment.group.name for enrolment in pupil.now_in)
        status = _status(form, permission, mine, pupil.guardian_count)
        if status == "open" and pupil.id in in_family:
            status = "answered"  # a brother's or sister's answer was the family's
        rows.append(ChildRow(pupil, group, status, pupil.guardian_count, answers))
    return rows


def _answered_as_family(form: Form, responses: dict) -> set[int]:
    """The children whose family answered a per-family form under another child: one query."""
    pairs = list(
        Guardianship.objects.filter(pupil__in=audience_of(form)).values_list("pupil_id", "guardian_id")
    )
    done = {guardian for pupil, guardian in pairs if pupil in responses}
    return {pupil for pupil, guardian in pairs if guardian in done}


def _guardian_count():
    from django.db.models import Count, IntegerField, Subquery
    from django.db.models.functions import Coalesce

    counted = (
        Guardianship.objects.filter(pupil=OuterRef("pk"))
        .order_by()
        .values("pupil")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _current_enrolments():
    from schools.queries import current_enrolments

    return current_enrolments()


# --- Home and lists -------------------------------------------------------------------------------------


def open_forms_for(viewer, *, now=None, limit: int = 5) -> list[Form]:
    """The open forms the viewer is asked to answer, those still to do first: two queries."""
    if not is_signed_in(viewer) or not Guardianship.objects.filter(guardian=viewer).exists():
        return []
    now = now or timezone.now()
    mine = children_of(viewer).values("id")
    answered = Exists(
        Response.objects.filter(form=OuterRef("pk"), pupil__in=mine).filter(
            Q(guardian__isnull=True) | Q(guardian=viewer)
        )
    ) | Exists(Participation.objects.filter(form=OuterRef("pk"), pupil__in=mine))
    in_groups = FormGroup.objects.filter(group__in=groups_visible_to(viewer)).values("form_id")
    forms = (
        Form.objects.filter(id__in=in_groups, opens_at__lte=now, closes_at__gt=now)
        .filter(Q(post__isnull=True) | Q(post__in=posts_visible_to(viewer)))
        .annotate(answered=answered)
        .order_by("answered", "closes_at", "id")
    )
    return list(forms[:limit])


def forms_list(viewer, *, now=None) -> dict:
    """The forms page: the ones the viewer manages, and the ones asked of them (open, then closed)."""
    now = now or timezone.now()
    managed = list(forms_managed_by(viewer).select_related("school").order_by("-created_at")[:50])
    managed_ids = {form.id for form in managed}
    asked = [
        form
        for form in forms_visible_to(viewer, now=now).order_by("-closes_at")[:50]
        if form.id not in managed_ids
    ]
    return {"managed": managed, "asked": asked}


def forms_of_post(viewer, post) -> list[Form]:
    """The forms under a post, as the viewer may see them."""
    return list(forms_visible_to(viewer).filter(post=post).order_by("id"))


def groups_for_forms(viewer) -> QuerySet[Group]:
    """The groups the viewer may send a form to: the ones they manage as staff."""
    return groups_staffed_by(viewer).select_related("school").order_by("kind", "name")


# --- Export ---------------------------------------------------------------------------------------------

STATUS_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "waiting": gettext_lazy("Not yet (waiting for a guardian)"),
    "open": gettext_lazy("Not yet"),
    "answered": gettext_lazy("Answered"),
}


def export_table(form: Form) -> tuple[list, list[list]]:
    """The answers as a table for a spreadsheet: per child and guardian, or per anonymous response.

    Anonymous rows carry no name and come in the order of their random keys, not the order they arrived.
    """
    from django.utils.translation import gettext as _

    questions = list(form.questions.all())
    if form.anonymous:
        if Participation.objects.filter(form=form).count() < ANONYMOUS_THRESHOLD:
            return [], []
        header = [question.text for question in questions if not question.to_feedback]
        rows = []
        by_question = {question.id: question for question in questions}
        for response in Response.objects.filter(form=form).order_by("id").prefetch_related("answers"):
            values = {
                a.question_id: shown(by_question[a.question_id].kind, a.value) for a in response.answers.all()
            }
            rows.append([values.get(question.id, "") for question in questions if not question.to_feedback])
        return header, rows
    header = [_("Child"), _("Group"), _("Status"), _("Answered by"), _("Answered at")]
    header += [question.text for question in questions]
    rows = []
    for row in children_list(form):
        name = f"{row.pupil.first_name} {row.pupil.last_name}"
        status = str(STATUS_LABELS[row.status])
        if not row.answers:
            rows.append([name, row.group, status, "", "", *[""] * len(questions)])
        for who, when, texts in row.answers:
            stamp = timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else ""
            rows.append([name, row.group, status, str(who or ""), stamp, *texts])
    return header, rows
