import time

from django.test import SimpleTestCase, override_settings

from translation.engines import DeepL, EngineError, LibreTranslate, configured_engines, engine_named
from translation.testing import DeepLPeer, LibreTranslatePeer


class LibreTranslateTest(SimpleTestCase):
    def test_it_translates_a_list_in_one_request_as_html(self):
        with LibreTranslatePeer() as peer:
            result = LibreTranslate(peer.url).translate(
                ["Beste ouders", "<p>Morgen is er <b>geen school</b></p>"], target="ar"
            )
        self.assertEqual(result.texts, ["أعزائي الآباء", "<p>غدًا يوجد <b>لا مدرسة</b></p>"])
        self.assertEqual(result.detected_language, "nl")
        self.assertEqual(peer.calls, 1)
        self.assertEqual(peer.requests[0]["format"], "html")
        self.assertEqual(peer.requests[0]["source"], "auto")

    def test_it_sends_the_api_key(self):
        with LibreTranslatePeer() as peer:
            peer.api_key = "s3cret"
            with self.assertRaises(EngineError):
                LibreTranslate(peer.url).translate(["morgen"], target="en")
            result = LibreTranslate(peer.url, api_key="s3cret").translate(["morgen"], target="en")
        self.assertEqual(result.texts, ["tomorrow"])

    def test_it_lists_the_languages(self):
        with LibreTranslatePeer() as peer:
            self.assertEqual(LibreTranslate(peer.url).languages(), ["ar", "en", "nl", "pl", "ti", "tr", "uk"])

    def test_it_gives_up_at_its_timeout(self):
        with LibreTranslatePeer() as peer:
            peer.delay = 2
            started = time.monotonic()
            with self.assertRaises(EngineError):
                LibreTranslate(peer.url, timeout=0.3).translate(["morgen"], target="en")
            self.assertLess(time.monotonic() - started, 1.5)

    def test_it_raises_for_an_error_answer_and_a_dead_server(self):
        with LibreTranslatePeer() as peer:
            peer.fail = True
            with self.assertRaises(EngineError):
                LibreTranslate(peer.url).translate(["morgen"], target="en")
            url = peer.url
        with self.assertRaises(EngineError):
            LibreTranslate(url, timeout=0.5).translate(["morgen"], target="en")


class DeepLTest(SimpleTestCase):
    def test_it_speaks_the_documented_api(self):
        with DeepLPeer() as peer:
            engine = DeepL(peer.url, api_key="peer-key:fx")
            result = engine.translate(["<p>Beste ouders</p>", "morgen"], target="en")
            languages = engine.languages()
        self.assertEqual(result.texts, ["<p>Dear parents</p>", "tomorrow"])
        self.assertEqual(result.detected_language, "nl")
        sent = peer.requests[0]
        self.assertEqual((sent["target_lang"], sent["tag_handling"]), ("EN-GB", "html"))
        self.assertIn("ar", languages)

    def test_a_wrong_key_is_an_engine_error(self):
        with DeepLPeer() as peer, self.assertRaises(EngineError):
            DeepL(peer.url, api_key="wrong").translate(["morgen"], target="en")


class ConfigurationTest(SimpleTestCase):
    def test_nothing_is_configured_by_default(self):
        self.assertEqual(configured_engines(), [])
        self.assertIsNone(engine_named("libretranslate"))
        self.assertIsNone(engine_named("off"))

    @override_settings(TRANSLATION_LIBRETRANSLATE_URL="http://127.0.0.1:9", TRANSLATION_DEEPL_API_KEY="k")
    def test_an_engine_is_there_once_its_settings_are(self):
        self.assertEqual(configured_engines(), ["libretranslate", "deepl"])
        self.assertIsInstance(engine_named("deepl"), DeepL)
