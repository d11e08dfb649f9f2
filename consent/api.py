"""Consent API under /api/v1/privacy/: the same access layer and actions as the pages.

A refusal answers as everywhere in the API (`core.api_errors`); a consent check that fails also lists
its problems.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from consent import actions
from consent.access import (
    access_consent_school,
    access_face,
    access_own_child,
    access_purpose,
    access_request,
    access_school_pupil,
    access_statement_school,
    access_tag,
    access_tagging,
)
from consent.forms import parse_answers
from consent.models import Scope
from consent.queries import (
    group_overview,
    preferences_of,
    purposes_of,
    requests_of,
    response_rates,
    tagging_page,
    withheld_media_of,
)
from consent.statement import statement_of
from core.refusals import Invalid
from schools.access import access_group

router = Router(tags=["consent"])


class PurposeOut(Schema):
    public_id: str
    name: str  # in the reader's language
    description: str
    scope: str
    kind: str  # "photo" (images of the child) or "data" (other personal data)
    version: int
    asked_from: int  # answers to this version or later count


def purpose_out(purpose) -> dict:
    return {
        "public_id": purpose.public_id,
        "name": purpose.name,
        "description": purpose.description,
        "scope": purpose.scope,
        "kind": "photo" if purpose.is_photo else "data",
        "version": purpose.current.number,
        "asked_from": purpose.current.asked_from,
    }


class AnswerRow(Schema):
    purpose: PurposeOut
    my_answer: bool | None  # None: not answered, or answered to a version that no longer counts
    answered_version: int | None
    consent: bool


class ChangeOut(Schema):
    purpose: str
    version: int  # the version of the purpose this answer was given to
    guardian: str
    changed_at: datetime
    old: bool | None
    new: bool


class PrivacyChildOut(Schema):
    public_id: str
    name: str
    pending: bool
    answers: list[AnswerRow]
    history: list[ChangeOut]


def child_out(child) -> dict:
    return {
        "public_id": child.pupil.public_id,
        "name": child.pupil.full_name,
        "pending": child.pending,
        "answers": [
            {
                "purpose": purpose_out(purpose),
                "my_answer": mine.given if mine and not mine.outdated else None,
                "answered_version": mine.version.number if mine else None,
                "consent": consent,
            }
            for purpose, mine, consent in child.rows
        ],
        "history": [
            {
                "purpose": change.version.name,  # as worded in the version answered
                "version": change.version.number,
                "guardian": change.guardian.full_name,
                "changed_at": change.changed_at,
                "old": change.old,
                "new": change.new,
            }
            for change in child.history
        ],
    }


@router.get("/children", response=list[PrivacyChildOut])
def my_children(request):
    """The signed-in parent's privacy preferences per child, with the history of every answer."""
    return [child_out(child) for child in preferences_of(request.auth)]


class AnswersIn(Schema):
    answers: dict[str, bool]  # purpose public id → yes/no


@router.put("/children/{pupil_id}", response=PrivacyChildOut)
def answer(request, pupil_id: str, payload: AnswersIn):
    pupil = access_own_child(request.auth, pupil_id)
    data = {f"purpose_{key}": value for key, value in payload.answers.items()}
    actions.check_answer(
        acting_user=request.auth, pupil=pupil, answers=parse_answers(data, purposes_of(pupil.school_id))
    )
    return child_out(next(c for c in preferences_of(request.auth) if c.pupil.id == pupil.id))


@router.get("/schools/{school_id}/purposes", response=list[PurposeOut])
def purposes(request, school_id: str):
    school = access_consent_school(request.auth, school_id)
    actions.do_ensure_default_purposes(school=school)
    return [purpose_out(purpose) for purpose in purposes_of(school)]


class PurposeIn(Schema):
    name: str  # Dutch
    name_en: str = ""
    description: str = ""  # Dutch
    description_en: str = ""
    scope: str = Scope.OTHER


@router.post("/schools/{school_id}/purposes", response={201: PurposeOut})
def purpose_add(request, school_id: str, payload: PurposeIn):
    school = access_consent_school(request.auth, school_id)
    purpose = actions.check_add_purpose(acting_user=request.auth, school=school, **payload.dict())
    return Status(201, purpose_out(purpose))


class PurposeChangeIn(Schema):
    """A new version: the parts left out stay as they are. `ask_again` says the processing changes."""

    ask_again: bool = False
    name: str | None = None
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    scope: str | None = None


@router.patch("/purposes/{purpose_id}", response=PurposeOut)
def purpose_change(request, purpose_id: str, payload: PurposeChangeIn):
    """Change a purpose: a new version; with ask_again, parents answer this purpose again."""
    purpose = access_purpose(request.auth, purpose_id)
    changed = actions.check_change_purpose(acting_user=request.auth, purpose=purpose, **payload.dict())
    return purpose_out(changed)


class VersionOut(Schema):
    number: int
    asked_from: int
    asks_again: bool  # this version asked the parents again (the processing changed)
    scope: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    created_at: datetime


@router.get("/purposes/{purpose_id}/versions", response=list[VersionOut])
def purpose_versions(request, purpose_id: str):
    """Every version of a purpose, newest first: what parents were asked, and which answers still count."""
    purpose = access_purpose(request.auth, purpose_id, write=False)
    return [
        {
            **{field: getattr(version, field) for field in VersionOut.model_fields},
            "asks_again": version.asks_again,
        }
        for version in purpose.versions.order_by("-number")
    ]


@router.delete("/purposes/{purpose_id}", response={204: None})
def purpose_remove(request, purpose_id: str):
    purpose = access_purpose(request.auth, purpose_id)
    actions.do_remove_purpose(acting_user=request.auth, purpose=purpose)
    return Status(204, None)


class RateOut(Schema):
    group: str
    group_name: str
    pupils: int
    answered: int
    percent: int


class RequestOut(Schema):
    public_id: str
    reason: str
    pupil: str | None
    sent_at: datetime
    reminded_at: datetime | None


class RequestsOut(Schema):
    requests: list[RequestOut]
    rates: list[RateOut]


def request_out(consent_request) -> dict:
    return {
        "public_id": consent_request.public_id,
        "reason": consent_request.reason,
        "pupil": consent_request.pupil.public_id if consent_request.pupil else None,
        "sent_at": consent_request.sent_at,
        "reminded_at": consent_request.reminded_at,
    }


@router.get("/schools/{school_id}/requests", response=RequestsOut)
def requests(request, school_id: str):
    """Requests sent, and per current class how many children's parents have answered the latest one."""
    school = access_consent_school(request.auth, school_id)
    rates = [
        {
            "group": r.group.public_id,
            "group_name": r.group.name,
            "pupils": r.pupils,
            "answered": r.answered,
            "percent": r.percent,
        }
        for r in response_rates(school)
    ]
    return {"requests": [request_out(r) for r in requests_of(school)[:50]], "rates": rates}


class RequestIn(Schema):
    reason: str
    pupil: str | None = None


@router.post("/schools/{school_id}/requests", response={201: RequestOut})
def request_send(request, school_id: str, payload: RequestIn):
    school = access_consent_school(request.auth, school_id, write=True)
    pupil = access_school_pupil(school, payload.pupil) if payload.pupil else None
    sent = actions.check_send_request(
        acting_user=request.auth, school=school, reason=payload.reason, pupil=pupil
    )
    return Status(201, request_out(sent))


class RemindOut(Schema):
    reminded: int


@router.post("/requests/{request_id}/remind", response=RemindOut)
def request_remind(request, request_id: str):
    consent_request = access_request(request.auth, request_id)
    return {"reminded": actions.do_remind(acting_user=request.auth, request=consent_request)}


class RefusalOut(Schema):
    pupil: str
    name: str
    purposes: list[str]


class PurposeRefusalsOut(Schema):
    purpose: PurposeOut
    refusing: list[str]  # pupils' public ids without consent for this purpose


class PrivacyOverviewOut(Schema):
    pupils: int
    refusals: list[RefusalOut]  # who may not appear in photos (photo purposes only)
    purposes: list[PurposeRefusalsOut]  # every purpose, of any kind


@router.get("/groups/{group_id}", response=PrivacyOverviewOut)
def group(request, group_id: str):
    """Staff: the group's children who may not appear, per purpose."""
    group = access_group(request.auth, group_id, write=True)
    purposes, refusals, count = group_overview(group)
    return {
        "pupils": count,
        "refusals": [
            {"pupil": r.pupil.public_id, "name": r.pupil.full_name, "purposes": [p.name for p in r.purposes]}
            for r in refusals
        ],
        "purposes": [
            {"purpose": purpose_out(p), "refusing": [pupil.public_id for pupil in p.refusing]}
            for p in purposes
        ],
    }


class ReleasedOut(Schema):
    released: list[str]


@router.post("/groups/{group_id}/release", response=ReleasedOut)
def group_release(request, group_id: str):
    """Show the author's withheld photos of this group to parents, if every tagged child may appear."""
    group = access_group(request.auth, group_id, write=True)
    files = withheld_media_of(request.auth, group=group)
    actions.check_release(acting_user=request.auth, media_files=files)
    return {"released": [media.public_id for media in files]}


class FaceOut(Schema):
    public_id: str
    left: float
    top: float
    width: float
    height: float
    blurred: bool
    pupil: str | None


class TagOut(Schema):
    public_id: str
    pupil: str
    name: str
    face: str | None


class CandidateOut(TagOut):
    avatar: str | None = Field(
        None, description="URL of the child's small photo, where the school allows them (consent.avatars)"
    )


class ProblemOut(Schema):
    pupil: str
    purpose: str


class TaggingOut(Schema):
    taggable: bool = Field(description="Children are tagged in photos and videos, never in a document")
    withheld: bool
    faces: list[FaceOut]
    tags: list[TagOut]
    candidates: list[CandidateOut]
    problems: list[ProblemOut]


def tagging_out(page) -> dict:
    return {
        "taggable": page.taggable,
        "withheld": page.media.withheld_at is not None,
        "faces": [
            {
                "public_id": f.public_id,
                "left": f.left,
                "top": f.top,
                "width": f.width,
                "height": f.height,
                "blurred": f.blurred_at is not None,
                "pupil": f.current_tag.pupil.public_id if f.current_tag else None,
            }
            for f in page.faces
        ],
        "tags": [
            {
                "public_id": t.public_id,
                "pupil": t.pupil.public_id,
                "name": t.pupil.full_name,
                "face": t.face.public_id if t.face else None,
            }
            for t in page.tags
        ],
        "candidates": [
            {
                "public_id": p.public_id,
                "pupil": p.public_id,
                "name": p.full_name,
                "face": None,
                "avatar": p.avatar or None,
            }
            for p in page.candidates
        ],
        "problems": [{"pupil": p.pupil.public_id, "purpose": p.purpose.name} for p in page.problems],
    }


@router.get("/media/{media_id}", response=TaggingOut)
def media(request, media_id: str):
    """The faces found in a photo, the children tagged in it, whom to pick from, and consent problems."""
    media = access_tagging(request.auth, media_id)
    return tagging_out(tagging_page(request.auth, media))


class TagIn(Schema):
    pupil: str
    face: str | None = None


@router.post("/media/{media_id}/tags", response={201: TaggingOut})
def media_tag(request, media_id: str, payload: TagIn):
    media = access_tagging(request.auth, media_id)
    face = access_face(media, payload.face) if payload.face else None
    pupil = next(
        (p for p in tagging_page(request.auth, media).candidates if p.public_id == payload.pupil), None
    )
    if pupil is None:
        raise Invalid(_("Choose a child from the list."))
    actions.check_tag(acting_user=request.auth, media=media, pupil=pupil, face=face)
    media.refresh_from_db()
    return Status(201, tagging_out(tagging_page(request.auth, media)))


@router.delete("/tags/{tag_id}", response={204: None})
def tag_remove(request, tag_id: str):
    tag = access_tag(request.auth, tag_id)
    actions.do_untag(acting_user=request.auth, tag=tag)
    return Status(204, None)


class BlurIn(Schema):
    faces: list[str] = []
    pupils: list[str] = []


@router.post("/media/{media_id}/blur", response=TaggingOut)
def media_blur(request, media_id: str, payload: BlurIn):
    """Blur face boxes, or the boxes the given children are tagged on: irreversible, every rendition."""
    media = access_tagging(request.auth, media_id)
    page = tagging_page(request.auth, media)
    boxes = [access_face(media, face_id) for face_id in payload.faces]
    boxes += [t.face for t in page.tags if t.face and t.pupil.public_id in payload.pupils]
    if not boxes:
        raise Invalid(_("This child is not on a face box; tag the face first, or leave the photo out."))
    actions.do_blur(acting_user=request.auth, media=media, boxes=boxes)
    return tagging_out(tagging_page(request.auth, media))


class PrivacyTaskOut(Schema):
    media: str
    name: str
    problems: list[ProblemOut]


@router.get("/tasks", response=list[PrivacyTaskOut])
def tasks(request):
    """The signed-in author's withheld photos: blur or remove them."""
    return [
        {
            "media": m.public_id,
            "name": m.original_name,
            "problems": [{"pupil": p.pupil.public_id, "purpose": p.purpose.name} for p in m.problems],
        }
        for m in withheld_media_of(request.auth)
    ]


# --- The school's privacy page -------------------------------------------------------------------------


class ProcessingOut(Schema):
    data: str
    purpose: str


class ServiceOut(Schema):
    key: str  # email, push, storage, database, cache, translation
    role: str
    where: str
    detail: str


class RetentionOut(Schema):
    key: str
    label: str
    months: int
    counted_from: str
    basis: str


class OfficerOut(Schema):
    name: str
    email: str
    phone: str


class StatementOut(Schema):
    school: str
    school_name: str
    processing: list[ProcessingOut]
    retention: list[RetentionOut] | None  # null: this platform has no retention table
    services: list[ServiceOut]
    hosting: str  # in the reader's language
    notes: str
    officer: OfficerOut
    own: dict[str, str]  # the school's own parts, both languages (what the director edits)


def statement_out(school) -> dict:
    statement = statement_of(school)
    own = statement.own
    return {
        "school": school.public_id,
        "school_name": school.name,
        "processing": [{"data": str(row.data), "purpose": str(row.purpose)} for row in statement.processing],
        "retention": None
        if statement.retention is None
        else [
            {
                "key": period.category.key,
                "label": str(period.category.label),
                "months": period.months,
                "counted_from": str(period.category.counted_from),
                "basis": str(period.category.basis),
            }
            for period in statement.retention
        ],
        "services": [vars(service) for service in statement.services],
        "hosting": own.hosting,
        "notes": own.notes,
        "officer": {"name": own.officer_name, "email": own.officer_email, "phone": own.officer_phone},
        "own": {name: getattr(own, name) for name in actions.STATEMENT_FIELDS},
    }


@router.get("/schools/{school_id}/statement", response=StatementOut)
def statement(request, school_id: str):
    """The school's privacy statement: processing, retention, sub-processors, storage, the officer."""
    return statement_out(access_statement_school(request.auth, school_id))


class StatementIn(Schema):
    officer_name: str = ""
    officer_email: str = ""
    officer_phone: str = ""
    hosting_nl: str = ""
    hosting_en: str = ""
    notes_nl: str = ""
    notes_en: str = ""


@router.put("/schools/{school_id}/statement", response=StatementOut)
def statement_save(request, school_id: str, payload: StatementIn):
    """The director saves the school's own parts of the privacy statement (every part, as sent)."""
    school = access_statement_school(request.auth, school_id, write=True)
    actions.check_save_statement(acting_user=request.auth, school=school, **payload.dict())
    return statement_out(school)
