"""Every change to forms: sending one (alone, on a post, the evaluation), answering it, reminding.

`check_*` validates first and raises a refusal (`core.refusals`) before anything is saved; each runs in one
transaction, so a refusal leaves nothing half-saved. `now` is the clock unless given (the tests move it).
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit import record
from core.dates import format_when
from core.events import Event, publish_on_commit
from core.refusals import Invalid, NotAllowed
from forms import evaluation
from forms.answers import AnswerError, clean_answer, is_blank
from forms.models import Answer, Form, FormGroup, Participation, Question, Response
from forms.queries import audience_of, children_asked
from schools.models import Group, Guardianship, Pupil
from schools.queries import groups_staffed_by, schools_directed_by

REMIND_BEFORE = datetime.timedelta(days=1)  # the automatic reminder: a day before closing
REMIND_AGAIN_AFTER = datetime.timedelta(hours=1)  # reminders on demand: at most one an hour
EVALUATION_DAYS = 14
MAX_QUESTIONS = 30
MAX_OPTIONS = 20


@dataclass
class QuestionDraft:
    kind: str
    text: str
    required: bool = True
    options: list[str] = field(default_factory=list)
    sus_item: int | None = None
    to_feedback: bool = False


def _local(moment: datetime.datetime) -> str:
    return format_when(moment, "date_time")


# --- Sending a form -------------------------------------------------------------------------------------


def _check_questions(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    if not drafts:
        raise Invalid(_("Add at least one question."), code="no_questions")
    if len(drafts) > MAX_QUESTIONS:
        raise Invalid(_("A form has at most %(n)s questions.") % {"n": MAX_QUESTIONS}, code="too_many")
    problems = []
    for number, draft in enumerate(drafts, start=1):
        draft.text = (draft.text or "").strip()
        draft.options = [option.strip() for option in draft.options if option and option.strip()]
        if draft.kind not in Question.Kind.values:
            problems.append((number, _("Choose the kind of answer.")))
        elif not draft.text or len(draft.text) > 300:
            problems.append((number, _("Write the question (at most 300 characters).")))
        elif draft.kind in (Question.Kind.CHOICE, Question.Kind.CHOICES):
            if len(draft.options) < 2 or len(draft.options) > MAX_OPTIONS:
                problems.append((number, _("Give between 2 and %(n)s options.") % {"n": MAX_OPTIONS}))
            elif len(set(draft.options)) != len(draft.options) or max(map(len, draft.options)) > 100:
                problems.append((number, _("Each option once, at most 100 characters.")))
        elif draft.options:
            draft.options = []
    if problems:
        raise Invalid(
            [_("Question %(n)s: %(problem)s") % {"n": n, "problem": p} for n, p in problems],
            code="questions",
            problems=[{"question": n, "message": str(p)} for n, p in problems],
        )
    return drafts


def _check_groups(acting_user, groups: list[Group], post) -> list[Group]:
    if post is not None:
        from forms.queries import posts_taking_forms_from

        if not posts_taking_forms_from(acting_user).filter(pk=post.pk).exists():
            raise NotAllowed(_("You cannot add a form to this post."))
        groups = list(post.groups.all())
    if not groups:
        raise Invalid(_("Choose at least one group."), code="no_groups")
    staffed = set(
        groups_staffed_by(acting_user).filter(id__in=[g.id for g in groups]).values_list("id", flat=True)
    )
    if staffed != {group.id for group in groups}:
        raise Invalid(_("You can only send a form to groups you teach or run."), code="not_your_group")
    if len({group.school_id for group in groups}) != 1:
        raise Invalid(_("A form goes to groups of one school."), code="schools")
    return groups


@transaction.atomic
def check_create_form(
    *,
    acting_user,
    title: str,
    closes_at: datetime.datetime,
    questions: list[QuestionDraft],
    groups: list[Group] = (),
    post=None,
    kind: str = Form.Kind.POLL,
    description: str = "",
    per: str = Form.Per.CHILD,
    guardians: str = Form.Guardians.ONE,
    anonymous: bool = False,
    required: bool = True,
    opens_at: datetime.datetime | None = None,
    is_evaluation: bool = False,
    now: datetime.datetime | None = None,
) -> Form:
    """Send a form to groups (or under a post, to its groups); a permission slip asks its yes/no first."""
    now = now or timezone.now()
    opens_at = opens_at or now
    groups = _check_groups(acting_user, list(groups), post)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise Invalid(_("Give the form a title (at most 200 characters)."), code="title")
    if kind not in Form.Kind.values or per not in Form.Per.values or guardians not in Form.Guardians.values:
        raise Invalid(_("Choose the kind of form and how it is answered."), code="kind")
    if closes_at <= now or closes_at <= opens_at:
        raise Invalid(
            _("The closing time must be in the future and after the opening time."), code="closes_at"
        )
    if anonymous and kind == Form.Kind.PERMISSION:
        raise Invalid(
            _("A permission slip cannot be anonymous: the school must know who gave it."), code="kind"
        )
    if anonymous:
        per, guardians = Form.Per.FAMILY, Form.Guardians.ONE
    if per == Form.Per.FAMILY:
        guardians = Form.Guardians.ONE
    questions = list(questions)
    if kind == Form.Kind.PERMISSION and not (questions and questions[0].kind == Question.Kind.YES_NO):
        questions.insert(
            0,
            QuestionDraft(
                kind=Question.Kind.YES_NO,
                text=_("May your child take part in: %(activity)s?") % {"activity": title[:200]},
            ),
        )
    if kind == Form.Kind.PERMISSION:
        per, questions[0].required = Form.Per.CHILD, True
    questions = _check_questions(questions)
    form = Form.objects.create(
        school_id=groups[0].school_id,
        author=acting_user,
        post=post,
        kind=kind,
        title=title,
        description=(description or "").strip()[:2000],
        per=per,
        guardians=guardians,
        anonymous=anonymous,
        required=required,
        is_evaluation=is_evaluation,
        opens_at=opens_at,
        closes_at=closes_at,
        created_at=now,
    )
    FormGroup.objects.bulk_create([FormGroup(form=form, group=group) for group in groups])
    Question.objects.bulk_create(
        [
            Question(
                form=form,
                position=position,
                kind=draft.kind,
                text=draft.text,
                required=draft.required,
                options=draft.options,
                sus_item=draft.sus_item,
                to_feedback=draft.to_feedback,
            )
            for position, draft in enumerate(questions)
        ]
    )
    record(actor=acting_user, action="form.created", target=form, school=form.school, kind=kind)
    if post is None:
        _announce(form, kind="form.sent", title=gettext_noop("New form: %(title)s"), after=opens_at)
    return form


@transaction.atomic
def check_send_evaluation(*, acting_user, school, closes_at=None, now=None) -> Form:
    """The director sends the ready-made, anonymous evaluation to the whole school in one step."""
    if not schools_directed_by(acting_user).filter(pk=school.pk).exists():
        raise NotAllowed(_("Only the director sends the evaluation."))
    now = now or timezone.now()
    wide = Group.objects.filter(school=school, kind=Group.Kind.SCHOOL).first()
    if wide is None:
        raise Invalid(_("This school has no school-wide group."))
    return check_create_form(
        acting_user=acting_user,
        groups=[wide],
        kind=Form.Kind.QUESTIONNAIRE,
        title=_(evaluation.TITLE),
        description=_(evaluation.DESCRIPTION),
        per=Form.Per.FAMILY,
        anonymous=True,
        required=False,
        is_evaluation=True,
        closes_at=closes_at or now + datetime.timedelta(days=EVALUATION_DAYS),
        questions=[QuestionDraft(**draft) for draft in evaluation.questions()],
        now=now,
    )


# --- Answering ------------------------------------------------------------------------------------------


def _check_open(form: Form, now: datetime.datetime) -> None:
    if now < form.opens_at:
        raise Invalid(_("This form opens on %(when)s.") % {"when": _local(form.opens_at)}, code="not_open")
    if now >= form.closes_at:
        raise Invalid(
            _("This form closed on %(when)s; answers can no longer be given or changed.")
            % {"when": _local(form.closes_at)},
            code="closed",
        )


def clean_answers(questions: list[Question], raw: dict) -> dict[int, dict]:
    """Every answer checked against its question: {question id: stored value}, or one Invalid naming each
    problem (a required question left open, a choice not offered, a question not on this form)."""
    known = {question.public_id for question in questions}
    if any(key not in known for key in raw):
        raise Invalid(
            _("An answer was given to a question that is not on this form."), code="unknown_question"
        )
    cleaned, problems = {}, []
    for question in questions:
        value = raw.get(question.public_id)
        if is_blank(value):
            if question.required:
                problems.append((question, _("Please answer this question.")))
            continue
        try:
            cleaned[question.id] = clean_answer(question.kind, question.options, value)
        except AnswerError as error:
            problems.append((question, str(error)))
    if problems:
        raise Invalid(
            [f"{question.text}: {problem}" for question, problem in problems],
            code="answers",
            problems=[{"question": q.public_id, "message": str(p)} for q, p in problems],
        )
    return cleaned


def _answered_anonymously() -> Invalid:
    return Invalid(
        _("Your family has already answered this questionnaire. Anonymous answers cannot be changed."),
        code="answered",
    )


def _conflict() -> Invalid:
    return Invalid(
        _("This answer was changed by someone else (the other guardian?) a moment ago. Look at it again."),
        code="changed_meanwhile",
    )


def check_answer(
    *,
    acting_user,
    form: Form,
    pupil: Pupil,
    answers: dict,
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> Response | None:
    """Answer a form for a child (or family), or change the answer until the closing time.

    A change names the version it was made on: of two guardians changing the same answer at once, the second
    is refused (a conditional UPDATE on the version), so neither overwrites what they have not seen.
    Anonymous answers cannot be changed (nothing links them to the family any more); None is returned.
    """
    now = now or timezone.now()
    _check_open(form, now)
    if pupil.pk not in {child.pk for child in children_asked(acting_user, form)}:
        raise Invalid(_("This form does not ask about this child."), code="not_your_child")
    if form.anonymous and Participation.objects.filter(form=form, pupil=pupil).exists():
        raise _answered_anonymously()
    questions = list(form.questions.all())
    cleaned = clean_answers(questions, answers)
    tips = [(q, cleaned.pop(q.id)) for q in questions if q.to_feedback and q.id in cleaned]
    try:
        with transaction.atomic():
            if form.anonymous:
                response = _answer_anonymously(form, pupil, cleaned)
            else:
                response = _answer_named(acting_user, form, pupil, cleaned, version, now)
            _send_tips(acting_user, form, tips)
    except IntegrityError as exc:  # the other guardian's first answer won the race
        if form.anonymous:
            raise _answered_anonymously() from exc
        raise _conflict() from exc
    return response


def _answer_anonymously(form: Form, pupil: Pupil, cleaned: dict) -> None:
    # No audit row, no account, no time: an audit row's order would line up with the answers' order.
    Participation.objects.create(form=form, pupil=pupil)
    response = Response.objects.create(form=form)
    Answer.objects.bulk_create(
        [Answer(response=response, question_id=q, value=v) for q, v in cleaned.items()]
    )
    return None


def _answer_named(acting_user, form, pupil, cleaned, version, now) -> Response:
    guardian = acting_user if form.every_guardian else None
    response = Response.objects.filter(form=form, pupil=pupil, guardian=guardian).first()
    if response is None:
        response = Response.objects.create(
            form=form, pupil=pupil, guardian=guardian, answered_by=acting_user, answered_at=now
        )
        action = "form.answered"
    else:
        # The conditional UPDATE is the lock: only a change made on the current version goes through.
        changed = Response.objects.filter(pk=response.pk, version=version).update(
            version=F("version") + 1, answered_by=acting_user, answered_at=now
        )
        if version is None or not changed:
            raise _conflict()
        response.refresh_from_db()
        response.answers.all().delete()
        action = "form.answer_changed"
    Answer.objects.bulk_create(
        [Answer(response=response, question_id=q, value=v) for q, v in cleaned.items()]
    )
    by_id = {question.id: question.public_id for question in form.questions.all()}
    record(
        actor=acting_user,
        action=action,
        target=form,
        school=form.school,
        pupil=pupil.public_id,
        version=response.version,
        answers={by_id[q]: v for q, v in cleaned.items()},
    )
    return response


def _send_tips(acting_user, form: Form, tips) -> None:
    """Tips land with the parents' feedback, through its own action (anonymously for an anonymous form)."""
    from moderation.actions import check_send_feedback

    for _question, value in tips:
        text = value.get("text", "")
        if text:
            check_send_feedback(
                acting_user=acting_user, school=form.school, text=text, anonymous=form.anonymous
            )


# --- Reminders ------------------------------------------------------------------------------------------


def guardians_not_answered(form: Form):
    """The guardians still owing an answer, as user ids: one query."""
    asked = Guardianship.objects.filter(pupil__in=audience_of(form))
    if form.anonymous:
        done = Guardianship.objects.filter(
            pupil__in=Participation.objects.filter(form=form).values("pupil_id")
        )
        owing = asked.exclude(guardian_id__in=done.values("guardian_id"))
    elif form.every_guardian:
        mine = Response.objects.filter(
            form=form, pupil=OuterRef("pupil_id"), guardian=OuterRef("guardian_id")
        )
        owing = asked.exclude(Exists(mine))
    elif form.per == Form.Per.FAMILY:
        done = Guardianship.objects.filter(pupil__in=Response.objects.filter(form=form).values("pupil_id"))
        owing = asked.exclude(guardian_id__in=done.values("guardian_id"))
    else:
        owing = asked.exclude(pupil__in=Response.objects.filter(form=form).values("pupil_id"))
    return owing.values_list("guardian_id", flat=True).distinct()


def _announce(form: Form, *, kind: str, title: str, recipients=None, after=None) -> int:
    if recipients is None:
        recipients = Guardianship.objects.filter(pupil__in=audience_of(form)).values_list(
            "guardian_id", flat=True
        )
    recipients = tuple(sorted(set(recipients)))
    if recipients:
        publish_on_commit(
            Event(
                kind=kind,
                actor_id=None,
                school_id=form.school_id,
                recipient_ids=recipients,
                subject_type="form",
                subject_id=form.public_id,
                url=f"/forms/{form.public_id}/",
                title=title,
                title_params={"title": form.title[:80]},
                deliver_after=after.isoformat() if after and after > timezone.now() else None,
                data={"group_ids": list(form.groups.values_list("public_id", flat=True))},
            )
        )
    return len(recipients)


def _remind(form: Form) -> int:
    return _announce(
        form,
        kind="form.reminder",
        title=gettext_noop("Please answer: %(title)s"),
        recipients=list(guardians_not_answered(form)),
    )


def do_send_form_reminders(*, now: datetime.datetime | None = None, before=REMIND_BEFORE) -> int:
    """Once per form, a day before closing: remind the families that have not answered a required form."""
    now = now or timezone.now()
    from posts.models import Post
    from posts.queries import shown_to_audience

    due = Form.objects.filter(
        Q(post__isnull=True) | Q(post__in=Post.objects.filter(shown_to_audience())),
        required=True,
        reminder_sent_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + before,
    )
    sent = 0
    for form in due.select_related("school"):
        with transaction.atomic():
            # Claimed by a conditional UPDATE: two ticks at once remind once.
            if not Form.objects.filter(pk=form.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            count = _remind(form)
            record(actor=None, action="form.reminded", target=form, school=form.school, recipients=count)
            sent += 1
    return sent


@transaction.atomic
def check_remind(*, acting_user, form: Form, now: datetime.datetime | None = None) -> int:
    """A reminder on demand by the form's teacher; at most one an hour. Returns how many were reminded."""
    now = now or timezone.now()
    _check_open(form, now)
    last = Form.objects.filter(pk=form.pk).values_list("reminded_at", flat=True).first()
    if last is not None and now - last < REMIND_AGAIN_AFTER:
        raise Invalid(
            _("A reminder was sent at %(when)s; you can send the next one an hour later.")
            % {"when": _local(last)},
            code="too_soon",
        )
    Form.objects.filter(pk=form.pk).update(reminded_at=now)
    form.reminded_at = now
    count = _remind(form)
    record(actor=acting_user, action="form.reminded", target=form, school=form.school, recipients=count)
    return count


def do_record_export(*, acting_user, form: Form, rows: int) -> None:
    record(actor=acting_user, action="form.exported", target=form, school=form.school, rows=rows)
