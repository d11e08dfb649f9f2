from django.test import SimpleTestCase

from translation.protect import from_markup, is_rtl, protect, restore, to_markup
from translation.testing import LibreTranslatePeer, dictionary_translate


class ProtectTest(SimpleTestCase):
    def test_names_are_kept_as_written_and_glossary_terms_get_their_fixed_translation(self):
        marked, kept = protect(
            "<p>Roos heeft een roos getekend in Groep 8.</p>",
            names=["Roos"],
            glossary={"groep 8": "الصف الثامن"},
        )
        self.assertEqual(kept, ["الصف الثامن", "Roos"])
        translated = dictionary_translate(marked, "ar")
        self.assertEqual(restore(translated, kept), "<p>Roos رسمت وردة اليوم in الصف الثامن.</p>")

    def test_tags_and_attributes_are_never_touched(self):
        marked, kept = protect('<p><a href="https://roos.example/Roos">Roos</a></p>', names=["Roos"])
        self.assertEqual(
            marked,
            '<p><a href="https://roos.example/Roos"><span translate="no" data-keep="0">Roos</span></a></p>',
        )
        self.assertEqual(kept, ["Roos"])

    def test_a_name_inside_a_longer_word_is_not_a_name(self):
        marked, kept = protect("Rozenstruik en Roosje", names=["Roos"])
        self.assertEqual((marked, kept), ("Rozenstruik en Roosje", []))

    def test_the_kept_text_comes_back_even_when_the_engine_translated_inside_the_span(self):
        marked, kept = protect("morgen Roos", names=["Roos"], glossary={"morgen": "غدا (يوم دراسي)"})
        translated = dictionary_translate(marked, "ar", honour_no=False)
        self.assertEqual(restore(translated, kept), "غدا (يوم دراسي) Roos")

    def test_markup_from_the_engine_is_cleaned(self):
        self.assertEqual(
            from_markup('<p onclick="x()">hoi<script>alert(1)</script></p>', is_html=True, clean=None), "hoi"
        )
        self.assertEqual(from_markup("a &amp; b<br>c<img src=x>", is_html=False), "a & b\nc")

    def test_plain_text_goes_to_the_engine_escaped_with_its_line_breaks(self):
        self.assertEqual(to_markup("a < b\nc", is_html=False), "a &lt; b<br>c")
        self.assertEqual(to_markup("<p>x</p>", is_html=True), "<p>x</p>")

    def test_right_to_left_languages(self):
        self.assertTrue(is_rtl("ar"))
        self.assertFalse(is_rtl("ti"))
        self.assertFalse(is_rtl("uk"))


class PeerTest(SimpleTestCase):
    def test_the_peer_honours_translate_no_like_libretranslate(self):
        with LibreTranslatePeer() as peer:
            import json
            import urllib.request

            body = json.dumps(
                {
                    "q": '<p>morgen <span translate="no">morgen</span></p>',
                    "source": "auto",
                    "target": "en",
                    "format": "html",
                }
            ).encode()
            request = urllib.request.Request(
                f"{peer.url}/translate", data=body, headers={"Content-Type": "application/json"}
            )
            answer = json.loads(urllib.request.urlopen(request, timeout=5).read())
        self.assertEqual(answer["translatedText"], '<p>tomorrow <span translate="no">morgen</span></p>')
