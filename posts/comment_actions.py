"""State changes around posts that are not the post itself: comments, reactions, timeline settings.

(Kept apart from posts.actions, which holds the post's own life cycle, so neither grows past 600 lines.)
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record
from core.refusals import Invalid
from moderation.hooks import hold_if_screened
from posts.actions import check_not_read_only
from posts.models import Comment, GroupTimelineSettings, Post, Reaction, SchoolTimelineSettings
from posts.queries import group_labels_of, talk_open
from schools.models import Group
from schools.queries import groups_staffed_by, schools_administered_by, schools_directed_by

COMMENT_MAX = 1000


def check_comment(*, acting_user, post: Post, body: str) -> Comment:
    """A short plain-text comment, where the post's groups have comments on."""
    body = (body or "").strip()
    groups = group_labels_of(post)
    check_not_read_only(post, groups)
    if not talk_open(post, groups):
        raise Invalid(_("Comments are off for this post."), code="closed")
    if not body:
        raise Invalid(_("Write a comment first."), code="empty")
    if len(body) > COMMENT_MAX:
        raise Invalid(_("A comment has at most 1000 characters."), code="too_long")
    with transaction.atomic():
        comment = Comment.objects.create(post=post, author=acting_user, body=body)
        # A comment that hits the word lists is held (hidden) for staff review before others see it.
        hold_if_screened(item=comment, text=body, school=post.school)
        record(
            actor=acting_user,
            action="post.commented",
            target=post,
            school=post.school,
            comment=comment.public_id,
        )
    return comment


def do_delete_comment(*, acting_user, comment: Comment) -> None:
    with transaction.atomic():
        record(
            actor=acting_user,
            action="comment.deleted",
            target=comment,
            school=comment.post.school,
            post=comment.post.public_id,
        )
        comment.delete()


def check_react(*, acting_user, post: Post, kind: str) -> Reaction | None:
    """Give one reaction to a post; the same one again takes it back."""
    groups = group_labels_of(post)
    check_not_read_only(post, groups)
    if not talk_open(post, groups):
        raise Invalid(_("Reactions are off for this post."), code="closed")
    if kind not in Reaction.Kind.values:
        raise Invalid(_("Choose one of the reactions."), code="kind")
    with transaction.atomic():
        current = Reaction.objects.select_for_update().filter(post=post, user=acting_user).first()
        if current is not None and current.kind == kind:
            current.delete()
            return None
        reaction, _created = Reaction.objects.update_or_create(
            post=post, user=acting_user, defaults={"kind": kind}
        )
    return reaction


def check_set_comments(*, acting_user, group: Group, enabled: bool) -> GroupTimelineSettings:
    """Turn comments and reactions on or off for a group: its staff for a class, the director for the
    school-wide group."""
    if group.is_school_wide:
        allowed = schools_directed_by(acting_user).filter(id=group.school_id).exists()
    else:
        allowed = groups_staffed_by(acting_user).filter(id=group.id).exists()
    if not allowed and group.is_school_wide:
        raise Invalid(_("Only the director can turn on comments for the whole school."), code="not_allowed")
    if not allowed:
        raise Invalid(_("Only the teachers of this group can change this."), code="not_allowed")
    with transaction.atomic():
        found, _created = GroupTimelineSettings.objects.update_or_create(
            group=group, defaults={"comments_enabled": enabled}
        )
        record(
            actor=acting_user, action="group.comments_set", target=group, school=group.school, enabled=enabled
        )
    return found


def check_update_timeline_settings(
    *, acting_user, school, class_parent_posts_need_approval: bool, photo_download_allowed: bool
) -> SchoolTimelineSettings:
    """The school's timeline choices, by its director or office."""
    if not schools_administered_by(acting_user).filter(id=school.id).exists():
        raise Invalid(_("Only the school's director or office can change this."), code="not_allowed")
    with transaction.atomic():
        found, _created = SchoolTimelineSettings.objects.update_or_create(
            school=school,
            defaults={
                "class_parent_posts_need_approval": class_parent_posts_need_approval,
                "photo_download_allowed": photo_download_allowed,
            },
        )
        record(
            actor=acting_user,
            action="school.timeline_settings",
            target=school,
            school=school,
            class_parent_posts_need_approval=class_parent_posts_need_approval,
            photo_download_allowed=photo_download_allowed,
        )
    return found
