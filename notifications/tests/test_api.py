from django.utils import translation

from core.testing import PersonaTestCase
from notifications.models import Notification, Preference, PushSubscription
from notifications.tests.helpers import SAMPLE_AUTH, SAMPLE_P256DH, deliver_now, post_event

WITHOUT_ZONE = "Give a time of day on the school's clock, without a time zone (e.g. 07:30)."


class ApiTestCase(PersonaTestCase):
    def api(self, method, path, data=None):
        send = getattr(self.client, method)
        if data is None:
            return send(f"/api/v1/notifications{path}")
        return send(f"/api/v1/notifications{path}", data, content_type="application/json")


class TestListApi(ApiTestCase):
    def test_it_lists_mine_with_translated_titles_and_the_unread_count(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent, self.world.outsider]))
        self.login("parent")
        data = self.api("get", "/").json()
        assert data["count"] == 1
        [item] = data["items"]
        assert item["url"] == "/posts/PostPostPost0001/" and item["read_at"] is None
        assert self.api("get", "/unread").json() == {"unread": 1}

    def test_it_marks_one_read_and_404s_someone_elses(self):
        item = deliver_now(post_event(self.world, recipients=[self.world.parent])).notifications.get()
        self.login("outsider")
        assert self.api("post", f"/{item.public_id}/read", {}).status_code == 404
        self.login("parent")
        assert self.api("post", f"/{item.public_id}/read", {}).json()["read_at"] is not None
        assert not Notification.objects.filter(read_at=None).exists()


class TestPreferencesApi(ApiTestCase):
    def test_it_sets_a_preference_for_one_of_my_groups(self):
        self.login("parent")
        data = {
            "kind": "post.published",
            "group_id": self.world.group6.public_id,
            "push": False,
            "email": True,
            "digest": False,
        }
        response = self.api("put", "/preferences", data)
        assert response.status_code == 200
        rows = response.json()["preferences"]
        assert {
            "kind": "post.published",
            "group_id": self.world.group6.public_id,
            "push": False,
            "email": True,
            "digest": False,
        } in rows
        assert Preference.objects.get(user=self.world.parent, group=self.world.group6).email is True

    def test_it_refuses_an_unknown_kind_with_a_json_message(self):
        self.login("parent")
        response = self.api(
            "put", "/preferences", {"kind": "spam", "push": True, "email": True, "digest": True}
        )
        assert response.status_code == 422 and response.json()["detail"]
        assert not Preference.objects.exists()

    def test_it_sets_quiet_hours_and_the_digest(self):
        self.login("parent")
        response = self.api(
            "put", "/preferences/settings", {"quiet_from": "20:00", "quiet_until": "08:00", "digest": "off"}
        )
        assert response.json()["settings"] == {
            "quiet_from": "20:00:00",
            "quiet_until": "08:00:00",
            "digest": "off",
            "push_names": True,  # left out of the request: unchanged
        }

    def test_it_refuses_a_quiet_hour_with_a_time_zone_with_a_422(self):
        # Quiet hours are times on the school's clock; "00:00:00Z" used to end in a 500.
        self.login("parent")
        data = {"quiet_from": "00:00:00Z", "quiet_until": "07:00", "digest": "off"}
        response = self.api("put", "/preferences/settings", data)
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["loc"][-1] == "quiet_from"
        with translation.override("nl"):
            assert translation.gettext(WITHOUT_ZONE) in error["msg"]
        assert self.api("get", "/preferences").json()["settings"]["quiet_from"] != "00:00:00"


class TestPushSubscriptionsApi(ApiTestCase):
    def test_it_registers_a_device_and_gives_the_server_key(self):
        self.login("parent")
        key = self.api("get", "/push-key").json()["public_key"]
        assert len(key) == 87  # 65 raw bytes, base64url
        data = {"endpoint": "https://push.example.test/d1", "p256dh": SAMPLE_P256DH, "auth": SAMPLE_AUTH}
        response = self.api("post", "/push-subscriptions", data)
        assert response.status_code == 201
        sub = PushSubscription.objects.get(user=self.world.parent)
        self.login("outsider")
        assert self.api("delete", f"/push-subscriptions/{sub.public_id}").status_code == 404
        self.login("parent")
        assert self.api("delete", f"/push-subscriptions/{sub.public_id}").status_code == 204
        assert not PushSubscription.objects.exists()

    def test_it_refuses_a_non_http_endpoint(self):
        self.login("parent")
        data = {"endpoint": "javascript:alert(1)", "p256dh": SAMPLE_P256DH, "auth": SAMPLE_AUTH}
        assert self.api("post", "/push-subscriptions", data).status_code == 422
        assert not PushSubscription.objects.exists()


class TestReportApi(ApiTestCase):
    def test_it_reports_to_the_director(self):
        deliver_now(post_event(self.world, recipients=[self.world.parent, self.world.co_parent]))
        self.login("director")
        data = self.api("get", "/reports/post/PostPostPost0001").json()
        assert (data["recipients"], data["in_digest"], data["failed"]) == (2, 2, 0)
