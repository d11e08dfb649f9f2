"""What of the timeline can be reported: posts and comments, registered with moderation at start-up."""

from django.urls import reverse

from moderation.registry import (
    Description,
    Preview,
    author_name,
    moderators_of_place,
    register_reportable,
    reportable,
)


def register_reportables() -> None:
    from posts.actions import do_delete_post
    from posts.comment_actions import do_delete_comment
    from posts.models import Comment, Post
    from posts.queries import posts_visible_to
    from posts.text import plain_text

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
        preview=lambda post: Preview(
            author=author_name(post.author), text=f"{post.title}\n{plain_text(post.body)}".strip()
        ),
    )
    register_reportable(
        Comment,
        kind="comment",
        visible_to=lambda viewer: Comment.objects.filter(post__in=posts_visible_to(viewer)),
        moderators_of=lambda comment: reportable("post").moderators_of(comment.post),
        remove=lambda comment, acting_user: do_delete_comment(acting_user=acting_user, comment=comment),
        describe=lambda comment: describe_post(comment.post),
        preview=lambda comment: Preview(author=author_name(comment.author), text=comment.body),
    )
