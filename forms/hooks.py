"""What forms registers with other apps: its panel under a post, and its notifications' subject."""

from django.urls import reverse


def post_panel(viewer, post):
    """The forms under a post: a link to answer for the families, to the results for those who manage it."""
    from forms.queries import forms_managed_by, forms_of_post, posts_taking_forms_from
    from posts.attachments import Panel

    forms = forms_of_post(viewer, post)
    managed = set(forms_managed_by(viewer).filter(post=post).values_list("id", flat=True)) if forms else set()
    may_add = post.published_at is not None and posts_taking_forms_from(viewer).filter(pk=post.pk).exists()
    if not forms and not may_add:
        return []
    add_url = reverse("forms:form_new") + f"?post={post.public_id}" if may_add else ""
    return [Panel("forms/_post_panel.html", {"forms": forms, "managed": managed, "add_url": add_url})]


def register_hooks() -> None:
    from forms.queries import forms_visible_to
    from notifications.subjects import register_subject
    from posts.attachments import register_post_panel

    register_post_panel(post_panel)
    register_subject("form", visible_to=forms_visible_to)
