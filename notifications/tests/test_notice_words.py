"""A notice says the same words everywhere: the in-app list, the email's subject and the push title
("Groep 3: Schoolreis"), composed in one place (Dispatch.title_in); a push to someone who turned names and
titles off says only "Nieuw bericht in Groep 3"."""

from core.viewer import verified
from notifications import actions
from notifications.models import Settings
from notifications.tests.test_real_events import RealEventsTestCase


class TestNoticeWords(RealEventsTestCase):
    def publish(self, title: str):
        from posts.actions import Draft, check_publish_post

        with self.committed():
            return check_publish_post(
                acting_user=verified(self.world.teacher),
                groups=[self.world.group3],
                draft=Draft(title=title, body="<p>Neem een lunchpakket mee.</p>"),
            )

    def test_the_list_the_email_and_the_push_say_group_and_title(self):
        w = self.world
        actions.do_set_preference(
            acting_user=w.parent, kind="post.published", group=None, push=True, email=True, digest=False
        )
        self.add_device(w.parent, "sanne")
        self.publish("Schoolreis")
        [email] = [m for m in self.inbox.messages if m["To"] == w.parent.email]
        [(_device, push)] = self.push.received
        html = self.login("parent").get("/notifications/").content.decode()
        api = self.client.get("/api/v1/notifications/").json()["items"]
        assert email["Subject"] == "Groep 3: Schoolreis"
        assert push["title"] == "Groep 3: Schoolreis"
        assert [item["title"] for item in api] == ["Groep 3: Schoolreis"]
        assert html.count("Groep 3: Schoolreis") == 1  # the title once, not again as the headline
        assert "Neem een lunchpakket mee." in html  # the first line of the post, in the app only

    def test_a_push_without_names_and_titles_says_only_where(self):
        w = self.world
        self.add_device(w.parent, "sanne")
        self.add_device(w.co_parent, "joost")
        Settings.objects.update_or_create(user=w.parent, defaults={"push_names": False})
        self.publish("Daan jarig!")
        titles = {device: payload["title"] for device, payload in self.push.received}
        assert titles == {"sanne": "Nieuw bericht in Groep 3", "joost": "Groep 3: Daan jarig!"}
        html = self.login("parent").get("/notifications/").content.decode()
        assert "Groep 3: Daan jarig!" in html  # in the app the words are whole

    def test_english_readers_get_the_same_words_in_english(self):
        w = self.world
        w.parent.language = "en"
        w.parent.save(update_fields=["language"])
        self.add_device(w.parent, "sanne")
        Settings.objects.update_or_create(user=w.parent, defaults={"push_names": False})
        self.publish("Schoolreis")
        [(_device, push)] = self.push.received
        assert push["title"] == "New post in Groep 3"
