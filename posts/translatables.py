"""What the timeline offers for translation: a post (its title and HTML body; an event's place and a help
request's tasks as details, in the same request and cache row) and a comment.

Who may read the translation is who may read the text: `access_post` and `access_comment` start from
`posts_visible_to`, and a comment must also pass `comments_shown_to` (a hidden one only for staff).
"""

from django.utils.translation import gettext_lazy as _

from core.refusals import NotFound
from posts.access import access_comment, access_post
from posts.models import Comment, Post, PostGroup
from posts.queries import comments_shown_to, posts_managed_by
from posts.text import clean_html


def _group_ids(post_id: int) -> list[int]:
    return list(PostGroup.objects.filter(post_id=post_id).values_list("group_id", flat=True))


def _post_names(post: Post) -> list[str]:
    from translation.queries import names_to_keep

    return names_to_keep(post.school_id, _group_ids(post.id))


def _post_details(post: Post) -> list[tuple[str, str]]:
    """An event's place and a help request's task names (read with the feed as `task_list`)."""
    details = [("place", post.location)] if post.is_event else []
    if post.is_help:
        tasks = getattr(post, "task_list", None)
        if tasks is None:
            tasks = list(post.tasks.all())
        details += [("task", task.name) for task in tasks]
    return details


def _access_comment(viewer, public_id: str) -> Comment:
    comment = access_comment(viewer, public_id)
    staff = posts_managed_by(viewer).filter(id=comment.post_id).exists()
    if not Comment.objects.filter(comments_shown_to(viewer, staff=staff), id=comment.id).exists():
        raise NotFound
    return comment


def _comment_names(comment: Comment) -> list[str]:
    from translation.queries import names_to_keep

    author = (comment.author.first_name, comment.author.last_name)
    return names_to_keep(comment.post.school_id, _group_ids(comment.post_id), extra=author)


def register_translatables() -> None:
    from translation.sources import Kind, register_kind

    register_kind(
        Kind(
            name="post",
            model=Post,
            access=access_post,
            load=lambda public_id: Post.objects.filter(public_id=public_id).first(),
            texts=lambda post: [post.title, post.body],
            html=(False, True),
            school_id=lambda post: post.school_id,
            names=_post_names,
            clean=clean_html,
            details=_post_details,
            labels={"place": _("Place"), "task": _("Task")},
        )
    )
    register_kind(
        Kind(
            name="comment",
            model=Comment,
            access=_access_comment,
            load=lambda public_id: (
                Comment.objects.select_related("post", "author").filter(public_id=public_id).first()
            ),
            texts=lambda comment: [comment.body],
            html=(False,),
            school_id=lambda comment: comment.post.school_id,
            names=_comment_names,
        )
    )
