"""The moderation API: rules, reports and the queue, feedback, suspensions, screening words, audit log.

The same actions and access functions as the pages; a refused action answers 400 with {"detail": ...}.
"""

import datetime
from typing import Literal

from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from conversations.access import access_conversation
from moderation import actions
from moderation.access import (
    access_administered_school,
    access_directed_school,
    access_feedback_school,
    access_report,
    access_reportable,
    access_school_parent_by_email,
    access_suspension,
    access_term,
)
from moderation.models import FEEDBACK_MAX_LENGTH, ExtraTerm, Suspension
from moderation.queries import (
    audit_events_of,
    feedback_for,
    moderated_reports,
    reported_item,
    reports_by,
    schools_of,
    schools_with_pending_rules,
    with_rules_version,
)

router = Router(tags=["moderation"])


class RulesOut(Schema):
    school_id: str
    school: str
    version: int
    accepted: bool
    text: str


class ReportIn(Schema):
    kind: str
    item_id: str
    reason: str
    text: str = ""


class ReportOut(Schema):
    id: str = Field(alias="public_id")
    kind: str
    label: str
    reason: str
    text: str
    status: str
    outcome: str
    note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ReportedItemOut(Schema):
    author: str
    text: str
    excerpt: str
    image_url: str
    url: str


class QueueReportOut(ReportOut):
    reporter: str
    item: ReportedItemOut | None = Field(description="The reported item as you see it; null once removed")

    @staticmethod
    def resolve_reporter(report) -> str:
        return str(report.reporter) if report.reporter else gettext("The word check")

    @staticmethod
    def resolve_item(report) -> dict | None:
        found = reported_item(report)
        if found is None:
            return None
        return {
            "author": found.author,
            "text": found.text,
            "excerpt": found.excerpt,
            "image_url": found.image_url,
            "url": found.url,
        }


class QueueDetailOut(QueueReportOut):
    hidden: bool | None  # None: the item is removed

    @staticmethod
    def resolve_hidden(report) -> bool | None:
        return actions.is_hidden(report)


class ResolveIn(Schema):
    outcome: str
    note: str = ""


class ResolvedOut(Schema):
    closed: int


class FeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=FEEDBACK_MAX_LENGTH, pattern=r"\S")  # not only spaces
    school_id: str | None = None


class FeedbackOut(Schema):
    id: str = Field(alias="public_id")
    author: str | None
    text: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(feedback) -> str | None:
        return str(feedback.author) if feedback.author else None


class SuspendIn(Schema):
    email: str
    reason: str = ""


class SuspensionOut(Schema):
    id: str = Field(alias="public_id")
    user: str
    email: str
    reason: str
    suspended_at: datetime.datetime

    @staticmethod
    def resolve_user(suspension) -> str:
        return str(suspension.user)

    @staticmethod
    def resolve_email(suspension) -> str:
        return suspension.user.email


class RulesIn(Schema):
    text_nl: str
    text_en: str = ""
    ask_again: bool = True


class TermIn(Schema):
    term: str
    category: str


class TermOut(Schema):
    id: str = Field(alias="public_id")
    term: str
    category: str


class AuditFilter(Schema):
    who: str = ""
    what: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


class AuditOut(Schema):
    at: datetime.datetime
    actor: str | None
    actor_email: str
    action: str
    object_type: str
    object_id: str
    ip_address: str | None
    data: dict

    @staticmethod
    def resolve_actor(event) -> str | None:
        return event.actor_name or None  # as recorded: still there after the account is deleted


# --- Conduct rules --------------------------------------------------------------------------------


@router.get("/rules", response=list[RulesOut], url_name="moderation_rules")
def rules(request):
    """The conduct rules of my schools, in my language, and whether I accepted the current version."""
    pending = set(schools_with_pending_rules(request.auth).values_list("pk", flat=True))
    out = []
    for school in with_rules_version(schools_of(request.auth)).order_by("name"):
        text = actions.rules_of(school).text
        out.append(
            {
                "school_id": school.public_id,
                "school": school.name,
                "version": school.rules_version,
                "accepted": school.pk not in pending,
                "text": text,
            }
        )
    return out


@router.post("/rules/accept", response={204: None}, url_name="moderation_rules_accept")
def accept_rules(request):
    """Accept the current rules of all my schools."""
    pending = list(with_rules_version(schools_with_pending_rules(request.auth)))
    actions.do_accept_rules(acting_user=request.auth, schools=pending)
    return Status(204, None)


@router.put("/schools/{school_id}/rules", response=RulesOut, url_name="moderation_rules_edit")
def edit_rules(request, school_id: str, payload: RulesIn):
    """The director saves the school's rules; ask_again makes everyone accept them again."""
    school = access_directed_school(request.auth, school_id)
    saved = actions.check_update_rules(acting_user=request.auth, school=school, **payload.dict())
    text = saved.text
    return {
        "school_id": school.public_id,
        "school": school.name,
        "version": saved.version,
        "accepted": False,
        "text": text,
    }


# --- Reports --------------------------------------------------------------------------------------


@router.post("/reports", response={201: ReportOut}, url_name="moderation_report")
def report(request, payload: ReportIn):
    """Report something I can see (kind: photo, post, comment, message); again updates my report."""
    entry, item = access_reportable(request.auth, payload.kind, payload.item_id)
    made = actions.check_report(
        acting_user=request.auth, entry=entry, item=item, reason=payload.reason, text=payload.text
    )
    return Status(201, made)


@router.get("/reports", response=list[ReportOut], url_name="moderation_my_reports")
@paginate
def my_reports(request):
    """My reports, newest first, with the outcome once handled."""
    return reports_by(request.auth)


@router.get("/queue", response=list[QueueReportOut], url_name="moderation_queue")
@paginate
def queue(request, status: Literal["open", "closed"] = "open"):
    """The reports I handle (the classes I teach; everything at a school I direct)."""
    return moderated_reports(request.auth).filter(status=status).select_related("reporter")


@router.get("/queue/{report_id}", response=QueueDetailOut, url_name="moderation_queue_report")
def queue_report(request, report_id: str):
    return access_report(request.auth, report_id, write=True)


@router.post("/queue/{report_id}/hide", response={204: None}, url_name="moderation_report_hide")
def hide(request, report_id: str):
    """Hide the reported item for everyone but staff while the report is looked at."""
    found = access_report(request.auth, report_id, write=True)
    actions.do_hide_item(acting_user=request.auth, report=found)
    return Status(204, None)


@router.post("/queue/{report_id}/resolve", response=ResolvedOut, url_name="moderation_report_resolve")
def resolve(request, report_id: str, payload: ResolveIn):
    """Close the report (outcome: removed, restored or dismissed) with a note for the reporter."""
    found = access_report(request.auth, report_id, write=True)
    return {"closed": actions.check_resolve_report(acting_user=request.auth, report=found, **payload.dict())}


# --- Feedback -------------------------------------------------------------------------------------


@router.post("/feedback", response={201: FeedbackOut}, url_name="moderation_feedback")
def send_feedback(request, payload: FeedbackIn):
    """Send a finding or tip to the director of my child's school (or of the school I work at)."""
    school = access_feedback_school(request.auth, payload.school_id)
    sent = actions.check_send_feedback(acting_user=request.auth, school=school, text=payload.text)
    return Status(201, sent)


@router.get("/schools/{school_id}/feedback", response=list[FeedbackOut], url_name="moderation_feedback_list")
@paginate
def feedback_list(request, school_id: str):
    school = access_directed_school(request.auth, school_id)
    return feedback_for(request.auth).filter(school=school).select_related("author")


# --- Suspensions ----------------------------------------------------------------------------------


@router.get(
    "/schools/{school_id}/suspensions", response=list[SuspensionOut], url_name="moderation_suspensions"
)
def suspensions(request, school_id: str):
    school = access_directed_school(request.auth, school_id)
    active = Suspension.objects.filter(school=school, lifted_at__isnull=True).select_related("user")
    return active


@router.post("/schools/{school_id}/suspensions", response={201: SuspensionOut}, url_name="moderation_suspend")
def suspend(request, school_id: str, payload: SuspendIn):
    """Suspend a parent at this school by email: its groups and their content are gone for them at once."""
    school, parent = access_school_parent_by_email(request.auth, school_id, payload.email)
    made = actions.check_suspend(acting_user=request.auth, school=school, user=parent, reason=payload.reason)
    return Status(201, made)


@router.post(
    "/schools/{school_id}/suspensions/{suspension_id}/lift", response={204: None}, url_name="moderation_lift"
)
def lift(request, school_id: str, suspension_id: str):
    suspension = access_suspension(request.auth, school_id, suspension_id)
    actions.do_lift_suspension(acting_user=request.auth, suspension=suspension)
    return Status(204, None)


# --- Screening words ------------------------------------------------------------------------------


@router.get("/schools/{school_id}/terms", response=list[TermOut], url_name="moderation_terms")
def terms(request, school_id: str):
    school = access_administered_school(request.auth, school_id)
    return ExtraTerm.objects.filter(school=school)


@router.post("/schools/{school_id}/terms", response={201: TermOut}, url_name="moderation_term_add")
def add_term(request, school_id: str, payload: TermIn):
    school = access_administered_school(request.auth, school_id)
    added = actions.check_add_term(acting_user=request.auth, school=school, **payload.dict())
    return Status(201, added)


@router.delete(
    "/schools/{school_id}/terms/{term_id}", response={204: None}, url_name="moderation_term_delete"
)
def delete_term(request, school_id: str, term_id: str):
    actions.do_remove_term(acting_user=request.auth, term=access_term(request.auth, school_id, term_id))
    return Status(204, None)


# --- Audit log ------------------------------------------------------------------------------------


@router.get("/schools/{school_id}/audit", response=list[AuditOut], url_name="moderation_audit")
@paginate
def audit(request, school_id: str, filters: Query[AuditFilter]):
    """The school's audit log, newest first; filter by who (name or email), what (action) and dates."""
    school = access_directed_school(request.auth, school_id)
    return audit_events_of(school, **filters.dict())


# --- Muting a conversation ------------------------------------------------------------------------


class MuteIn(Schema):
    muted: bool = True


@router.put("/mute/conversation/{conversation_id}", response={204: None}, url_name="moderation_mute")
def mute(request, conversation_id: str, payload: MuteIn):
    """Stop (muted: false: start again) notifications of new messages in one conversation."""
    conversation = access_conversation(request.auth, conversation_id)
    actions.do_set_muted(acting_user=request.auth, item=conversation, muted=payload.muted)
    return Status(204, None)
