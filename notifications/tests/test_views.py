from django.core import signing

from core.testing import PersonaTestCase
from notifications.models import Notification, Preference
from notifications.models import Settings as NotificationSettings
from notifications.sending import UNSUBSCRIBE_SALT
from notifications.tests.helpers import deliver_now, post_event


class TestNotificationList(PersonaTestCase):
    def test_it_lists_my_notifications_newest_first_with_the_unread_badge(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent], subject_id="PostPostPost0001"))
        deliver_now(post_event(self.world, recipients=[self.world.parent], subject_id="PostPostPost0002"))
        deliver_now(post_event(self.world, recipients=[self.world.outsider], subject_id="PostPostPost0003"))
        self.login("parent")
        response = self.client.get("/notifications/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('data-testid="notification"') == 2
        assert 'data-testid="nav-notifications"' in html and "2 ongelezen" in html

    def test_it_counts_unread_in_one_query_for_the_badge(self):
        from notifications.queries import unread_count

        deliver_now(post_event(self.world, recipients=[self.world.parent]))
        with self.assertNumQueries(1):
            assert unread_count(self.world.parent) == 1

    def test_it_costs_the_same_queries_for_3_or_30_items(self):
        self.login("parent")
        for number in range(3):
            deliver_now(
                post_event(self.world, recipients=[self.world.parent], subject_id=f"PostPostPost{number:04d}")
            )
        self.client.get("/notifications/")
        # Session, user, page count, the items, the reader's groups (resolved once per request: core.viewer),
        # their posts' titles (one query per subject type), the badge.
        with self.assertNumQueries(7) as few:
            self.client.get("/notifications/")
        for number in range(3, 30):
            deliver_now(
                post_event(self.world, recipients=[self.world.parent], subject_id=f"PostPostPost{number:04d}")
            )
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get("/notifications/")
        assert response.content.decode().count('data-testid="notification"') == 30

    def test_it_shows_an_outsider_only_their_own_empty_list(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent]))
        self.login("outsider")
        response = self.client.get("/notifications/")
        assert b'data-testid="notification"' not in response.content


class TestNotificationOpen(PersonaTestCase):
    def test_it_marks_read_and_goes_to_the_item(self):
        dispatch = deliver_now(post_event(self.world, recipients=[self.world.parent]))
        item = dispatch.notifications.get()
        self.login("parent")
        response = self.client.post(f"/notifications/{item.public_id}/open/")
        assert response.status_code == 302 and response["Location"] == "/posts/PostPostPost0001/"
        item.refresh_from_db()
        assert item.read_at is not None

    def test_it_answers_404_for_someone_elses_item(self):
        item = deliver_now(post_event(self.world, recipients=[self.world.parent])).notifications.get()
        self.login("co_parent")
        assert self.client.post(f"/notifications/{item.public_id}/open/").status_code == 404
        item.refresh_from_db()
        assert item.read_at is None

    def test_it_never_redirects_off_site(self):
        event = post_event(self.world, recipients=[self.world.parent])
        event = type(event)(**{**event.__dict__, "url": "https://evil.example/"})
        item = deliver_now(event).notifications.get()
        self.login("parent")
        assert self.client.post(f"/notifications/{item.public_id}/open/")["Location"] == "/notifications/"


class TestReadAll(PersonaTestCase):
    def test_it_marks_only_my_items_read(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent, self.world.outsider]))
        self.login("parent")
        self.client.post("/notifications/read-all/")
        assert not Notification.objects.filter(user=self.world.parent, read_at=None).exists()
        assert Notification.objects.filter(user=self.world.outsider, read_at=None).count() == 1


class TestPreferences(PersonaTestCase):
    def form(self, **overrides):
        data = {"quiet_from": "22:00", "quiet_until": "06:30", "digest": "daily"}
        for kind in ("post_published", "message_created", "event_reminder", "absence_decided"):
            data[f"{kind}__push"] = "on"
        data.update(overrides)
        return data

    def test_it_shows_the_defaults(self):
        self.login("parent")
        response = self.client.get("/notifications/preferences/")
        form = response.context["form"]
        assert form["post_published__push"].value() is True
        assert form["post_published__email"].value() is False
        assert form["post_published__digest"].value() is True
        assert str(form["quiet_from"].value()) == "21:00:00"

    def test_it_saves_quiet_hours_digest_and_channels(self):
        self.login("parent")
        response = self.client.post("/notifications/preferences/", self.form(post_published__email="on"))
        assert response.status_code == 302
        settings = NotificationSettings.objects.get(user=self.world.parent)
        assert (str(settings.quiet_from), str(settings.quiet_until), settings.digest) == (
            "22:00:00",
            "06:30:00",
            "daily",
        )
        pref = Preference.objects.get(user=self.world.parent, kind="post.published", group=None)
        assert (pref.push, pref.email, pref.digest) == (True, True, False)

    def test_it_saves_nothing_for_a_bad_time(self):
        self.login("parent")
        response = self.client.post("/notifications/preferences/", self.form(quiet_from="25:99"))
        assert response.status_code == 200
        assert response.context["form"].errors["quiet_from"]
        assert not NotificationSettings.objects.filter(user=self.world.parent).exists()
        assert not Preference.objects.filter(user=self.world.parent).exists()


class TestDigestPreview(PersonaTestCase):
    def test_it_shows_what_the_next_digest_holds(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent]))
        self.login("parent")
        response = self.client.get("/notifications/digest/")
        assert response.content.decode().count('data-testid="digest-item"') == 1
        assert "gymschoenen" in response.content.decode()

    def test_it_says_when_nothing_is_new(self):
        self.login("outsider")
        response = self.client.get("/notifications/digest/")
        assert b'data-testid="digest-item"' not in response.content


class TestDeliveryReport(PersonaTestCase):
    def test_it_counts_the_ledger_for_the_author(self):
        deliver_now(
            post_event(
                self.world, recipients=[self.world.parent, self.world.co_parent, self.world.class_parent]
            )
        )
        self.login("teacher")
        response = self.client.get("/notifications/report/post/PostPostPost0001/")
        report = response.context["report"]
        assert (report.recipients, report.in_digest, report.email_sent) == (3, 3, 0)
        assert report.skipped == {"push: geen apparaat": 3}

    def test_it_is_a_404_for_a_teacher_who_did_not_write_it_and_for_parents(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent]))
        for persona in ("duo_teacher", "parent", "other_school_parent"):
            self.login(persona)
            assert self.client.get("/notifications/report/post/PostPostPost0001/").status_code == 404

    def test_it_shows_the_director_any_report_of_the_school(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent]))
        self.login("director")
        assert self.client.get("/notifications/report/post/PostPostPost0001/").status_code == 200


class TestUnsubscribe(PersonaTestCase):
    def token(self, kind):
        return signing.dumps(
            {"u": self.world.parent.public_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True
        )

    def test_it_asks_before_it_acts_on_a_plain_visit(self):
        response = self.client.get(f"/notifications/unsubscribe/{self.token('digest')}/")
        assert response.status_code == 200
        assert not NotificationSettings.objects.filter(user=self.world.parent).exists()

    def test_it_turns_the_digest_off_with_one_click(self):
        response = self.client.post(
            f"/notifications/unsubscribe/{self.token('digest')}/", {"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 200
        assert NotificationSettings.objects.get(user=self.world.parent).digest == "off"

    def test_it_refuses_a_tampered_token(self):
        token = self.token("post.published")[:-2] + "xx"
        assert self.client.post(f"/notifications/unsubscribe/{token}/").status_code == 404
        assert not Preference.objects.exists()


class TestServiceWorkerAndManifest(PersonaTestCase):
    def test_it_serves_the_worker_for_the_whole_site(self):
        response = self.client.get("/notifications/sw.js")
        assert response["Service-Worker-Allowed"] == "/"
        assert response["Content-Type"].startswith("application/javascript")
        assert b'addEventListener("push"' in response.content

    def test_it_serves_an_installable_manifest(self):
        data = self.client.get("/notifications/manifest.webmanifest").json()
        assert data["display"] == "standalone" and data["start_url"] == "/"
        assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
        from django.contrib.staticfiles import finders
        from PIL import Image

        for icon in data["icons"]:
            with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
