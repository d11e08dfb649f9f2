"""The school's privacy page: services read from the configuration (never invented), the school's own
parts edited by its director in both languages, the retention table when the privacy app provides it."""

from django.test import override_settings
from django.utils import translation

from consent.actions import check_save_statement
from consent.statement import host_of, retention_of, services_of
from core.refusals import Invalid
from core.testing import PersonaTestCase
from notifications.models import PushSubscription
from translation.models import SchoolTranslation

SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "smtp.mailprovider.test", "port": 587, "password": "s3cret", "use_tls": True},
    }
}
S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "schakel-media",
        "endpoint_url": "https://objects.hoster.test",
        "secret_key": "k",
    },
}


def where(services, key) -> list[str]:
    return [service.where for service in services if service.key == key]


class TestServices(PersonaTestCase):
    def test_it_names_the_configured_mail_host_and_never_its_password(self):
        with override_settings(MAILERS=SMTP):
            services = services_of(self.world.school)
        self.assertEqual(where(services, "email"), ["smtp.mailprovider.test:587"])
        self.assertNotIn("s3cret", repr(services))

    def test_it_names_the_push_services_this_schools_browsers_registered(self):
        PushSubscription.objects.create(
            user=self.world.parent, endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="x", auth="y"
        )
        PushSubscription.objects.create(
            user=self.world.other_school_parent,
            endpoint="https://web.push.apple.com/xyz",
            p256dh="x",
            auth="y",
        )
        self.assertEqual(where(services_of(self.world.school), "push"), ["fcm.googleapis.com"])

    def test_storage_database_and_translation_follow_the_settings(self):
        storages = {"media": S3, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
        databases = {
            "default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.hoster.test", "PORT": 5432}
        }
        SchoolTranslation.objects.create(school=self.world.school, engine="libretranslate")
        with override_settings(
            STORAGES=storages,
            MEDIA_SERVE_MODE="s3",
            TRANSLATION_LIBRETRANSLATE_URL="https://translate.school.test/",
            REDIS_URL="redis://:pw@cache.hoster.test:6379/0",
        ):
            from django.conf import settings

            real = settings.DATABASES
            settings.DATABASES = databases  # read only by services_of; restored at once
            try:
                services = services_of(self.world.school)
            finally:
                settings.DATABASES = real
        self.assertEqual(where(services, "storage"), ["objects.hoster.test"])
        self.assertEqual(where(services, "database"), ["db.hoster.test:5432"])
        self.assertEqual(where(services, "cache"), ["cache.hoster.test:6379"])
        [translator] = where(services, "translation")
        self.assertIn("LibreTranslate", translator)
        self.assertIn("translate.school.test", translator)
        self.assertNotIn("pw", [s.where for s in services])

    def test_unset_services_are_not_named(self):
        services = services_of(self.world.school)
        self.assertEqual(where(services, "translation"), [])
        self.assertEqual(where(services, "cache"), [])
        self.assertEqual(where(services, "push"), [])

    def test_a_url_loses_its_credentials(self):
        self.assertEqual(host_of("https://user:secret@host.test:8443/path"), "host.test:8443")


BOTH_ENGINES = {
    "TRANSLATION_LIBRETRANSLATE_URL": "https://translate.school.test/",
    "TRANSLATION_DEEPL_API_KEY": "deepl-secret",
    "TRANSLATION_DEEPL_URL": "https://api.deepl.test",
}


class TestTranslationService(PersonaTestCase):
    """Only the engine the school itself uses is its sub-processor, though the server may offer more."""

    def translation_named(self, engine: str | None, **settings) -> list[str]:
        if engine is not None:
            SchoolTranslation.objects.update_or_create(school=self.world.school, defaults={"engine": engine})
        with override_settings(**settings), translation.override("en"):
            return where(services_of(self.world.school), "translation")

    def test_a_school_that_turned_translation_off_names_no_engine(self):
        self.assertEqual(self.translation_named("off", **BOTH_ENGINES), [])
        self.assertEqual(self.translation_named(None, **BOTH_ENGINES), [])  # never chose: off

    def test_a_school_on_libretranslate_names_it_with_its_host_and_not_deepl(self):
        self.assertEqual(
            self.translation_named("libretranslate", **BOTH_ENGINES),
            ["LibreTranslate (self-hosted, translate.school.test)"],
        )

    def test_a_school_on_deepl_names_the_company_not_a_host_and_never_the_key(self):
        named = self.translation_named("deepl", **BOTH_ENGINES)
        self.assertEqual(named, ["DeepL SE (Germany)"])
        with override_settings(**BOTH_ENGINES), translation.override("nl"):
            services = services_of(self.world.school)
        self.assertEqual(where(services, "translation"), ["DeepL SE (Duitsland)"])
        self.assertNotIn("deepl-secret", repr(services))

    def test_an_engine_the_server_no_longer_has_is_not_named(self):
        self.assertEqual(self.translation_named("deepl", TRANSLATION_LIBRETRANSLATE_URL="https://t.test"), [])

    def test_the_page_and_the_api_name_the_schools_engine(self):
        SchoolTranslation.objects.create(school=self.world.school, engine="deepl")
        # Another school on this server translates with LibreTranslate: no sub-processor of this one.
        SchoolTranslation.objects.create(school=self.world.other_school, engine="libretranslate")
        with override_settings(**BOTH_ENGINES):
            page = self.login("parent").get(f"/privacy/statement/{self.world.school.public_id}/")
            api = self.login("parent").get(f"/api/v1/privacy/schools/{self.world.school.public_id}/statement")
        self.assertContains(page, "DeepL SE (Duitsland)")
        self.assertNotContains(page, "LibreTranslate")
        self.assertNotContains(page, "api.deepl.test")
        translated = [s["where"] for s in api.json()["services"] if s["key"] == "translation"]
        self.assertEqual(len(translated), 1)
        self.assertIn("DeepL SE", translated[0])


class TestOwnParts(PersonaTestCase):
    def test_the_director_writes_both_languages_and_every_member_reads_them(self):
        client = self.login("director")
        response = client.post(
            f"/privacy/statement/{self.world.school.public_id}/edit/",
            {
                "officer_name": "Mw. R. de Groot",
                "officer_email": "fg@stichting.test",
                "hosting_nl": "Gehost door Voorbeeld BV in Amsterdam.",
                "hosting_en": "Hosted by Voorbeeld BV in Amsterdam.",
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.login("parent").get(f"/privacy/statement/{self.world.school.public_id}/")
        self.assertContains(page, "Mw. R. de Groot")
        self.assertContains(page, "Gehost door Voorbeeld BV")
        self.assertNotContains(page, 'data-testid="statement-form"')
        with translation.override("en"):
            api = self.login("parent").get(
                f"/api/v1/privacy/schools/{self.world.school.public_id}/statement", HTTP_ACCEPT_LANGUAGE="en"
            )
        body = api.json()
        self.assertEqual(body["officer"]["email"], "fg@stichting.test")
        self.assertEqual(body["own"]["hosting_en"], "Hosted by Voorbeeld BV in Amsterdam.")
        self.assertTrue(body["processing"])
        self.assertIn("email", {service["key"] for service in body["services"]})

    def test_a_bad_email_re_shows_the_form_and_saves_nothing(self):
        response = self.login("director").post(
            f"/privacy/statement/{self.world.school.public_id}/edit/",
            {"officer_name": "Mw. de Groot", "officer_email": "not an address"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Mw. de Groot", status_code=422)
        self.assertFalse(self.world.school.__class__.objects.filter(privacy_statement__isnull=False).exists())
        api = self.login("director").put(
            f"/api/v1/privacy/schools/{self.world.school.public_id}/statement",
            {"officer_email": "nope"},
            content_type="application/json",
        )
        self.assertEqual(api.status_code, 422)

    def test_an_unknown_part_is_refused(self):
        with self.assertRaises(Invalid):
            check_save_statement(acting_user=self.world.director, school=self.world.school, colour="red")


class TestRetentionSection(PersonaTestCase):
    def test_it_shows_the_retention_table_when_the_privacy_app_provides_one(self):
        from django.utils import translation
        from django.utils.html import escape

        table = retention_of(self.world.school)
        self.assertIsNotNone(table)  # the privacy app is installed
        page = self.login("parent").get(f"/privacy/statement/{self.world.school.public_id}/")
        self.assertContains(page, 'data-testid="retention"')
        with translation.override("nl"):
            for period in table:
                self.assertContains(page, escape(str(period.category.label)))


class TestLinks(PersonaTestCase):
    def test_every_member_finds_the_page_from_privacy_preferences(self):
        link = f"/privacy/statement/{self.world.school.public_id}/"
        for persona in ("parent", "teacher", "office"):
            self.assertContains(self.login(persona).get("/privacy/"), link, msg_prefix=persona)
        self.assertNotContains(self.login("other_school_parent").get("/privacy/"), link)
