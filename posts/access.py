"""Fetch-and-authorize for the timeline: not-yours answers 404, exactly like missing."""

from django.db.models import Q
from django.http import Http404

from posts.models import Comment, HelpTask, Post
from posts.queries import posts_managed_by, posts_visible_to


def access_post(viewer, public_id: str, *, write: bool = False) -> Post:
    """A post the viewer may see; with write=True, one the viewer may manage (author or group staff)."""
    posts = posts_managed_by(viewer) if write else posts_visible_to(viewer)
    post = posts.select_related("school", "author").filter(public_id=public_id).first()
    if post is None:
        raise Http404
    return post


def access_help_task(viewer, public_id: str) -> HelpTask:
    """A task of a published help request the viewer may see."""
    task = (
        HelpTask.objects.select_related("post")
        .filter(public_id=public_id, post__in=posts_visible_to(viewer), post__published_at__isnull=False)
        .first()
    )
    if task is None:
        raise Http404
    return task


def access_comment(viewer, public_id: str, *, write: bool = False) -> Comment:
    """A comment on a post the viewer sees; with write=True, the viewer's own or one on a post they manage."""
    comments = Comment.objects.filter(post__in=posts_visible_to(viewer))
    if write:
        comments = comments.filter(Q(author=viewer) | Q(post__in=posts_managed_by(viewer)))
    comment = comments.select_related("post__school").filter(public_id=public_id).first()
    if comment is None:
        raise Http404
    return comment
