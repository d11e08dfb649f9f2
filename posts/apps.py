from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("posts")

    def ready(self):
        from media.carriers import register_carrier
        from notifications.rules import register_kind
        from notifications.subjects import register_headline
        from posts.actions import do_publish_when_files_settled
        from posts.models import Post
        from posts.queries import post_headlines, posts_managed_by, posts_visible_to
        from posts.reportables import register_reportables
        from posts.translatables import register_translatables

        # A post's files: seen by whoever sees the post, managed by its author and its groups' staff.
        # A post waiting for its files is published as soon as the last one is ready.
        register_carrier(
            Post,
            visible_to=posts_visible_to,
            managed_by=posts_managed_by,
            settled=lambda post_id: do_publish_when_files_settled(post_id=post_id),
        )
        register_reportables()
        register_translatables()
        register_headline("post", headlines=post_headlines)
        # Notices without a line on the preferences page: to the class's teachers and the director, a class
        # parent's post waits for approval; to its author, it was not approved (with the reason, in the app).
        register_kind("post.awaiting_approval", push=True, email=False, digest=False)
        register_kind("post.rejected", push=True, email=False, digest=False)
