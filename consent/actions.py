"""Every state change of consent: purposes, answers, requests, tags, blurring, withholding and release."""

import logging
import tempfile
from pathlib import Path

import pyvips
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consent.enforcement import ConsentRefused, problems_for
from consent.faces import Box, blur_boxes, find_faces
from consent.models import (
    Answer,
    AnswerChange,
    ConsentSettings,
    FaceBox,
    PhotoTag,
    Purpose,
    PurposeVersion,
    Request,
    Scope,
)
from consent.queries import consent_table, settings_of, unanswered_pairs
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from media.actions import do_replace_renditions
from media.models import MediaFile
from media.queries import largest_still
from media.storage import rendition_bytes
from schools.models import Group, Guardianship, Pupil
from schools.queries import current_enrolments

logger = logging.getLogger(__name__)

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
        purpose = Purpose.objects.select_for_update().select_related("current", "school").get(id=purpose.id)
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


# --- Answers -----------------------------------------------------------------------------------------


def check_answer(*, acting_user, pupil: Pupil, answers: dict[Purpose, bool]) -> list[AnswerChange]:
    """A guardian's answers for one child, each to the purpose's current version: every change is kept;
    a withdrawal withholds photos at once."""
    if not Guardianship.objects.filter(guardian=acting_user, pupil=pupil).exists():
        raise Invalid(_("Only a parent of this child can answer."))
    for purpose in answers:
        if purpose.school_id != pupil.school_id or purpose.removed_at is not None:
            raise Invalid(_("This question is no longer asked."))
    now = timezone.now()
    purpose_ids = [purpose.id for purpose in answers]
    with transaction.atomic():
        # The version answered is read here, not taken from the form: a change the director just made wins.
        versions = {
            purpose.id: purpose.current
            for purpose in Purpose.objects.filter(id__in=purpose_ids).select_related("current")
        }
        before = consent_table([pupil.id], purpose_ids)
        current = {
            a.purpose_id: a
            for a in Answer.objects.select_for_update()
            .filter(pupil=pupil, guardian=acting_user, purpose_id__in=purpose_ids)
            .select_related("version")
        }
        changes = []
        for purpose, given in answers.items():
            version = versions[purpose.id]
            answer = current.get(purpose.id)
            # An answer to a version since changed in substance is no answer to this one.
            counts = answer is not None and answer.version.number >= version.asked_from
            old = answer.given if counts else None
            if answer is None:
                Answer.objects.create(
                    pupil=pupil,
                    purpose=purpose,
                    version=version,
                    guardian=acting_user,
                    given=given,
                    changed_at=now,
                    confirmed_at=now,
                )
            elif old != given:
                answer.given, answer.version = given, version
                answer.changed_at = answer.confirmed_at = now
                answer.save(update_fields=["given", "version", "changed_at", "confirmed_at"])
            else:
                answer.version, answer.confirmed_at = version, now
                answer.save(update_fields=["version", "confirmed_at"])
            if old != given:
                changes.append(
                    AnswerChange(
                        pupil=pupil,
                        purpose=purpose,
                        version=version,
                        guardian=acting_user,
                        changed_by=acting_user,
                        changed_at=now,
                        old=old,
                        new=given,
                    )
                )
        AnswerChange.objects.bulk_create(changes)
        for change in changes:
            record(
                actor=acting_user,
                action="consent.answered",
                target=pupil,
                school=pupil.school,
                purpose=change.purpose.public_id,
                version=change.version.number,
                old=change.old,
                new=change.new,
            )
        after = consent_table([pupil.id], purpose_ids)
        withdrawn = [p for p in answers if before[pupil.id, p.id] and not after[pupil.id, p.id]]
        if withdrawn:
            do_withhold_after_withdrawal(pupil=pupil, purposes=withdrawn)
    return changes


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


def do_set_blur_untagged(*, acting_user, school, enabled: bool) -> ConsentSettings:
    with transaction.atomic():
        settings, _created = ConsentSettings.objects.update_or_create(
            school=school, defaults={"blur_untagged_faces": enabled}
        )
        record(
            actor=acting_user, action="consent.setting_changed", school=school, blur_untagged_faces=enabled
        )
    return settings


# --- Faces and tags -----------------------------------------------------------------------------------


def find_faces_when_ready(media: MediaFile, processed):
    """media.actions READY_HOOKS: find faces on the largest rendition while it is still on disk.

    Photos on a group with faces in them wait for their author's consent check before parents see them.
    Detection never fails processing: on an error the photo has no face boxes (and tags still apply).
    """
    boxes: list[Box] = []
    if processed.kind == "photo":
        largest = largest_still(processed.renditions)
        try:
            if largest is not None:
                boxes = find_faces(pyvips.Image.new_from_file(str(largest.path), access="sequential"))
        except Exception:
            logger.exception("face detection failed for media %s", media.public_id)

    def apply():
        FaceBox.objects.bulk_create(
            [FaceBox(media=media, left=b.left, top=b.top, width=b.width, height=b.height) for b in boxes]
        )
        if not boxes:
            return
        # Read the carrier again, locked: the file may have been put on a post while it was processed.
        current = MediaFile.objects.select_for_update().get(id=media.id)
        if current.carrier_type_id == ContentType.objects.get_for_model(Group).id:
            MediaFile.objects.filter(id=media.id).update(withheld_at=timezone.now())
        elif current.carrier_type_id and is_shown(current.carrier):
            blur_untagged_now([current])

    return apply


def is_shown(carrier) -> bool:
    """Whether the carrier's audience already sees what is added to it (a published post)."""
    return bool(getattr(carrier, "is_published", False))


def blur_untagged_now(media_files) -> None:
    """Photos added to a post that is already shown skip its publishing, so the faces nobody tagged are
    blurred now, before anyone sees them (the school's setting). If that fails they are hidden instead."""
    try:
        do_blur_untagged(acting_user=None, media_files=media_files)
    except Exception:
        logger.exception("blurring untagged faces failed; hiding %s", [m.public_id for m in media_files])
        MediaFile.objects.filter(id__in=[m.id for m in media_files]).update(withheld_at=timezone.now())


def hold_faces_on_attach(media_files, carrier) -> None:
    """media.actions ATTACH_HOOKS: a processed photo with faces put on a group waits for its check; on a
    post already shown, its untagged faces are blurred at once (one still processing: when it is ready)."""
    if is_shown(carrier):
        ready = MediaFile.objects.filter(id__in=[m.id for m in media_files], status=MediaFile.Status.READY)
        blur_untagged_now(list(ready.select_related("school")))
        return
    if not isinstance(carrier, Group):
        return
    with_faces = set(
        FaceBox.objects.filter(media__in=[m.id for m in media_files], blurred_at__isnull=True).values_list(
            "media_id", flat=True
        )
    )
    if with_faces:
        now = timezone.now()
        MediaFile.objects.filter(id__in=with_faces).update(withheld_at=now)
        for media in media_files:
            if media.id in with_faces:
                media.withheld_at = now


def check_tag(*, acting_user, media: MediaFile, pupil: Pupil, face: FaceBox | None = None) -> PhotoTag:
    """Mark a child in a photo (on a face box or not); a shown photo the child may not be in is withheld."""
    if face is not None and face.media_id != media.id:
        raise Invalid(_("This face is not in this photo."))
    if face is not None and face.blurred_at is not None:
        raise Invalid(_("This face has been blurred."))
    if pupil.school_id != media.school_id:
        raise Invalid(_("Choose a child of this school."))
    with transaction.atomic():
        if face is not None:
            PhotoTag.objects.filter(face=face).exclude(pupil=pupil).update(face=None)
        tag, _created = PhotoTag.objects.update_or_create(
            media=media, pupil=pupil, defaults={"face": face, "tagged_by": acting_user}
        )
        record(
            actor=acting_user,
            action="consent.tagged",
            target=media,
            school=media.school,
            pupil=pupil.public_id,
        )
        if media.withheld_at is None:
            _withhold_with_problems([media], reason="tagged")
    return tag


def do_untag(*, acting_user, tag: PhotoTag) -> None:
    with transaction.atomic():
        record(
            actor=acting_user,
            action="consent.untagged",
            target=tag.media,
            school=tag.media.school,
            pupil=tag.pupil.public_id,
        )
        tag.delete()


def do_blur(*, acting_user, media: MediaFile, boxes: list[FaceBox]) -> MediaFile:
    """Blur boxes out of every stored rendition, irreversibly: new files, ETags and URLs (media's new
    version), the old files deleted.

    Every size is rendered again from the largest rendition; the unblurred pixels are not kept anywhere.
    """
    from media.processing.images import write_stills

    boxes = [box for box in boxes if box.blurred_at is None and box.media_id == media.id]
    if not boxes:
        return media
    if media.kind != MediaFile.Kind.PHOTO or not media.is_ready:
        raise Invalid(_("Only a processed photo can be blurred."))
    renditions = list(media.renditions.all())
    largest = largest_still(renditions)
    source = pyvips.Image.new_from_buffer(rendition_bytes(largest), "")
    blurred = blur_boxes(source, [Box(b.left, b.top, b.width, b.height) for b in boxes])
    top_size = int(largest.name.split(".")[0])
    sizes = sorted({int(r.name.split(".")[0]) for r in renditions if r.name.split(".")[0].isdigit()})

    def mark_blurred():
        FaceBox.objects.filter(id__in=[box.id for box in boxes]).update(blurred_at=timezone.now())
        record(
            actor=acting_user, action="consent.blurred", target=media, school=media.school, faces=len(boxes)
        )

    with tempfile.TemporaryDirectory(prefix="blur-") as out_dir:
        files = []
        for size in sizes:
            image = blurred if size == top_size else blurred.thumbnail_image(size, height=size, size="down")
            files += write_stills(image, Path(out_dir), str(size))
        do_replace_renditions(media=media, files=files, and_then=mark_blurred)
    return media


# --- Withholding and release --------------------------------------------------------------------------


def groups_of(media_files) -> dict[int, list[Group]]:
    """The groups each file is shown to, through its carrier (a group itself, or anything with `groups`)."""
    result: dict[int, list[Group]] = {media.id: [] for media in media_files}
    by_type: dict[int, list[MediaFile]] = {}
    for media in media_files:
        if media.carrier_type_id:
            by_type.setdefault(media.carrier_type_id, []).append(media)
    for type_id, files in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        ids = {media.carrier_id for media in files}
        if model is Group:
            carriers = {group.id: [group] for group in Group.objects.filter(id__in=ids)}
        elif hasattr(model, "groups"):
            carriers = {
                c.id: list(c.groups.all())
                for c in model.objects.filter(id__in=ids).prefetch_related("groups")
            }
        else:
            continue
        for media in files:
            result[media.id] = carriers.get(media.carrier_id, [])
    return result


def _withhold_with_problems(media_files, *, reason: str) -> list[MediaFile]:
    """Withhold each shown file that has a consent problem in its audience; tell its author."""
    audiences = groups_of(media_files)
    withheld = []
    for media in media_files:
        if media.withheld_at is None and problems_for(media_files=[media], groups=audiences[media.id]):
            withheld.append(media)
    if not withheld:
        return []
    now = timezone.now()
    MediaFile.objects.filter(id__in=[m.id for m in withheld]).update(withheld_at=now)
    for media in withheld:
        media.withheld_at = now
        record(actor=None, action="consent.withheld", target=media, school=media.school, reason=reason)
    for author_id in {m.uploaded_by_id for m in withheld if m.uploaded_by_id}:
        publish_on_commit(
            Event(
                kind="consent.withheld",
                actor_id=None,
                school_id=withheld[0].school_id,
                recipient_ids=(author_id,),
                url="/privacy/tasks/",
                title=gettext_noop("Photos are hidden from parents until you blur or remove a child"),
            )
        )
    return withheld


def do_withhold_after_withdrawal(*, pupil: Pupil, purposes: list[Purpose]) -> list[MediaFile]:
    """Hide from parents, at once, every shown file with this child that the withdrawn purposes covered."""
    tagged = MediaFile.objects.filter(
        photo_tags__pupil=pupil, withheld_at__isnull=True, carrier_id__isnull=False
    ).select_related("school")
    return _withhold_with_problems(list(tagged), reason="withdrawn")


def check_release(*, acting_user, media_files: list[MediaFile]) -> list[MediaFile]:
    """Show withheld files to parents again once no tagged child lacks consent for their audience.

    Faces nobody tagged are blurred first when the school's setting says so (the default).
    """
    audiences = groups_of(media_files)
    problems = [
        problem
        for media in media_files
        for problem in problems_for(media_files=[media], groups=audiences[media.id])
    ]
    if problems:
        raise ConsentRefused(problems)
    do_blur_untagged(acting_user=acting_user, media_files=media_files)
    with transaction.atomic():
        MediaFile.objects.filter(id__in=[m.id for m in media_files]).update(withheld_at=None)
        for media in media_files:
            media.withheld_at = None
            record(actor=acting_user, action="consent.released", target=media, school=media.school)
    return media_files


def do_blur_untagged(*, acting_user, media_files: list[MediaFile]) -> None:
    """Blur the faces nobody tagged, if the school wants that (default on)."""
    if not media_files or not settings_of(media_files[0].school).blur_untagged_faces:
        return
    untagged = FaceBox.objects.filter(
        media_id__in=[m.id for m in media_files], blurred_at__isnull=True, tag__isnull=True
    )
    by_media: dict[int, list[FaceBox]] = {}
    for box in untagged:
        by_media.setdefault(box.media_id, []).append(box)
    for media in media_files:
        if by_media.get(media.id):
            do_blur(acting_user=acting_user, media=media, boxes=by_media[media.id])
