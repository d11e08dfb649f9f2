"""Fetch-and-authorize for moderation: not-yours answers 404, exactly like missing."""

from django.db.models import Q
from django.http import Http404

from core.viewer import is_signed_in
from moderation.models import ExtraTerm, Report, Suspension
from moderation.queries import moderated_reports, reports_by
from moderation.registry import Reportable, reportable
from schools.access import first_or_404
from schools.models import Guardianship, School
from schools.queries import schools_administered_by, schools_directed_by, staff_roles_of


def access_reportable(viewer, kind: str, public_id: str) -> tuple[Reportable, object]:
    """An item the viewer can see, so may report; anything else is 404."""
    entry = reportable(kind)
    if entry is None or not is_signed_in(viewer):
        raise Http404
    return entry, first_or_404(entry.visible_to(viewer).filter(public_id=public_id))


def access_report(viewer, public_id: str, *, write: bool = False) -> Report:
    """A report the viewer handles; without write also one the viewer made."""
    reports = moderated_reports(viewer)
    if not write:
        reports = Report.objects.filter(
            Q(pk__in=reports.values("pk")) | Q(pk__in=reports_by(viewer).values("pk"))
        )
    return first_or_404(
        reports.select_related("school", "group", "reporter", "item_type").filter(public_id=public_id)
    )


def access_directed_school(viewer, public_id: str) -> School:
    """A school the viewer is director of."""
    return first_or_404(schools_directed_by(viewer).filter(public_id=public_id))


def access_administered_school(viewer, public_id: str) -> School:
    return first_or_404(schools_administered_by(viewer).filter(public_id=public_id))


def access_feedback_school(viewer, public_id: str | None) -> School:
    """A school the viewer may send the director a tip about: their child's, or the one they work at (the
    footer offers "Tips for the school" to everyone signed in); without an id, their first."""
    if not is_signed_in(viewer):
        raise Http404
    schools = School.objects.filter(
        Q(id__in=Guardianship.objects.filter(guardian=viewer).values("pupil__school_id"))
        | Q(id__in=staff_roles_of(viewer).values("school_id"))
    ).order_by("name")
    if public_id:
        return first_or_404(schools.filter(public_id=public_id))
    return first_or_404(schools)


def access_school_parent_by_email(viewer, school_id: str, email: str):
    """A school the viewer directs and a guardian of one of its pupils, found by email address."""
    from accounts.models import User

    school = access_directed_school(viewer, school_id)
    parents = User.objects.filter(guardianships__pupil__school=school, email__iexact=email.strip()).distinct()
    return school, first_or_404(parents)


def access_suspension(viewer, school_id: str, public_id: str) -> Suspension:
    return first_or_404(
        Suspension.objects.select_related("school", "user").filter(
            school__in=schools_directed_by(viewer).filter(public_id=school_id),
            public_id=public_id,
            lifted_at__isnull=True,
        )
    )


def access_term(viewer, school_id: str, public_id: str) -> ExtraTerm:
    return first_or_404(
        ExtraTerm.objects.select_related("school").filter(
            school__in=schools_administered_by(viewer).filter(public_id=school_id), public_id=public_id
        )
    )
