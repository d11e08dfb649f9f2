"""What the school asks parents: purposes and their versions, requests and reminders."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consent.models import Purpose, PurposeVersion, Request, Scope
from consent.queries import unanswered_pairs
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from schools.models import Guardianship, Pupil
from schools.queries import current_enrolments

DEFAULT_SCOPES = [Scope.CLASS, Scope.SCHOOL, Scope.WEBSITE, Scope.SOCIAL, Scope.NEWSPAPER]
NAME_MAX = 200
DESCRIPTION_MAX = 2000


# --- Purposes ----------------------------------------------------------------------------------------


def do_ensure_default_purposes(*, school) -> list[Purpose]:
    """Give a school the five default purposes, worded in Dutch and English, if it has never had any."""
    with transaction.atomic():
        if Purpose.objects.filter(school=school).exists():
            return list(Purpose.objects.filter(school=school, removed_at=None).select_related("current"))
        purposes = []
        for index, scope in enumerate(DEFAULT_SCOPES):
            with translation.override("nl"):
                name_nl = str(scope.label)
            with translation.override("en"):
                name_en = str(scope.label)
            purpose = Purpose.objects.create(school=school, position=index)
            purpose.current = PurposeVersion.objects.create(
                purpose=purpose, number=1, asked_from=1, scope=scope, name_nl=name_nl, name_en=name_en
            )
            purpose.save(update_fields=["current"])
            purposes.append(purpose)
        return purposes


def clean_name(name: str, *, required: bool = True) -> str:
    name = " ".join((name or "").split())
    if not name and required:
        raise Invalid(_("Give the purpose a name."))
    if len(name) > NAME_MAX:
        raise Invalid(_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX})
    return name


def clean_description(text: str) -> str:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise Invalid(
            _("The explanation is too long (at most %(max)d characters).") % {"max": DESCRIPTION_MAX}
        )
    return text


def clean_scope(scope: str) -> str:
    if scope not in Scope.values:
        raise Invalid(_("Choose what the purpose covers."))
    return scope


def check_add_purpose(
    *,
    acting_user,
    school,
    name: str,
    scope: str = Scope.OTHER,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> Purpose:
    """Add a purpose (version 1); nobody has consented to it yet, so it counts as no until guardians answer.

    `name` and `description` are the Dutch wording, the school's own language; English is optional."""
    wording = {
        "name_nl": clean_name(name),
        "name_en": clean_name(name_en, required=False),
        "description_nl": clean_description(description),
        "description_en": clean_description(description_en),
        "scope": clean_scope(scope),
    }
    with transaction.atomic():
        last = Purpose.objects.filter(school=school).order_by("-position").first()
        purpose = Purpose.objects.create(school=school, position=(last.position + 1) if last else 0)
        purpose.current = PurposeVersion.objects.create(
            purpose=purpose, number=1, asked_from=1, created_by=acting_user, **wording
        )
        purpose.save(update_fields=["current"])
        record(
            actor=acting_user,
            action="consent.purpose_added",
            target=purpose,
            school=school,
            name=wording["name_nl"],
            scope=scope,
        )
    return purpose


def check_change_purpose(
    *,
    acting_user,
    purpose: Purpose,
    ask_again: bool,
    name: str | None = None,
    name_en: str | None = None,
    description: str | None = None,
    description_en: str | None = None,
    scope: str | None = None,
) -> Purpose:
    """A new version of the purpose's wording or scope (None keeps a part as it is).

    The director decides what the change is. `ask_again` means the processing changes: answers to the
    earlier versions stop counting, and the guardians of the school are asked again for this purpose only.
    Without it the change only fixes the wording and every answer keeps counting. A new scope always
    asks again (a different use of the child's data cannot ride on an old yes).
    """
    old = purpose.current
    wording = {
        "name_nl": old.name_nl if name is None else clean_name(name),
        "name_en": old.name_en if name_en is None else clean_name(name_en, required=False),
        "description_nl": old.description_nl if description is None else clean_description(description),
        "description_en": old.description_en if description_en is None else clean_description(description_en),
        "scope": old.scope if scope is None else clean_scope(scope),
    }
    if all(getattr(old, field) == value for field, value in wording.items()):
        raise Invalid(_("Nothing has changed."))
    ask_again = ask_again or wording["scope"] != old.scope
    with transaction.atomic():
        purpose = (
            Purpose.objects.select_for_update(of=("self",))
            .select_related("current", "school")
            .get(id=purpose.id)
        )
        number = purpose.current.number + 1
        purpose.current = PurposeVersion.objects.create(
            purpose=purpose,
            number=number,
            asked_from=number if ask_again else purpose.current.asked_from,
            created_by=acting_user,
            **wording,
        )
        purpose.save(update_fields=["current"])
        record(
            actor=acting_user,
            action="consent.purpose_changed",
            target=purpose,
            school=purpose.school,
            version=number,
            ask_again=ask_again,
            old=old.name_nl,
            new=wording["name_nl"],
        )
        if ask_again:
            request = Request.objects.create(
                school=purpose.school, reason=Request.Reason.CHANGED, purpose=purpose, sent_by=acting_user
            )
            _announce(
                acting_user=acting_user,
                school=purpose.school,
                recipient_ids=guardians_to_ask(purpose.school, None),
                request=request,
                reminder=False,
            )
    return purpose


def check_rename_purpose(*, acting_user, purpose: Purpose, name: str) -> Purpose:
    """Fix the Dutch name without asking again (a typo); answers keep counting."""
    return check_change_purpose(acting_user=acting_user, purpose=purpose, name=name, ask_again=False)


def do_remove_purpose(*, acting_user, purpose: Purpose) -> None:
    """Stop asking for a purpose; its answers and history stay, as proof."""
    with transaction.atomic():
        purpose.removed_at = timezone.now()
        purpose.save(update_fields=["removed_at"])
        record(actor=acting_user, action="consent.purpose_removed", target=purpose, school=purpose.school)


# --- Requests and reminders ---------------------------------------------------------------------------


def guardians_to_ask(school, pupil: Pupil | None) -> set[int]:
    if pupil is not None:
        return set(Guardianship.objects.filter(pupil=pupil).values_list("guardian_id", flat=True))
    enrolled = current_enrolments().filter(group__school=school).values("pupil_id")
    return set(Guardianship.objects.filter(pupil_id__in=enrolled).values_list("guardian_id", flat=True))


def _announce(*, acting_user, school, recipient_ids, request: Request, reminder: bool) -> None:
    if not recipient_ids:
        return
    if reminder:
        title = gettext_noop("Reminder: %(school)s asks for your answers about your child's privacy")
    elif request.purpose_id:
        title = gettext_noop("%(school)s changed a privacy question and asks you to answer it again")
    else:
        title = gettext_noop("%(school)s asks for your answers about your child's privacy")
    publish_on_commit(
        Event(
            kind="consent.requested",
            actor_id=acting_user.id if acting_user else None,
            school_id=school.id,
            recipient_ids=tuple(sorted(recipient_ids)),
            subject_type="consent_request",
            subject_id=request.public_id,
            url="/privacy/",
            title=title,
            title_params={"school": school.name},
            data={"reason": request.reason, "reminder": reminder},
        )
    )


def check_send_request(*, acting_user, school, reason: str, pupil: Pupil | None = None) -> Request:
    """Ask guardians (of one new child, or of the whole school) to answer every purpose."""
    # A changed purpose is asked again by check_change_purpose, for that purpose only.
    if reason not in Request.Reason.values or reason == Request.Reason.CHANGED:
        raise Invalid(_("Choose why you are asking."))
    if reason == Request.Reason.ENROLMENT and pupil is None:
        raise Invalid(_("Choose the new pupil."))
    if pupil is not None and pupil.school_id != school.id:
        raise Invalid(_("Choose the new pupil."))
    do_ensure_default_purposes(school=school)
    with transaction.atomic():
        request = Request.objects.create(
            school=school,
            reason=reason,
            pupil=pupil if reason == Request.Reason.ENROLMENT else None,
            sent_by=acting_user,
        )
        record(actor=acting_user, action="consent.requested", target=request, school=school, reason=reason)
        _announce(
            acting_user=acting_user,
            school=school,
            recipient_ids=guardians_to_ask(school, request.pupil),
            request=request,
            reminder=False,
        )
    return request


def do_remind(*, acting_user, request: Request) -> int:
    """Remind the guardians who have not answered the request yet; returns how many were reminded."""
    school = request.school
    pupil_ids = (
        [request.pupil_id]
        if request.pupil_id
        else list(current_enrolments().filter(group__school=school).values_list("pupil_id", flat=True))
    )
    owing = {guardian_id for _pupil_id, guardian_id in unanswered_pairs(pupil_ids)}
    with transaction.atomic():
        request.reminded_at = timezone.now()
        request.save(update_fields=["reminded_at"])
        record(actor=acting_user, action="consent.reminded", target=request, school=school, count=len(owing))
        _announce(acting_user=acting_user, school=school, recipient_ids=owing, request=request, reminder=True)
    return len(owing)
