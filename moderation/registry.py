"""What can be reported: each model registers how to find, describe, hide and remove its items.

Like media.carriers: the app that owns a model registers it (a photo now; posts, comments and messages
from their apps), and moderation never imports their internals.

    register_reportable(MediaFile, kind="photo", visible_to=..., moderators_of=..., hide=..., unhide=...,
                        remove=..., describe=...)

visible_to(viewer) -> QuerySet      the items the viewer may see (and so report); others are 404
moderators_of(item) -> QuerySet     the users who handle reports about it (the group's teachers, the director)
hide(item) / unhide(item)           set or clear the item's hidden_at (hidden for everyone but staff)
remove(item, acting_user)           delete the item for good
describe(item) -> Description       the school and class it belongs to, a privacy-safe label and its url
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet


@dataclass(frozen=True)
class Description:
    school: models.Model
    group: models.Model | None  # a class; None for school-wide items (the director handles them)
    label: str  # where it is, privacy-safe: never the text itself ("Groep 3")
    url: str = ""


@dataclass(frozen=True)
class Reportable:
    kind: str
    model: type[models.Model]
    visible_to: Callable[..., QuerySet]
    moderators_of: Callable[..., QuerySet]
    hide: Callable[..., None]
    unhide: Callable[..., None]
    remove: Callable[..., None]
    describe: Callable[..., Description]


_by_kind: dict[str, Reportable] = {}


def register_reportable(
    model: type[models.Model],
    *,
    kind: str,
    visible_to: Callable[..., QuerySet],
    moderators_of: Callable[..., QuerySet] | None = None,
    hide: Callable[..., None] | None = None,
    unhide: Callable[..., None] | None = None,
    remove: Callable[..., None],
    describe: Callable[..., Description],
) -> None:
    """Make `model` reportable under the name `kind`; hide/unhide default to its hidden_at field."""
    _by_kind[kind] = Reportable(
        kind=kind,
        model=model,
        visible_to=visible_to,
        moderators_of=moderators_of or (lambda item: moderators_of_place(describe(item))),
        hide=hide or set_hidden_at,
        unhide=unhide or clear_hidden_at,
        remove=remove,
        describe=describe,
    )


def reportable(kind: str) -> Reportable | None:
    return _by_kind.get(kind)


def reportable_for(item) -> Reportable | None:
    return next((entry for entry in _by_kind.values() if isinstance(item, entry.model)), None)


def registered_kinds() -> list[str]:
    return sorted(_by_kind)


def set_hidden_at(item) -> None:
    from django.utils import timezone

    type(item).objects.filter(pk=item.pk).update(hidden_at=timezone.now())


def clear_hidden_at(item) -> None:
    type(item).objects.filter(pk=item.pk).update(hidden_at=None)


def moderators_of_place(description: Description, *, groups=()) -> QuerySet:
    """The class's teachers (and those of any further classes) and the school's director(s)."""
    from django.db.models import Q

    from accounts.models import User
    from schools.models import StaffRole

    staff = Q(staff_roles__school=description.school, staff_roles__role=StaffRole.Role.DIRECTOR)
    classes = [group for group in [description.group, *groups] if group is not None]
    if classes:
        staff |= Q(teaching__group__in=classes)
    return User.objects.filter(staff, is_active=True).distinct()


def register_default_reportables() -> None:
    """Photos (any media file), posts and messages; comments once the timeline has them."""
    register_media()
    register_posts()
    register_comments()
    register_messages()


def register_posts() -> None:
    from django.urls import reverse

    from posts.actions import do_delete_post
    from posts.models import Post
    from posts.queries import posts_visible_to

    def classes_of(post: Post) -> list:
        return [group for group in post.groups.all() if not group.is_school_wide]

    def describe_post(post: Post) -> Description:
        # A post to several classes goes to the first class's queue; all their teachers are told.
        classes = classes_of(post)
        return Description(
            school=post.school,
            group=classes[0] if classes else None,
            label=", ".join(group.name for group in post.groups.all())[:200],
            url=reverse("posts:post_detail", args=[post.public_id]),
        )

    register_reportable(
        Post,
        kind="post",
        visible_to=posts_visible_to,
        moderators_of=lambda post: moderators_of_place(describe_post(post), groups=classes_of(post)),
        remove=lambda post, acting_user: do_delete_post(acting_user=acting_user, post=post),
        describe=describe_post,
    )


def register_comments() -> None:
    from posts.comment_actions import do_delete_comment
    from posts.models import Comment
    from posts.queries import posts_visible_to

    def describe_comment(comment: Comment) -> Description:
        return reportable("post").describe(comment.post)

    register_reportable(
        Comment,
        kind="comment",
        visible_to=lambda viewer: Comment.objects.filter(post__in=posts_visible_to(viewer)),
        moderators_of=lambda comment: reportable("post").moderators_of(comment.post),
        remove=lambda comment, acting_user: do_delete_comment(acting_user=acting_user, comment=comment),
        describe=describe_comment,
    )


def register_messages() -> None:
    from django.urls import reverse

    from conversations.models import Message
    from conversations.queries import messages_visible_to
    from core.audit import record

    def describe_message(message: Message) -> Description:
        conversation = message.conversation
        return Description(
            school=conversation.school,
            group=conversation.group,
            label=conversation.group.name if conversation.group_id else conversation.school.name,
            url=reverse("conversations:thread", args=[conversation.public_id]),
        )

    def remove_message(message: Message, acting_user) -> None:
        conversation = message.conversation
        record(actor=acting_user, action="message.removed", target=conversation, school=conversation.school)
        message.delete()

    register_reportable(
        Message,
        kind="message",
        visible_to=messages_visible_to,
        remove=remove_message,
        describe=describe_message,
    )


def register_media() -> None:
    """A photo (any media file) among a group's files or on a post or message."""
    from django.urls import reverse

    from media.actions import do_delete_media
    from media.models import MediaFile
    from media.queries import visible_media
    from schools.models import Group

    def describe_media(media: MediaFile) -> Description:
        carrier = media.carrier
        if isinstance(carrier, Group):
            group = None if carrier.is_school_wide else carrier
            url = reverse("media:group_files", args=[carrier.public_id])
            return Description(school=media.school, group=group, label=carrier.name, url=url)
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
    )
