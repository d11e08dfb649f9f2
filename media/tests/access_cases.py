from core.access_matrix import AccessCase

OUTSIDERS = ("outsider", "other_teacher", "other_school_parent", "other_board_parent")


def ready_photo(world) -> str:
    """A processed photo among the files of Groep 3, uploaded by its teacher, through the real pipeline."""
    from media import actions
    from media.tests.helpers import jpeg_bytes, upload_of

    media = actions.check_upload(
        acting_user=world.teacher,
        school=world.school,
        upload=upload_of("klassenfoto.jpg", jpeg_bytes(320, 240)),
        carrier=world.group3,
    )
    actions.do_process_media(media_id=media.id)  # the test transaction never commits: run it here
    return media.public_id


def group3(world) -> str:
    return world.group3.public_id


CASES = [
    AccessCase(
        key="media:group_files",
        path=lambda w: f"/media/groups/{group3(w)}/",
        allowed="parent",
        outsiders=OUTSIDERS,
    ),
    AccessCase(
        key="media:group_upload",
        path=lambda w: f"/media/groups/{group3(w)}/upload/",
        method="post",
        allowed="teacher",
        allowed_status=302,  # no files chosen: back to the page with the message
        outsiders=("parent", *OUTSIDERS),
    ),
    AccessCase(
        key="media:media_delete",
        path=lambda w: f"/media/{ready_photo(w)}/delete/",
        method="post",
        allowed="teacher",
        allowed_status=302,
        outsiders=("parent", *OUTSIDERS),
    ),
    AccessCase(
        key="media:rendition",
        path=lambda w: f"/media/{ready_photo(w)}/1/400.webp",
        allowed="parent",
        outsiders=OUTSIDERS,
    ),
    AccessCase(
        key="api:media/uploads",
        path=lambda w: "/api/v1/media/uploads",
        kind="api",
        method="post",
        allowed="parent",
        allowed_status=422,  # a JSON body carries no file; every signed-in member may upload
    ),
    AccessCase(
        key="api:media/<media_id>",
        path=lambda w: f"/api/v1/media/{ready_photo(w)}",
        kind="api",
        allowed="parent",
        outsiders=OUTSIDERS,
    ),
    AccessCase(
        key="api:media/<media_id>",
        path=lambda w: f"/api/v1/media/{ready_photo(w)}",
        kind="api",
        method="delete",
        allowed="teacher",
        allowed_status=204,
        outsiders=("parent", *OUTSIDERS),
    ),
    AccessCase(
        key="api:media/groups/<group_id>/files",
        path=lambda w: f"/api/v1/media/groups/{group3(w)}/files",
        kind="api",
        allowed="parent",
        outsiders=OUTSIDERS,
    ),
    AccessCase(
        key="api:media/groups/<group_id>/files",
        path=lambda w: f"/api/v1/media/groups/{group3(w)}/files",
        kind="api",
        method="post",
        data={"media_ids": []},
        allowed="teacher",
        outsiders=("parent", *OUTSIDERS),
    ),
]
