import datetime

from django.utils import timezone

from notifications.models import KINDS, Notification
from notifications.tests.helpers import deliver_now, post_event
from posts.tests.helpers import PostsTestCase


class TestNotificationTriage(PostsTestCase):
    def test_it_shows_the_posts_title_author_and_first_line_grouped_per_day(self):
        post = self.post(title="Luizencontrole", body="<p>Woensdag kijken we alle kinderen na.</p>")
        deliver_now(post_event(self.world, recipients=[self.world.parent], subject_id=post.public_id))
        parent = [self.world.parent]
        old = deliver_now(post_event(self.world, recipients=parent, subject_id="PostPostPost0002"))
        last_week = timezone.now() - datetime.timedelta(days=7)
        Notification.objects.filter(dispatch=old).update(created_at=last_week)
        html = self.login("parent").get("/notifications/").content.decode()
        assert html.count('class="notice-day"') == 2 and "Vandaag" in html
        assert "Luizencontrole" in html and "Woensdag kijken we alle kinderen na." in html
        assert "Anna Jansen" in html and "Nieuw bericht in Groep 3" in html

    def test_it_shows_nothing_more_of_a_post_the_reader_may_no_longer_see(self):
        post = self.post(title="Luizencontrole", body="<p>Woensdag kijken we alle kinderen na.</p>")
        deliver_now(post_event(self.world, recipients=[self.world.parent], subject_id=post.public_id))
        post.hidden_at = timezone.now()
        post.save(update_fields=["hidden_at"])
        html = self.login("parent").get("/notifications/").content.decode()
        assert "Nieuw bericht in Groep 3" in html
        assert "Luizencontrole" not in html and "Woensdag" not in html

    def test_it_lists_every_kind_of_notice_once_as_toggles_with_labels_of_its_own(self):
        html = self.login("parent").get("/notifications/preferences/").content.decode()
        assert "<table" not in html
        legends = [part.split("</legend>")[0] for part in html.split("<legend>")[1:]]
        assert len(legends) == len(KINDS) and len(set(legends)) == len(legends), legends
