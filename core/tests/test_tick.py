from io import StringIO

from django.core.management import call_command

from posts.models import Post
from posts.tests.helpers import PostsTestCase, in_days


class TestTickCommand(PostsTestCase):
    def test_it_runs_every_apps_periodic_work_once(self):
        post = self.post(publish_at=in_days(1))
        Post.objects.filter(id=post.id).update(publish_at=in_days(-0.01))
        out = StringIO()
        call_command("tick", verbosity=2, stdout=out)
        post.refresh_from_db()
        assert post.published_at is not None
        log = out.getvalue()
        assert "posts.periodic: {'published': 1, 'reminded': 0}" in log
        assert "notifications.periodic:" in log
