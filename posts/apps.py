from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("posts")

    def ready(self):
        from media.carriers import register_carrier
        from notifications.subjects import register_headline
        from posts.models import Post
        from posts.queries import post_headlines, posts_managed_by, posts_visible_to
        from posts.reportables import register_reportables
        from posts.translatables import register_translatables

        # A post's files: seen by whoever sees the post, managed by its author and its groups' staff.
        register_carrier(Post, visible_to=posts_visible_to, managed_by=posts_managed_by)
        register_reportables()
        register_translatables()
        register_headline("post", headlines=post_headlines)
