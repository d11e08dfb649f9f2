"""Who reaches translation's URLs. The matrix runs without an engine: asking for a translation then answers
422 ("this school does not translate") to a reader who may see the text, and 404 to everyone else first,
which is the point: access is decided by the text's owner before the engine is even looked at."""

from core.access_matrix import AccessCase
from translation.models import GlossaryTerm, ReadingPreference

STRANGERS = ("outsider", "other_school_parent", "other_board_parent")
NOT_ADMIN = ("teacher", "parent", "outsider", "other_school_parent", "other_board_parent")


# Case data is fixed, so the post asked about through the API gets a known public id.
POST_ID = "matrix-post-tr01"


def a_post(w) -> str:
    from posts.actions import Draft, check_publish_post

    post = check_publish_post(
        acting_user=_verified(w.teacher),
        groups=[w.group3],
        draft=Draft(title="Studiedag", body="<p>morgen</p>"),
    )
    return post.public_id


def a_known_post(w) -> str:
    from posts.models import Post

    if not Post.objects.filter(public_id=POST_ID).exists():  # one world may build every case's path
        Post.objects.filter(public_id=a_post(w)).update(public_id=POST_ID)
    return POST_ID


def _verified(user):
    from core.viewer import verified

    return verified(user)


def a_message(w) -> str:
    from conversations.tests.helpers import class_conversation

    return class_conversation(w).messages.get().public_id


def with_language(path: str):
    def build(w) -> str:
        ReadingPreference.objects.update_or_create(user=w.parent, defaults={"language": "uk", "always": True})
        return path

    return build


def glossary_term(w) -> str:
    term = GlossaryTerm.objects.create(school=w.school, term="studiedag", language="ar", translation="يوم")
    return f"/translate/glossary/{term.public_id}/delete/"


def school(w) -> str:
    return f"/translate/school/{w.school.public_id}/"


CASES = [
    AccessCase(
        key="translation:translated",
        path=lambda w: f"/translate/post/{a_post(w)}/?to=ar",
        allowed="parent",
        outsiders=STRANGERS,
        allowed_status=422,
    ),
    AccessCase(
        key="translation:translated",
        path=lambda w: f"/translate/message/{a_message(w)}/?to=nl",
        allowed="teacher",
        outsiders=("other_teacher", "class_parent", *STRANGERS),
        allowed_status=422,
    ),
    AccessCase(
        key="translation:original",
        path=lambda w: f"/translate/post/{a_post(w)}/original/",
        allowed="parent",
        outsiders=STRANGERS,
    ),
    AccessCase(
        key="translation:preferences",
        path=with_language("/translate/preferences/"),
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: '<option value="uk" selected>',
    ),
    AccessCase(
        key="translation:preferences",
        method="post",
        path=lambda w: "/translate/preferences/",
        data={"language": "ar", "always": "on"},
        allowed="parent",
        allowed_status=302,
    ),
    AccessCase(key="translation:school", path=school, allowed="director", outsiders=NOT_ADMIN),
    AccessCase(
        key="translation:school",
        method="post",
        path=school,
        data={"engine": "off"},
        allowed="director",
        outsiders=NOT_ADMIN,
        allowed_status=302,
    ),
    AccessCase(
        key="translation:glossary_delete",
        method="post",
        path=glossary_term,
        allowed="office",
        outsiders=NOT_ADMIN,
        allowed_status=302,
    ),
    AccessCase(
        key="api:translations",
        kind="api",
        method="post",
        path=lambda w: a_known_post(w) and "/api/v1/translations",
        data={"kind": "post", "id": POST_ID, "language": "ar"},
        allowed="parent",
        outsiders=STRANGERS,
        allowed_status=422,
    ),
    AccessCase(
        key="api:translations/preference",
        kind="api",
        path=with_language("/api/v1/translations/preference"),
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: '"uk"',
    ),
    AccessCase(
        key="api:translations/preference",
        kind="api",
        method="put",
        path=lambda w: "/api/v1/translations/preference",
        data={"language": "ar", "always": True},
        allowed="parent",
    ),
]
