"""A child's photo for the face picker: one per child, uploaded by a parent where the school allows it.

Who sees it is decided once, by `avatars_shown_to` (registered as the Pupil carrier's `visible_to`, so the
media layer asks it for every page, rendition URL, zip and export): the child's parents and the staff of a
class the child is in now (those who tag photos with the picker), and only while the school allows avatars
(ConsentSettings.child_avatars) and no parent of the child has said no to photos in the class group.

Consent: the avatar is never published, but it is a photo of the child. A parent's current "no" to the
photo question of the child's own class (the audience closest to the teachers who see the avatar) weighs
as everywhere in consent: one "no" is enough. Then no avatar can be added, and one added earlier is shown
to nobody but the parent who uploaded it (the media layer's own rule: an uploader follows their upload),
who can still remove it. "Not answered yet" does not block it: adding the photo is itself a parent's act.

The upload goes through the media pipeline like any other (quarantine, sniffing, renditions without
metadata; the original is never stored or served); of its renditions only the smallest display size is
kept (`keep_avatars_small`), which is all a picker needs.

Privacy: a parent's data export holds their children's avatars (privacy.sections.tagged_media); erasing the
parent who uploaded one deletes it with all their uploads (privacy.erasure), and so does the retention of
leavers' accounts; while the child is at school nothing else removes it.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.refusals import Invalid
from core.viewer import is_signed_in
from schools.models import Guardianship, Pupil

# The display size an avatar keeps (media.processing.images.SIZES[0]); the larger ones are dropped.
AVATAR_SIZE = 400


def photo_refused() -> QuerySet:
    """Pupil ids for whom a current parent's current answer to the class-photo question is no."""
    from consent.models import Answer, Scope

    return Answer.objects.filter(
        given=False,
        purpose__removed_at__isnull=True,
        purpose__current__scope=Scope.CLASS,
        version__number__gte=F("purpose__current__asked_from"),
        pupil__guardianships__guardian_id=F("guardian_id"),
    ).values("pupil_id")


def allowing_schools() -> QuerySet:
    from consent.models import ConsentSettings

    return ConsentSettings.objects.filter(child_avatars=True).values("school_id")


def avatars_shown_to(viewer) -> QuerySet[Pupil]:
    """THE rule for a child's avatar: the children whose avatar the viewer may see (see the module)."""
    from schools.queries import enrolled_now, groups_staffed_by

    if not is_signed_in(viewer):
        return Pupil.objects.none()
    own = Guardianship.objects.filter(guardian=viewer).values("pupil_id")
    taught = enrolled_now().filter(group__in=groups_staffed_by(viewer)).values("pupil_id")
    return (
        Pupil.objects.filter(school_id__in=allowing_schools())
        .filter(Q(id__in=own) | Q(id__in=taught))
        .exclude(id__in=photo_refused())
    )


def avatars_managed_by(viewer) -> QuerySet[Pupil]:
    """Of those, the viewer's own children: their parents also see an avatar still being processed."""
    if not is_signed_in(viewer):
        return Pupil.objects.none()
    return avatars_shown_to(viewer).filter(guardianships__guardian=viewer)


def avatar_files(pupil_ids) -> QuerySet:
    """Every file carried by these pupils (whoever may see them: for replacing and deleting)."""
    from media.models import MediaFile

    return MediaFile.objects.filter(
        carrier_type=ContentType.objects.get_for_model(Pupil), carrier_id__in=pupil_ids
    )


# --- Reading ---------------------------------------------------------------------------------------------


def avatars_allowed(school) -> bool:
    from consent.queries import settings_of

    return settings_of(school).child_avatars


def is_photo_refused(pupil: Pupil) -> bool:
    return photo_refused().filter(pupil_id=pupil.id).exists()


def with_avatars(viewer, pupils: list[Pupil]) -> list[Pupil]:
    """Give each pupil `avatar`: the URL of its small photo if the viewer may see one, else "".

    Two queries however many pupils: the files through the owner (files_shown_to), and their renditions.
    """
    from media.models import MediaFile
    from media.queries import files_shown_to, with_display

    for pupil in pupils:
        pupil.avatar = ""
    if not pupils:
        return pupils
    ids = [pupil.id for pupil in pupils]
    files = files_shown_to(viewer, Pupil, ids).filter(status=MediaFile.Status.READY)
    by_pupil = {media.carrier_id: media for media in with_display(files)}
    for pupil in pupils:
        media = by_pupil.get(pupil.id)
        pupil.avatar = media.display.thumb if media else ""
    return pupils


def avatar_of(viewer, pupil: Pupil):
    """The child's avatar file as the viewer may see it (processing ones for its parents), with display
    URLs; None when there is none or it is not shown to them."""
    from media.queries import files_shown_to, with_display

    found = with_display(files_shown_to(viewer, Pupil, [pupil.id])[:1])
    return found[0] if found else None


def with_avatar_states(viewer, children) -> list:
    """Give each of the parent's children (ChildPreferences) what their page shows of the avatar: whether
    the school allows one (`avatar_allowed`), whether consent refuses it (`avatar_refused`), the file as the
    parent sees it (`avatar`, or None) and whether any exists (`avatar_exists`: one the parent does not see,
    another parent's with consent refused, can still be removed). Five queries however many children."""
    from media.queries import files_shown_to, with_display

    ids = [child.pupil.id for child in children]
    schools = {child.pupil.school_id for child in children}
    allowing = set(allowing_schools().filter(school_id__in=schools).values_list("school_id", flat=True))
    refused = set(photo_refused().filter(pupil_id__in=ids).values_list("pupil_id", flat=True))
    shown = {media.carrier_id: media for media in with_display(files_shown_to(viewer, Pupil, ids))}
    existing = set(avatar_files(ids).values_list("carrier_id", flat=True))
    for child in children:
        pupil = child.pupil
        child.avatar_allowed = pupil.school_id in allowing
        child.avatar_refused = child.avatar_allowed and pupil.id in refused
        child.avatar = shown.get(pupil.id)
        child.avatar_exists = pupil.id in existing
    return children


# --- Changing --------------------------------------------------------------------------------------------


def check_avatar_allowed(pupil: Pupil) -> None:
    if not avatars_allowed(pupil.school):
        raise Invalid(_("This school does not use photos of the children in the picker."), code="avatars_off")
    if is_photo_refused(pupil):
        raise Invalid(
            _("A parent said no to photos of %(child)s in the class group, so no photo can be added.")
            % {"child": pupil.first_name},
            code="photo_refused",
        )


def check_set_avatar(*, acting_user, pupil: Pupil, upload: UploadedFile):
    """Put a parent's photo of their child (accessed through access_own_child) in place of the previous
    one; the previous one and its bytes go once the new one is stored."""
    from media.actions import check_upload, do_purge_files
    from media.failures import MediaRefused
    from media.models import MediaFile
    from media.storage import remove_quarantined

    check_avatar_allowed(pupil)
    with transaction.atomic():
        previous = list(avatar_files([pupil.id]).values_list("id", flat=True))
        media = check_upload(acting_user=acting_user, school=pupil.school, upload=upload, carrier=pupil)
        if media.kind != MediaFile.Kind.PHOTO:
            # The refusal rolls the new row back; its quarantined bytes are removed here.
            remove_quarantined(media.quarantine_name)
            raise MediaRefused(_("Choose a photo (JPEG, PNG, HEIC or WebP)."), code="not_a_photo")
        do_purge_files(MediaFile.objects.filter(id__in=previous))
        record(actor=acting_user, action="consent.avatar_set", target=pupil, school=pupil.school)
    return media


def do_remove_avatar(*, acting_user, pupil: Pupil) -> int:
    """Remove the child's avatar (always possible for its parent, even when the school no longer allows
    avatars or consent says no); how many files went."""
    from media.actions import do_purge_files

    with transaction.atomic():
        removed = do_purge_files(avatar_files([pupil.id]))
        if removed:
            record(actor=acting_user, action="consent.avatar_removed", target=pupil, school=pupil.school)
    return removed


def keep_avatars_small(media, processed):
    """media.actions READY_HOOKS: a child's avatar keeps only its smallest display size (a picker shows it
    at 2 rem); the larger renditions are deleted with their bytes before the file is ready."""
    from media.actions import do_drop_renditions

    def apply():
        if media.carrier_type_id != ContentType.objects.get_for_model(Pupil).id:
            return
        do_drop_renditions(media=media, keep=lambda name: name.split(".")[0] in {str(AVATAR_SIZE), "poster"})

    return apply


def do_set_child_avatars(*, acting_user, school, enabled: bool):
    """The school's choice (director or office, through access_consent_school). Turning it off hides every
    avatar at once (the rule asks the setting); their parents can still remove them, and turning it on
    again shows them again."""
    from consent.models import ConsentSettings

    with transaction.atomic():
        settings, _created = ConsentSettings.objects.update_or_create(
            school=school, defaults={"child_avatars": enabled}
        )
        record(actor=acting_user, action="consent.setting_changed", school=school, child_avatars=enabled)
    return settings
