from django.test import SimpleTestCase
from django.urls import reverse, set_script_prefix

from core.ids import new_public_id
from media.models import MediaFile
from media.queries import all_ready, rendition_url_of
from media.tests.helpers import MediaTestCase


class TestRenditionUrlOf(SimpleTestCase):
    """The shortcut past reverse() must give exactly what reverse() gives."""

    def test_it_matches_reverse_for_every_kind_of_name(self):
        public_id = new_public_id()
        for name in ["400.webp", "1600.jpg", "poster.webp", "video.mp4", "document.pdf", "a b~é:@!.txt"]:
            with self.subTest(name=name):
                expected = reverse("media:rendition", args=[public_id, 3, name])
                self.assertEqual(rendition_url_of(public_id, 3, name), expected)

    def test_it_follows_the_script_prefix(self):
        public_id = new_public_id()
        self.addCleanup(set_script_prefix, "/")
        set_script_prefix("/school/")
        url = rendition_url_of(public_id, 1, "400.webp")
        self.assertTrue(url.startswith("/school/"), url)
        self.assertEqual(url, reverse("media:rendition", args=[public_id, 1, "400.webp"]))


class TestAllReady(MediaTestCase):
    def test_it_is_true_only_when_every_file_is_ready(self):
        one, two = self.upload(), self.upload()
        self.assertTrue(all_ready([one.id, two.id]))
        MediaFile.objects.filter(id=two.id).update(status=MediaFile.Status.PROCESSING)
        self.assertFalse(all_ready([one.id, two.id]))
        self.assertTrue(all_ready([one.id, one.id]))

    def test_it_is_false_for_a_missing_file_and_true_for_none(self):
        self.assertFalse(all_ready([987654]))
        self.assertTrue(all_ready([]))

    def test_it_asks_the_database_once(self):
        ids = [self.upload().id for _ in range(3)]
        with self.assertNumQueries(1):
            all_ready(ids)


class TestMaySee(MediaTestCase):
    """may_see (one file, its own carrier) must answer exactly as visible_media (every carrier)."""

    PERSONAS = [
        "parent",
        "class_parent",
        "outsider",
        "teacher",
        "duo_teacher",
        "other_teacher",
        "director",
        "office",
        "other_school_parent",
        "other_board_parent",
    ]

    def test_it_agrees_with_visible_media_for_every_persona_and_state(self):
        from django.utils import timezone

        from media.queries import may_see, visible_media

        normal = self.upload()
        withheld = self.upload()
        hidden = self.upload(carrier=self.world.wide, persona="director")
        MediaFile.objects.filter(id=withheld.id).update(withheld_at=timezone.now())
        MediaFile.objects.filter(id=hidden.id).update(hidden_at=timezone.now())
        files = list(MediaFile.objects.filter(id__in=[normal.id, withheld.id, hidden.id]))
        for persona in self.PERSONAS:
            viewer = getattr(self.world, persona)
            viewer.is_verified = lambda: True  # staff powers as after two-factor
            for media in files:
                with self.subTest(persona=persona, media=media.id):
                    expected = visible_media(viewer).filter(id=media.id).exists()
                    self.assertEqual(may_see(viewer, media), expected)
        # The rule really separates them: a parent sees the normal file only.
        self.assertEqual([may_see(self.world.parent, media) for media in files], [True, False, False])
