"""Facts about an event's subject that the publisher left out, looked up once in the worker."""

from notifications.models import Dispatch

EMAIL_TEXT_LIMIT = 2000


def enrich(dispatch: Dispatch) -> None:
    """Give a post's event its groups (for per-group preferences) and its text (for the email)."""
    if dispatch.subject_type != "post" or "group_ids" in dispatch.data:
        return
    from posts.models import Post
    from posts.text import plain_text

    post = Post.objects.filter(public_id=dispatch.subject_id, hidden_at=None).first()
    if post is None:
        return
    text = "\n\n".join(part for part in (plain_text(post.title), plain_text(post.body)) if part)
    dispatch.data = {
        **dispatch.data,
        "group_ids": list(post.groups.values_list("public_id", flat=True)),
        "text": text[:EMAIL_TEXT_LIMIT],
    }
    Dispatch.objects.filter(pk=dispatch.pk).update(data=dispatch.data)
