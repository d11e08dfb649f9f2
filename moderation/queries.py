"""Viewer-scoped reads: rules to accept, the moderation queue, reports, feedback, the audit log."""

from dataclasses import dataclass

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import Truncator

from core.viewer import is_signed_in
from moderation.models import ConductAcceptance, ConductRules, Feedback, Report
from schools.models import Guardianship, School, StaffRole
from schools.queries import groups_staffed_by, schools_directed_by


def schools_of(user) -> QuerySet[School]:
    """Schools where the user is a guardian of a pupil or has a staff role (verified or not)."""
    if not is_signed_in(user):
        return School.objects.none()
    return School.objects.filter(
        Q(id__in=Guardianship.objects.filter(guardian=user).values("pupil__school_id"))
        | Q(id__in=StaffRole.objects.filter(user=user).values("school_id"))
    )


def with_rules_version(schools: QuerySet[School]) -> QuerySet[School]:
    """Annotate each school with its current rules version (1: the default rules)."""
    version = ConductRules.objects.filter(school=OuterRef("pk")).values("version")[:1]
    return schools.annotate(rules_version=Coalesce(Subquery(version), Value(1), output_field=IntegerField()))


def _rules_pending(user) -> Exists:
    """Per school (with its rules version): the user has not accepted its current rules."""
    accepted = ConductAcceptance.objects.filter(
        user=user, school=OuterRef("pk"), version__gte=OuterRef("rules_version")
    )
    return ~Exists(accepted)


def rules_state(user) -> tuple[bool, bool]:
    """(whether the user belongs to a school at all, whether one of them has rules the user has not
    accepted yet): one query, asked at sign-in and now and then by the conduct rules middleware."""
    schools = with_rules_version(schools_of(user)).annotate(pending=_rules_pending(user))
    pending = list(schools.values_list("pending", flat=True))
    return bool(pending), any(pending)


def schools_with_pending_rules(user) -> QuerySet[School]:
    """The user's schools whose current rules the user has not accepted yet (one query)."""
    return with_rules_version(schools_of(user)).filter(_rules_pending(user))


def moderated_reports(viewer) -> QuerySet[Report]:
    """Reports the viewer handles: all of the schools they direct, those of the classes they teach."""
    if not is_signed_in(viewer):
        return Report.objects.none()
    taught = groups_staffed_by(viewer).filter(teaching__teacher=viewer).values("id")
    return Report.objects.filter(Q(school__in=schools_directed_by(viewer)) | Q(group_id__in=taught))


def reports_by(viewer) -> QuerySet[Report]:
    if not is_signed_in(viewer):
        return Report.objects.none()
    return Report.objects.filter(reporter=viewer)


def feedback_for(viewer) -> QuerySet[Feedback]:
    return Feedback.objects.filter(school__in=schools_directed_by(viewer))


def audit_events_of(school, *, who: str = "", what: str = "", since=None, until=None):
    """The school's audit log, newest first, filtered by actor (name or email), action and dates."""
    import datetime

    from core.clock import SCHOOL_TZ
    from core.models import AuditEvent

    # Who it was as recorded then (the snapshot outlives the account), not the user row as it is now.
    events = AuditEvent.objects.filter(school=school)
    if who:
        for word in who.split():
            events = events.filter(Q(actor_name__icontains=word) | Q(actor_email__icontains=word))
    if what:
        events = events.filter(action=what)
    if since:
        events = events.filter(at__gte=datetime.datetime.combine(since, datetime.time.min, SCHOOL_TZ))
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, SCHOOL_TZ)
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-id")


def audit_actions_of(school) -> list[str]:
    from core.models import AuditEvent

    return sorted(set(AuditEvent.objects.filter(school=school).values_list("action", flat=True).distinct()))


EXCERPT_CHARS = 160  # of the reported text, on a queue item


@dataclass(frozen=True)
class ReportedItem:
    """What the moderators of a report see of the reported item (the registry's preview and describe):
    never shown in a notification or email."""

    author: str
    text: str
    image_url: str
    url: str

    @property
    def excerpt(self) -> str:
        # Lines apart by a dash, so that a post's title does not run into its first sentence.
        lines = (" ".join(line.split()) for line in self.text.splitlines())
        return Truncator(" — ".join(line for line in lines if line)).chars(EXCERPT_CHARS)


def reported_item(report: Report) -> ReportedItem | None:
    """The reported item as its moderators see it; None once it is removed (or for a kind without a
    preview). The queue, the report's page and the API's queue all show this."""
    from moderation.actions import item_of
    from moderation.registry import reportable_for

    item = item_of(report)
    entry = reportable_for(item) if item is not None else None
    if entry is None or entry.preview is None:
        return None
    preview = entry.preview(item)
    return ReportedItem(preview.author, preview.text, preview.image_url, entry.describe(item).url)
