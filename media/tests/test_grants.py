import html
import re

from django.conf import settings
from django.test import Client, override_settings

from accounts.models import ApiToken, hash_token
from media import grants
from media.queries import rendition_url
from media.tests.helpers import MediaTestCase, jpeg_bytes
from media.tests.test_rendition_view import body


def granted_url(client, media, name: str = "400.webp") -> str:
    """The URL a page built for this client's session carries."""
    token = grants.grant_holder.set(client.cookies[settings.SESSION_COOKIE_NAME].value)
    try:
        return rendition_url(media, name)
    finally:
        grants.grant_holder.reset(token)


class TestRenditionGrants(MediaTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.upload(data=jpeg_bytes(1600, 1200))
        self.plain = rendition_url(self.media, "400.webp")

    def test_it_puts_grants_on_the_urls_of_a_page_for_its_session(self):
        client = self.login("parent")
        page = client.get(f"/media/groups/{self.world.group3.public_id}/").content.decode()
        urls = {html.unescape(url) for url in re.findall(r'src="([^"]+)"', page) if url.startswith("/media/")}
        self.assertTrue(urls)
        for url in urls:
            self.assertRegex(url, r"\?g=\d+\.[A-Za-z0-9_-]+$")
            with self.assertNumQueries(1):  # the rendition's row; no session, user or visibility check
                self.assertEqual(client.get(url).status_code, 200)
            with self.assertNumQueries(0):  # the row is kept by the process: its version is in the URL
                self.assertEqual(client.get(url).status_code, 200)

    def test_it_sends_the_same_bytes_and_headers_as_the_checked_path(self):
        client = self.login("parent")
        granted, checked = client.get(granted_url(client, self.media)), client.get(self.plain)
        self.assertEqual(body(granted), body(checked))
        for header in [
            "Content-Type",
            "ETag",
            "Cache-Control",
            "Content-Security-Policy",
            "Content-Disposition",
        ]:
            self.assertEqual(granted[header], checked[header], header)

    def test_a_grant_is_worth_nothing_in_another_session(self):
        url = granted_url(self.login("parent"), self.media)
        for persona in ["outsider", "other_teacher", "other_school_parent"]:
            with self.subTest(persona=persona):
                self.assertEqual(self.login(persona).get(url).status_code, 404)
        self.assertEqual(Client().get(url).status_code, 302)  # no session: to the login page

    def test_it_ends_with_the_session(self):
        client = self.login("parent")
        url = granted_url(client, self.media)
        client.post("/accounts/logout/")
        self.assertEqual(client.get(url).status_code, 302)

    def test_a_changed_grant_goes_through_the_whole_check(self):
        client = self.login("other_school_parent")
        url = granted_url(client, self.media)
        expires, signature = url.split("?g=")[1].split(".")
        for forged in [f"{int(expires) + 300}.{signature}", f"{expires}.{signature[:-2]}AA", expires, "x.y"]:
            with self.subTest(forged=forged):
                self.assertEqual(client.get(f"{self.plain}?g={forged}").status_code, 404)
        other = granted_url(client, self.media, "1600.webp")  # a grant for another rendition
        self.assertEqual(client.get(f"{self.plain}?g={other.split('?g=')[1]}").status_code, 404)

    @override_settings(MEDIA_CACHE_SECONDS=300, MEDIA_GRANT_SECONDS=3600)
    def test_a_grant_never_outlives_the_browsers_cache(self):
        self.assertEqual(grants.lifetime(), 300)
        token = grants.grant_holder.set("session-cookie")
        try:
            grant = grants.grant_for(self.media.public_id, 1, "400.webp", now=1_000_000)
        finally:
            grants.grant_holder.reset(token)
        expires = int(grant.split(".")[0])
        self.assertTrue(1_000_000 + 150 <= expires <= 1_000_000 + 300)
        check = {
            "holder": "session-cookie",
            "public_id": self.media.public_id,
            "version": 1,
            "name": "400.webp",
        }
        self.assertTrue(grants.is_granted(grant, **check, now=expires - 1))
        self.assertFalse(grants.is_granted(grant, **check, now=expires))
        self.assertFalse(grants.is_granted(grant, **check | {"holder": "another"}, now=expires - 1))
        self.assertFalse(grants.is_granted(grant, **check | {"version": 2}, now=expires - 1))

    def test_a_removed_file_answers_404_even_with_a_grant(self):
        from media import actions

        client = self.login("parent")
        url = granted_url(client, self.media)
        self.assertEqual(client.get(url).status_code, 200)  # its row now kept by this process
        with self.captureOnCommitCallbacks(execute=True):  # its bytes go after the commit
            actions.do_delete_media(acting_user=self.world.teacher, media=self.media)
        self.assertEqual(client.get(url).status_code, 404)

    def test_the_api_with_a_bearer_token_gets_no_grants(self):
        ApiToken.objects.create(
            user=self.world.parent, name="phone", token_hash=hash_token("s3cret"), prefix="s3"
        )
        response = self.client.get(
            f"/api/v1/media/{self.media.public_id}", headers={"Authorization": "Bearer s3cret"}
        )
        self.assertEqual(response.json()["renditions"]["400.webp"], self.plain)
