"""A photo (any media file) among a group's files or on a post or message can be reported."""

from django.urls import reverse

from moderation.registry import Description, Preview, author_name, register_reportable, reportable_for


def register_reportables() -> None:
    from media.actions import do_delete_media
    from media.models import MediaFile
    from media.queries import display_of, visible_media
    from schools.models import Group

    def describe_media(media: MediaFile) -> Description:
        carrier = media.carrier
        if isinstance(carrier, Group):
            group = None if carrier.is_school_wide else carrier
            url = reverse("media:group_files", args=[carrier.public_id])
            return Description(school=media.school, group=group, label=carrier.name, url=url)
        # A post's or a message's photo is described like its carrier, by the carrier's own app.
        described = reportable_for(carrier)
        if described is not None:
            return described.describe(carrier)
        return Description(school=media.school, group=None, label=media.school.name)

    register_reportable(
        MediaFile,
        kind="photo",
        visible_to=visible_media,
        remove=lambda media, acting_user: do_delete_media(acting_user=acting_user, media=media),
        describe=describe_media,
        # Moderators manage the carrier, so the rendition URL answers them even while the file is hidden.
        preview=lambda media: Preview(
            author=author_name(media.uploaded_by),
            text=media.original_name,
            image_url=display_of(media).thumb or "",
        ),
    )
