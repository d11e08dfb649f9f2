"""Viewer-scoped reads: rules to accept, the moderation queue, reports, feedback, the audit log."""

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

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


def schools_with_pending_rules(user) -> QuerySet[School]:
    """The user's schools whose current rules the user has not accepted yet (one query)."""
    accepted = ConductAcceptance.objects.filter(
        user=user, school=OuterRef("pk"), version__gte=OuterRef("rules_version")
    )
    return with_rules_version(schools_of(user)).filter(~Exists(accepted))


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
