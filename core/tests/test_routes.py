from django.test import SimpleTestCase
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.ids import new_public_id
from core.routes import url_with_id


class TestUrlWithId(SimpleTestCase):
    def test_it_gives_what_reverse_gives_under_any_script_prefix(self):
        public_id = new_public_id()
        for prefix in ("/", "/school/"):
            set_script_prefix(prefix)
            self.addCleanup(clear_script_prefix)
            for viewname in ("conversations:thread", "conversations:send", "posts:post_detail"):
                self.assertEqual(url_with_id(viewname, public_id), reverse(viewname, args=[public_id]))
