"""Demo content for forms at De Schakel: a permission slip half answered, a poll, and the evaluation.

Everything goes through the actions, as a teacher, the director and the families would do it. The parent
persona's own forms are left open, so their home shows forms to answer; the evaluation has enough
families for the director to see its results and SUS score.
"""

import datetime
import random

from django.utils import timezone

from core.viewer import verified
from demo.personas import PERSONAS
from forms.actions import QuestionDraft, check_answer, check_create_form, check_send_evaluation
from forms.models import Form
from forms.queries import children_asked
from schools.models import Group, Guardianship, StaffRole, TeachingAssignment

TIPS = [
    "Fijn dat alles nu op één plek staat. Kunnen de foto's van de schoolreis er sneller op?",
    "Graag een melding als de gymles niet doorgaat.",
]


def _families(group: Group, *, skip: set[str]):
    """One guardian per child of the group, leaving out the personas (their forms stay open)."""
    guardianships = (
        Guardianship.objects.filter(pupil__enrolments__group=group)
        .select_related("guardian", "pupil")
        .order_by("pupil__last_name", "pupil__first_name", "id")
    )
    seen, families = set(), []
    for guardianship in guardianships:
        if guardianship.pupil_id in seen or guardianship.guardian.email in skip:
            continue
        seen.add(guardianship.pupil_id)
        families.append(guardianship.guardian)
    return families


def seed(*, school, today: datetime.date) -> None:
    if Form.objects.filter(school=school).exists():
        return
    director = (
        StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR).select_related("user").first()
    )
    teacher = (
        TeachingAssignment.objects.filter(teacher__email=PERSONAS["teacher"]).select_related("group").first()
    )
    if director is None or teacher is None:
        return
    rng = random.Random(7)
    personas = set(PERSONAS.values())
    group, anna = teacher.group, verified(teacher.teacher)
    now = timezone.now()
    slip = check_create_form(
        acting_user=anna,
        groups=[group],
        kind=Form.Kind.PERMISSION,
        title="Excursie naar Naturalis",
        description="Donderdag gaan we met de groep naar Naturalis in Leiden. We reizen met de bus en "
        "zijn om 15.00 uur terug op school.",
        closes_at=now + datetime.timedelta(days=6),
        questions=[
            QuestionDraft(
                kind="text", text="Allergieën of medicijnen waar we op moeten letten?", required=False
            )
        ],
    )
    poll = check_create_form(
        acting_user=anna,
        groups=[group],
        kind=Form.Kind.POLL,
        per=Form.Per.FAMILY,
        required=False,
        title="Welke avond past u voor het tienminutengesprek?",
        closes_at=now + datetime.timedelta(days=10),
        questions=[
            QuestionDraft(
                kind="choices", text="Welke avonden kunt u?", options=["Dinsdag", "Woensdag", "Donderdag"]
            ),
        ],
    )
    families = _families(group, skip=personas)
    permission, allergies = slip.questions.all()
    for guardian in families[: max(len(families) * 2 // 3, 1)]:
        child = children_asked(guardian, slip)[0]
        said_yes = rng.random() > 0.15
        answer = (
            {"yes": True}
            if said_yes
            else {"yes": False, "reason": "Hij wordt die dag opgehaald voor de tandarts."}
        )
        extra = (
            {allergies.public_id: "Pinda-allergie, heeft een EpiPen bij zich."} if rng.random() < 0.1 else {}
        )
        check_answer(
            acting_user=guardian, form=slip, pupil=child, answers={permission.public_id: answer, **extra}
        )
    choices = poll.questions.get()
    for guardian in families[: len(families) // 2]:
        picked = [day for day in choices.options if rng.random() < 0.5] or [choices.options[0]]
        check_answer(
            acting_user=guardian,
            form=poll,
            pupil=children_asked(guardian, poll)[0],
            answers={choices.public_id: picked},
        )
    _evaluation(school, verified(director.user), personas, rng)


def _evaluation(school, director, personas: set[str], rng: random.Random) -> None:
    evaluation = check_send_evaluation(acting_user=director, school=school)
    questions = list(evaluation.questions.all())
    answered = set()
    for guardian in _families_of_school(school, skip=personas):
        if len(answered) >= 9:
            break
        asked = children_asked(guardian, evaluation)
        if not asked or asked[0].pk in answered:
            continue
        child = asked[0]
        number = len(answered)
        answered.add(child.pk)
        answers = {}
        for question in questions:
            if question.sus_item:
                # Mostly positive: agree with the odd (positive) statements, disagree with the even ones.
                base = 4 if question.sus_item % 2 else 2
                answers[question.public_id] = str(min(5, max(1, base + rng.choice((-1, 0, 0, 1)))))
            elif question.kind == "scale":
                answers[question.public_id] = str(rng.choice((3, 4, 4, 5)))
            elif question.kind == "choices":
                answers[question.public_id] = [question.options[0]] + (
                    [question.options[2]] if number % 3 == 0 else []
                )
            elif question.to_feedback and number < len(TIPS):
                answers[question.public_id] = TIPS[number]
        check_answer(acting_user=guardian, form=evaluation, pupil=child, answers=answers)


def _families_of_school(school, *, skip: set[str]):
    guardianships = (
        Guardianship.objects.filter(pupil__school=school)
        .select_related("guardian")
        .order_by("pupil__last_name", "pupil__first_name", "id")
    )
    return [g.guardian for g in guardianships if g.guardian.email not in skip]
