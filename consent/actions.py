"""Every state change of consent: answers, tags, blurring, withholding and release, the school's settings
and privacy page. What the school asks (purposes, versions, requests) lives in consent.asking, re-exported
here so callers keep one place to import actions from."""

import logging
import tempfile
from pathlib import Path

import pyvips
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consent.asking import (  # noqa: F401 - re-exported
    check_add_purpose,
    check_change_purpose,
    check_rename_purpose,
    check_send_request,
    do_ensure_default_purposes,
    do_remind,
    do_remove_purpose,
    guardians_to_ask,
)
from consent.enforcement import ConsentRefused, problems_for
from consent.faces import Box, blur_boxes, find_faces
from consent.models import (
    Answer,
    AnswerChange,
    ConsentSettings,
    FaceBox,
    PhotoTag,
    PrivacyStatement,
    Purpose,
)
from consent.queries import consent_table, is_taggable, settings_of
from core.audit import record
from core.events import Event, publish_on_commit
from core.refusals import Invalid
from media.actions import do_replace_renditions
from media.models import MediaFile
from media.queries import largest_still
from media.storage import rendition_bytes
from schools.models import Group, Guardianship, Pupil

logger = logging.getLogger(__name__)


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
    if media.carrier_type_id == ContentType.objects.get_for_model(Pupil).id:
        # A child's own photo for the face picker: it shows that child, nobody tags or blurs it, so its
        # faces are neither looked for (a second of CPU) nor kept.
        return lambda: None
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
    if not is_taggable(media):
        raise Invalid(
            _("Children are tagged in photos and videos only, not in a document."), code="not_taggable"
        )
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


# --- The school's privacy page ------------------------------------------------------------------------

STATEMENT_TEXTS = ("hosting_nl", "hosting_en", "notes_nl", "notes_en")
STATEMENT_FIELDS = ("officer_name", "officer_email", "officer_phone", *STATEMENT_TEXTS)
STATEMENT_TEXT_MAX = 4000


def check_save_statement(*, acting_user, school, **parts: str) -> PrivacyStatement:
    """Save the parts of the privacy page the school writes (officer, hosting, its own explanation)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    unknown = set(parts) - set(STATEMENT_FIELDS)
    if unknown:
        raise Invalid(_("Unknown field: %(name)s") % {"name": ", ".join(sorted(unknown))})
    values = {name: " ".join((parts.get(name) or "").split()) for name in ("officer_name", "officer_email")}
    values["officer_phone"] = (parts.get("officer_phone") or "").strip()
    for name in STATEMENT_TEXTS:
        values[name] = (parts.get(name) or "").strip()
    if values["officer_email"]:
        try:
            validate_email(values["officer_email"])
        except ValidationError:
            raise Invalid(_("Enter a valid email address for the privacy officer.")) from None
    if len(values["officer_name"]) > 200 or len(values["officer_phone"]) > 30:
        raise Invalid(_("The name or phone number is too long."))
    if any(
        len(values[name]) > STATEMENT_TEXT_MAX
        for name in ("hosting_nl", "hosting_en", "notes_nl", "notes_en")
    ):
        raise Invalid(_("A text is too long (at most %(max)d characters).") % {"max": STATEMENT_TEXT_MAX})
    with transaction.atomic():
        statement, _created = PrivacyStatement.objects.update_or_create(
            school=school, defaults={**values, "updated_at": timezone.now(), "updated_by": acting_user}
        )
        record(actor=acting_user, action="consent.statement_saved", target=school, school=school)
    return statement
