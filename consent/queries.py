"""Reads about consent. Consent is derived: yes only when every guardian of the child said yes."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from consent.models import Answer, AnswerChange, ConsentSettings, Purpose, PurposeVersion, Request, Scope
from schools.models import Group, Guardianship, Pupil
from schools.queries import current_enrolments, enrolled_now, pupils_of_group

# The scope a photo needs, by the kind of group it is shown in.
SCOPE_OF_GROUP_KIND = {Group.Kind.CLASS: Scope.CLASS, Group.Kind.SCHOOL: Scope.SCHOOL}


def purposes_of(school) -> QuerySet[Purpose]:
    return Purpose.objects.filter(school=school, removed_at__isnull=True).select_related("current")


def purposes_with_versions(school) -> list[Purpose]:
    """The school's purposes, each with `.history`: every version, newest first. Two queries."""
    from django.db.models import Prefetch

    return list(
        purposes_of(school).prefetch_related(
            Prefetch("versions", PurposeVersion.objects.order_by("-number"), to_attr="history")
        )
    )


def schools_of_member(viewer):
    """The schools whose privacy page the viewer reads: those of the groups they belong to (every parent
    with a child there now, every staff member), as schools.queries.groups_visible_to decides."""
    from schools.models import School
    from schools.queries import groups_visible_to

    return School.objects.filter(id__in=groups_visible_to(viewer).values("school_id"))


def settings_of(school) -> ConsentSettings:
    """The school's settings, the defaults when it never changed them (not saved)."""
    return ConsentSettings.objects.filter(school=school).first() or ConsentSettings(school=school)


def scopes_for(groups) -> set[str]:
    return {SCOPE_OF_GROUP_KIND[group.kind] for group in groups}


def consent_table(pupil_ids, purpose_ids) -> dict[tuple[int, int], bool]:
    """(pupil id, purpose id) → consent, for every pair asked: two queries whatever the numbers.

    No guardian, a guardian without an answer, or any guardian saying no: no consent. Only answers that
    still count are read: to the current version, or to one the school changed since without asking again.
    """
    pupil_ids, purpose_ids = set(pupil_ids), set(purpose_ids)
    guardians: dict[int, set[int]] = defaultdict(set)
    for pupil_id, guardian_id in Guardianship.objects.filter(pupil_id__in=pupil_ids).values_list(
        "pupil_id", "guardian_id"
    ):
        guardians[pupil_id].add(guardian_id)
    yes: dict[tuple[int, int], set[int]] = defaultdict(set)
    answers = Answer.objects.filter(
        pupil_id__in=pupil_ids,
        purpose_id__in=purpose_ids,
        given=True,
        version__number__gte=F("purpose__current__asked_from"),
    )
    for pupil_id, purpose_id, guardian_id in answers.values_list("pupil_id", "purpose_id", "guardian_id"):
        yes[pupil_id, purpose_id].add(guardian_id)
    return {
        (pupil_id, purpose_id): bool(guardians[pupil_id]) and guardians[pupil_id] <= yes[pupil_id, purpose_id]
        for pupil_id in pupil_ids
        for purpose_id in purpose_ids
    }


def has_consent(pupil: Pupil, purpose: Purpose) -> bool:
    return consent_table([pupil.id], [purpose.id])[pupil.id, purpose.id]


# --- The parent's privacy preferences ---------------------------------------------------------------


@dataclass
class ChildPreferences:
    pupil: Pupil
    # (purpose, my answer or None, consent for the child); an answer to a version that no longer counts
    # has `.outdated` set: the parent is shown what they answered before and asked again.
    rows: list = field(default_factory=list)
    history: list = field(default_factory=list)  # AnswerChange rows with their version, newest first
    pending: bool = False


def preferences_of(viewer) -> list[ChildPreferences]:
    """Per child of the viewer: each purpose with the viewer's answer and the child's consent, and history."""
    children = list(Pupil.objects.filter(guardianships__guardian=viewer).select_related("school"))
    school_ids = {child.school_id for child in children}
    purposes = list(
        Purpose.objects.filter(school_id__in=school_ids, removed_at__isnull=True).select_related("current")
    )
    table = consent_table([c.id for c in children], [p.id for p in purposes])
    asked_from = {purpose.id: purpose.current.asked_from for purpose in purposes}
    mine = {}
    for answer in Answer.objects.filter(guardian=viewer, pupil__in=[c.id for c in children]).select_related(
        "version"
    ):
        answer.outdated = answer.version.number < asked_from.get(answer.purpose_id, 0)
        mine[answer.pupil_id, answer.purpose_id] = answer
    history = defaultdict(list)
    changes = AnswerChange.objects.filter(pupil__in=[c.id for c in children]).select_related(
        "purpose__current", "version", "changed_by", "guardian"
    )
    for change in changes:
        history[change.pupil_id].append(change)
    pending = {
        pupil_id for pupil_id, _g in unanswered_pairs([c.id for c in children], guardian_ids={viewer.id})
    }
    result = []
    for child in children:
        rows = [
            (purpose, mine.get((child.id, purpose.id)), table[child.id, purpose.id])
            for purpose in purposes
            if purpose.school_id == child.school_id
        ]
        result.append(ChildPreferences(child, rows, history[child.id], child.id in pending))
    return result


def pending_pupil_ids(viewer) -> set[int]:
    """The viewer's children for whom a request waits on the viewer's answer."""
    children = Pupil.objects.filter(guardianships__guardian=viewer).values_list("id", flat=True)
    return {pupil_id for pupil_id, _guardian_id in unanswered_pairs(list(children), guardian_ids={viewer.id})}


def latest_requests(school_ids) -> dict:
    """Per school its latest request for every purpose, per pupil their latest enrolment request, and per
    purpose the latest request that asked it again after a change."""
    by_school, by_pupil, by_purpose = {}, {}, {}
    for request in Request.objects.filter(school_id__in=school_ids).order_by("sent_at", "id"):
        if request.pupil_id:
            by_pupil[request.pupil_id] = request
        elif request.purpose_id:
            by_purpose[request.purpose_id] = request
        else:
            by_school[request.school_id] = request
    return {"school": by_school, "pupil": by_pupil, "purpose": by_purpose}


def asked_since(purposes) -> dict[int, object]:
    """Per purpose, when its current question was first put: the creation of the version answers must
    be given to (a wording fix after it does not move it). One query."""
    wanted = {(purpose.id, purpose.current.asked_from) for purpose in purposes}
    versions = PurposeVersion.objects.filter(purpose_id__in={purpose_id for purpose_id, _n in wanted})
    return {
        purpose_id: created_at
        for purpose_id, number, created_at in versions.values_list("purpose_id", "number", "created_at")
        if (purpose_id, number) in wanted
    }


def unanswered_pairs(pupil_ids, *, guardian_ids=None) -> set[tuple[int, int]]:
    """(pupil, guardian) pairs who owe an answer.

    A purpose is owed when a request covering it (every purpose of the school, the child's enrolment, or
    the purpose itself after a change) was sent after its current question was put, and the guardian has
    no answer to that question confirmed since the request. A purpose added after the latest request is
    not owed until a request asks it. Six queries whatever the numbers.
    """
    pupils = list(Pupil.objects.filter(id__in=pupil_ids).values_list("id", "school_id"))
    school_of = dict(pupils)
    requests = latest_requests(set(school_of.values()))
    purposes = defaultdict(list)
    active = list(
        Purpose.objects.filter(school_id__in=set(school_of.values()), removed_at__isnull=True).select_related(
            "current"
        )
    )
    since_put = asked_since(active)
    for purpose in active:
        purposes[purpose.school_id].append(purpose)
    guardianships = Guardianship.objects.filter(pupil_id__in=school_of)
    if guardian_ids is not None:
        guardianships = guardianships.filter(guardian_id__in=guardian_ids)
    pairs = list(guardianships.values_list("pupil_id", "guardian_id"))
    confirmed = defaultdict(dict)
    answers = Answer.objects.filter(pupil_id__in=school_of, guardian_id__in={g for _p, g in pairs})
    for pupil_id, guardian_id, purpose_id, number, confirmed_at in answers.values_list(
        "pupil_id", "guardian_id", "purpose_id", "version__number", "confirmed_at"
    ):
        confirmed[pupil_id, guardian_id][purpose_id] = (number, confirmed_at)
    owing = set()
    for pupil_id, guardian_id in pairs:
        school_id = school_of[pupil_id]
        mine = confirmed[pupil_id, guardian_id]
        for purpose in purposes[school_id]:
            asked = [
                r.sent_at
                for r in (
                    requests["school"].get(school_id),
                    requests["pupil"].get(pupil_id),
                    requests["purpose"].get(purpose.id),
                )
                if r and r.sent_at >= since_put[purpose.id]
            ]
            if not asked:
                continue
            number, confirmed_at = mine.get(purpose.id, (0, None))
            if number < purpose.current.asked_from or confirmed_at < max(asked):
                owing.add((pupil_id, guardian_id))
                break
    return owing


@dataclass
class GroupRate:
    group: Group
    pupils: int
    answered: int  # pupils whose every guardian has answered since the latest request

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.pupils) if self.pupils else 100


def response_rates(school) -> list[GroupRate]:
    """Per current class: how many children's guardians have all answered the latest request."""
    enrolments = list(
        current_enrolments().filter(group__school=school).select_related("group").order_by("group__name")
    )
    owing = {pupil_id for pupil_id, _g in unanswered_pairs([e.pupil_id for e in enrolments])}
    rates: dict[int, GroupRate] = {}
    for enrolment in enrolments:
        rate = rates.setdefault(enrolment.group_id, GroupRate(enrolment.group, 0, 0))
        rate.pupils += 1
        rate.answered += enrolment.pupil_id not in owing
    return list(rates.values())


def requests_of(school) -> QuerySet[Request]:
    return Request.objects.filter(school=school).select_related("pupil", "sent_by")


# --- Staff: who may not appear -------------------------------------------------------------------------


@dataclass
class Refusal:
    pupil: Pupil
    purposes: list  # the photo purposes without consent


def group_overview(group: Group) -> tuple[list[Purpose], list[Refusal], int]:
    """The group's children who may not appear (photo purposes only), and the number of children.

    Every purpose, of any kind, gets `.refusing`: the children without consent for it, so the page can show
    photo purposes as "may not appear" and the others (a class list, a phone list) as "has not agreed".
    """
    if group.is_school_wide:
        pupils = Pupil.objects.filter(
            id__in=current_enrolments().filter(group__school=group.school_id).values("pupil_id")
        )
    else:
        pupils = pupils_of_group(group)
    pupils = list(pupils.order_by("first_name", "last_name"))
    purposes = list(purposes_of(group.school_id))
    table = consent_table([p.id for p in pupils], [p.id for p in purposes])
    refusals = []
    for pupil in pupils:
        missing = [purpose for purpose in purposes if purpose.is_photo and not table[pupil.id, purpose.id]]
        if missing:
            refusals.append(Refusal(pupil, missing))
    for purpose in purposes:  # the same facts per purpose, as staff look them up before posting
        purpose.refusing = [pupil for pupil in pupils if not table[pupil.id, purpose.id]]
    return purposes, refusals, len(pupils)


# --- Tagging and the authors' task list ----------------------------------------------------------------


# The kinds of file children are tagged in: a photo or a video shows them, a document (a PDF) does not.
TAGGABLE_KINDS = ("photo", "video")


def is_taggable(media) -> bool:
    """THE rule for which files children are tagged in (is_taggable): the check step before posting, the
    tagging page, the API (access_tagging) and check_tag all ask this."""
    return media.kind in TAGGABLE_KINDS


@dataclass
class TaggingPage:
    media: object
    faces: list  # FaceBox rows with .tag (or None)
    tags: list  # PhotoTag rows with pupil
    candidates: list  # the children of the photo's audience to pick from; none for a document
    groups: list
    problems: list

    @property
    def taggable(self) -> bool:
        return is_taggable(self.media)


def short_name(pupil: Pupil) -> str:
    """A child as the picker names them: first name and the initial of the surname without its prefix
    ("Daan M." for Daan Mulder, "Sem D." for Sem van Dijk)."""
    core = [word for word in pupil.last_name.split() if word[:1].isupper()] or pupil.last_name.split()
    return f"{pupil.first_name} {core[0][0].upper()}." if core else pupil.first_name


def with_short_names(pupils: list[Pupil]) -> list[Pupil]:
    """Give each pupil `label`, its short name, or its full name where two children would read the same."""
    counts: dict[str, int] = defaultdict(int)
    for pupil in pupils:
        counts[short_name(pupil)] += 1
    for pupil in pupils:
        pupil.label = short_name(pupil) if counts[short_name(pupil)] == 1 else pupil.full_name
    return pupils


def candidate_pupils(viewer, groups) -> list[Pupil]:
    """The children of the photo's groups, or every pupil the viewer may see when it has none yet."""
    from schools.queries import pupils_visible_to

    class_ids = [g.id for g in groups if not g.is_school_wide]
    if class_ids:
        pupils = Pupil.objects.filter(id__in=enrolled_now().filter(group_id__in=class_ids).values("pupil_id"))
    else:
        pupils = pupils_visible_to(viewer)
    return with_short_names(list(pupils.order_by("first_name", "last_name")))


def tagging_page(viewer, media) -> TaggingPage:
    from consent.actions import groups_of

    return tagging_pages(viewer, [media], groups=groups_of([media])[media.id])[0]


def tagging_pages(viewer, media_files, *, groups) -> list[TaggingPage]:
    """The tagging page of each photo, all shown to the same groups (a post being written).

    Constant queries whatever the number of photos."""
    from consent.enforcement import problems_for
    from consent.models import FaceBox, PhotoTag
    from media.queries import with_display

    media_files, groups = with_display(media_files), list(groups)
    ids = [media.id for media in media_files]
    faces, tags, problems = defaultdict(list), defaultdict(list), defaultdict(list)
    for face in FaceBox.objects.filter(media_id__in=ids).select_related("tag__pupil"):
        face.current_tag = getattr(face, "tag", None)
        faces[face.media_id].append(face)
    for tag in PhotoTag.objects.filter(media_id__in=ids).select_related("pupil", "face"):
        tags[tag.media_id].append(tag)
    for problem in problems_for(media_files=media_files, groups=groups):
        problems[problem.media.id].append(problem)
    from consent.avatars import with_avatars

    candidates = with_avatars(viewer, candidate_pupils(viewer, groups))
    pages = []
    for media in media_files:
        shown = candidates if is_taggable(media) else []
        page = TaggingPage(media, faces[media.id], tags[media.id], shown, groups, problems[media.id])
        pages.append(page)
    return pages


def withheld_media_of(viewer, *, group=None) -> list:
    """Withheld photos and videos the viewer uploaded (optionally on one group), with their problems."""
    from consent.actions import groups_of
    from consent.enforcement import problems_for
    from media.models import MediaFile
    from media.queries import with_display

    files = MediaFile.objects.filter(uploaded_by=viewer, withheld_at__isnull=False, carrier_id__isnull=False)
    if group is not None:
        from django.contrib.contenttypes.models import ContentType

        files = files.filter(carrier_type=ContentType.objects.get_for_model(Group), carrier_id=group.id)
    files = with_display(files)
    audiences = groups_of(files)
    for media in files:
        media.problems = problems_for(media_files=[media], groups=audiences[media.id])
    return files
