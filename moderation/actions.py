"""Every state change in moderation: rules, screening terms, reports, suspensions and feedback."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core import audit
from core.clock import SCHOOL_TZ
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from moderation.defaults import default_rules
from moderation.models import (
    FEEDBACK_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RULES_MAX_LENGTH,
    Category,
    ConductAcceptance,
    ConductRules,
    ExtraTerm,
    Feedback,
    Report,
    Suspension,
)
from moderation.registry import Reportable, reportable_for
from moderation.screening import words_of
from schools.models import StaffRole

TERM_MAX_LENGTH = 80


class ModerationError(Invalid):
    """A refused moderation action (422); the message is translated and safe to show."""


def _too_long(limit: int) -> str:
    return _("Please keep it under %(limit)s characters.") % {"limit": limit}


# --- Conduct rules --------------------------------------------------------------------------------


def rules_of(school) -> ConductRules:
    """The school's rules, or the default rules (unsaved, version 1) when the school has none of its own."""
    rules = ConductRules.objects.filter(school=school).first()
    if rules is None:
        texts = default_rules()
        rules = ConductRules(school=school, text_nl=texts["nl"], text_en=texts["en"], version=1)
    return rules


def do_accept_rules(*, acting_user: User, schools) -> None:
    """Record that the user accepted the current rules of these schools (each school's rules_version)."""
    now = timezone.now()
    with transaction.atomic():
        for school in schools:
            ConductAcceptance.objects.update_or_create(
                user=acting_user,
                school=school,
                defaults={"version": school.rules_version, "accepted_at": now},
            )
            audit.record(
                actor=acting_user,
                action="conduct.accepted",
                target=school,
                school=school,
                version=school.rules_version,
            )


def check_update_rules(
    *, acting_user: User, school, text_nl: str, text_en: str, ask_again: bool
) -> ConductRules:
    """Save the school's own rules; with ask_again everyone must accept the new version."""
    text_nl, text_en = text_nl.strip(), text_en.strip()
    if not text_nl:
        raise ModerationError(_("The rules need a Dutch text."))
    if len(text_nl) > RULES_MAX_LENGTH or len(text_en) > RULES_MAX_LENGTH:
        raise ModerationError(_too_long(RULES_MAX_LENGTH))
    with transaction.atomic():
        rules = rules_of(school)
        if rules.pk is not None and ask_again:
            rules.version += 1
        elif rules.pk is None and ask_again:
            rules.version = 2  # the default rules were version 1
        rules.text_nl, rules.text_en = text_nl, text_en
        rules.updated_at, rules.updated_by = timezone.now(), acting_user
        rules.save()
        audit.record(
            actor=acting_user,
            action="conduct.rules_updated",
            target=school,
            school=school,
            version=rules.version,
        )
    return rules


# --- Screening terms ------------------------------------------------------------------------------


def check_add_term(*, acting_user: User, school, term: str, category: str) -> ExtraTerm:
    term = " ".join(term.split()).lower()
    if not term or not any(words_of(term)[0]):
        raise ModerationError(_("Enter a word or phrase."))
    if len(term) > TERM_MAX_LENGTH:
        raise ModerationError(_too_long(TERM_MAX_LENGTH))
    if category not in Category.values:
        raise ModerationError(_("Choose a category."))
    try:
        with transaction.atomic():
            extra = ExtraTerm.objects.create(
                school=school, term=term, category=category, added_by=acting_user
            )
    except IntegrityError:
        raise ModerationError(_("That word is on the school's list already.")) from None
    audit.record(actor=acting_user, action="screening.term_added", target=extra, school=school, term=term)
    return extra


def do_remove_term(*, acting_user: User, term: ExtraTerm) -> None:
    audit.record(
        actor=acting_user, action="screening.term_removed", target=term, school=term.school, term=term.term
    )
    term.delete()


# --- Reports --------------------------------------------------------------------------------------


def report_url(report: Report) -> str:
    return reverse("moderation:report_detail", args=[report.public_id])


def check_report(*, acting_user: User, entry: Reportable, item, reason: str, text: str) -> Report:
    """Report an item the user can see; a second report by the same user about it updates the first."""
    text = text.strip()
    if reason not in Report.Reason.values or reason == Report.Reason.SCREENING:
        raise ModerationError(_("Choose a reason."))
    if len(text) > REASON_MAX_LENGTH:
        raise ModerationError(_too_long(REASON_MAX_LENGTH))
    place = entry.describe(item)
    now = timezone.now()
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            reporter=acting_user,
            item_type=_content_type(item),
            item_id=item.pk,
            defaults={
                "school": place.school,
                "group": place.group,
                "kind": entry.kind,
                "label": place.label[:200],
            },
        )
        report.reason, report.text, report.updated_at = reason, text, now
        report.status, report.outcome, report.resolved_at, report.resolved_by = (
            Report.Status.OPEN,
            "",
            None,
            None,
        )
        report.save()
        audit.record(
            actor=acting_user,
            action="report.created" if created else "report.updated",
            target=report,
            school=place.school,
        )
        announce_report(report, entry=entry, item=item, actor=acting_user)
    return report


def announce_report(report: Report, *, entry: Reportable, item, actor: User | None) -> None:
    """Tell the item's moderators (the class's teachers and the director), after the commit."""
    recipients = entry.moderators_of(item).values_list("pk", flat=True)
    if actor is not None:
        recipients = recipients.exclude(pk=actor.pk)
    publish_on_commit(
        Event(
            kind="report.created",
            actor_id=actor.pk if actor is not None else None,
            school_id=report.school_id,
            recipient_ids=tuple(recipients),
            subject_type="report",
            subject_id=report.public_id,
            url=report_url(report),
            title=gettext_noop("Something in %(place)s was reported"),
            title_params={"place": report.label},
            data={"kind": entry.kind, "reason": report.reason},
        )
    )


def _content_type(item):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item)


def item_of(report: Report):
    """The reported item, or None once it is removed."""
    model = report.item_type.model_class()
    return model.objects.filter(pk=report.item_id).first() if model else None


def do_hide_item(*, acting_user: User, report: Report) -> None:
    """Hide the reported item for everyone but staff while the report is looked at."""
    item = item_of(report)
    entry = reportable_for(item) if item is not None else None
    if entry is None:
        return
    with transaction.atomic():
        entry.hide(item)
        audit.record(
            actor=acting_user,
            action="report.item_hidden",
            target=report,
            school=report.school,
            kind=report.kind,
        )


def is_hidden(report: Report) -> bool | None:
    item = item_of(report)
    return None if item is None else getattr(item, "hidden_at", None) is not None


RESOLUTIONS = {Report.Outcome.REMOVED, Report.Outcome.RESTORED, Report.Outcome.DISMISSED}


def check_resolve_report(*, acting_user: User, report: Report, outcome: str, note: str) -> int:
    """Remove the item, show it again, or dismiss the report; every open report about it closes with this.

    Returns how many reports were closed; each reporter is told the outcome.
    """
    note = note.strip()
    if outcome not in RESOLUTIONS:
        raise ModerationError(_("Choose what to do with the report."))
    if len(note) > NOTE_MAX_LENGTH:
        raise ModerationError(_too_long(NOTE_MAX_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        item = item_of(report)
        entry = reportable_for(item) if item is not None else None
        if entry is not None:
            if outcome == Report.Outcome.REMOVED:
                entry.remove(item, acting_user)
            else:
                entry.unhide(item)
        closing = list(
            Report.objects.select_for_update().filter(
                item_type_id=report.item_type_id, item_id=report.item_id, status=Report.Status.OPEN
            )
        )
        if report.pk not in {each.pk for each in closing}:
            closing.append(report)
        for each in closing:
            each.status, each.outcome, each.note = Report.Status.CLOSED, outcome, note
            each.resolved_by, each.resolved_at, each.updated_at = acting_user, now, now
            each.save(update_fields=["status", "outcome", "note", "resolved_by", "resolved_at", "updated_at"])
            if each.reporter_id is None:  # held by the word check: nobody to tell
                continue
            publish_on_commit(
                Event(
                    kind="report.resolved",
                    actor_id=acting_user.pk,
                    school_id=each.school_id,
                    recipient_ids=(each.reporter_id,),
                    subject_type="report",
                    subject_id=each.public_id,
                    url=reverse("moderation:my_reports"),
                    title=gettext_noop("Your report about something in %(place)s has been handled"),
                    title_params={"place": each.label},
                    data={"outcome": outcome},
                )
            )
        audit.record(
            actor=acting_user,
            action="report.resolved",
            target=report,
            school=report.school,
            outcome=outcome,
            reports=len(closing),
        )
    return len(closing)


# --- Suspensions ----------------------------------------------------------------------------------


def check_suspend(*, acting_user: User, school, user: User, reason: str = "") -> Suspension:
    """Suspend a parent at this school: its groups and their content are gone for them at once.

    Per school, not per account: a parent with children at another school of the board keeps that school
    (schools.queries.groups_visible_to leaves out the groups of every school that suspends the viewer).
    """
    reason = reason.strip()
    if len(reason) > NOTE_MAX_LENGTH:
        raise ModerationError(_too_long(NOTE_MAX_LENGTH))
    if user.pk == acting_user.pk or StaffRole.objects.filter(user=user).exists():
        raise ModerationError(_("Only parents' accounts can be suspended here."))
    with transaction.atomic():
        if Suspension.objects.filter(school=school, user=user, lifted_at__isnull=True).exists():
            raise ModerationError(_("This account is suspended already."))
        suspension = Suspension.objects.create(
            school=school, user=user, reason=reason, suspended_by=acting_user
        )
        audit.record(actor=acting_user, action="account.suspended", target=user, school=school)
    return suspension


def do_lift_suspension(*, acting_user: User, suspension: Suspension) -> None:
    """Give the parent this school's groups back."""
    with transaction.atomic():
        suspension.lifted_at, suspension.lifted_by = timezone.now(), acting_user
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        audit.record(
            actor=acting_user, action="account.unsuspended", target=suspension.user, school=suspension.school
        )


# --- Feedback -------------------------------------------------------------------------------------


def check_send_feedback(*, acting_user: User, school, text: str, anonymous: bool = False) -> Feedback:
    """A finding or tip for the director; an anonymous one (a tip in the anonymous evaluation) keeps no
    author and only its day, so its time cannot be matched with anything the sender did."""
    text = text.strip()
    if not text:
        raise ModerationError(_("Write your finding or tip first."))
    if len(text) > FEEDBACK_MAX_LENGTH:
        raise ModerationError(_too_long(FEEDBACK_MAX_LENGTH))
    if anonymous:
        day = timezone.localtime(timezone.now(), SCHOOL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        return Feedback.objects.create(school=school, author=None, text=text, created_at=day)
    return Feedback.objects.create(school=school, author=acting_user, text=text)


def do_mark_feedback_read(*, acting_user: User, feedback: list[Feedback]) -> None:
    unread = [each.pk for each in feedback if each.read_at is None]
    if unread:
        Feedback.objects.filter(pk__in=unread).update(read_at=timezone.now())


# --- Muting ---------------------------------------------------------------------------------------


def do_set_muted(*, acting_user: User, item, muted: bool) -> None:
    """Stop (or start again) telling the user of new activity in this thread."""
    from moderation.models import Mute

    key = {"user": acting_user, "item_type": _content_type(item), "item_id": item.pk}
    if muted:
        Mute.objects.get_or_create(**key)
    else:
        Mute.objects.filter(**key).delete()
