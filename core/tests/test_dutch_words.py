"""In Dutch "Meldingen" are notifications; reported content and absences have words of their own."""

import gettext
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

# The noun on its own; compounds such as "ziekmelding", "pushmelding" or "aanmelding" are other words,
# and the verb "melden" ("gemeld", "meldde") is fine everywhere.
NOUN = re.compile(r"\bmelding(en)?\b", re.IGNORECASE)
# An English msgid about notifying someone may be translated with the noun.
ABOUT_NOTIFYING = re.compile(r"notif|told", re.IGNORECASE)


def dutch_catalogs() -> dict[str, dict]:
    """Each of the project's apps, with its compiled Dutch catalogue."""
    found = {}
    for app in apps.get_app_configs():
        mo = Path(app.path) / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
        if Path(app.path).is_relative_to(settings.BASE_DIR) and mo.exists():
            with mo.open("rb") as handle:
                found[app.label] = gettext.GNUTranslations(handle)._catalog
    return found


def english(key) -> str:
    """The msgid of a catalogue key: plural keys are (msgid, n), a context precedes \\x04."""
    msgid = key[0] if isinstance(key, tuple) else key
    return msgid.split("\x04")[-1]


class DutchWordsTest(SimpleTestCase):
    def test_it_reads_every_apps_catalogue(self):
        catalogs = dutch_catalogs()
        self.assertTrue({"absences", "moderation", "notifications", "core"} <= set(catalogs))

    def test_it_keeps_the_noun_melding_for_notifications(self):
        wrong = [
            f"{label}: {english(key)!r} -> {text!r}"
            for label, catalog in dutch_catalogs().items()
            for key, text in catalog.items()
            if key and NOUN.search(text) and not ABOUT_NOTIFYING.search(english(key))
        ]
        self.assertEqual(wrong, [])

    def test_it_calls_notifications_meldingen(self):
        with translation.override("nl"):
            self.assertEqual(translation.gettext("Notifications"), "Meldingen")
            self.assertEqual(translation.gettext("No notifications yet."), "Nog geen meldingen.")

    def test_it_names_reported_content_in_its_own_words(self):
        expected = {
            "Your reports": "Wat u heeft gemeld",
            "All reports": "Alle gemelde inhoud",
            "Send report": "Versturen",
            "Close the report": "Afhandelen",
            "No reports here.": "Hier is niets gemeld.",
            "Thank you. The teacher and the director will look at your report.": (
                "Dank u wel. De leerkracht en de directie bekijken wat u heeft gemeld."
            ),
        }
        with translation.override("nl"):
            self.assertEqual({k: translation.gettext(k) for k in expected}, expected)
            self.assertEqual(translation.pgettext("moderation", "Reports"), "Gemelde inhoud")
            self.assertEqual(
                translation.ngettext("%(count)s open report", "%(count)s open reports", 2) % {"count": 2},
                "Gemelde inhoud: 2 open",
            )

    def test_it_names_absences_in_their_own_words(self):
        expected = {
            "This report has been withdrawn.": "Deze afwezigheid is ingetrokken.",
            "Withdraw this report": "Deze afwezigheid intrekken",
            "The report has been changed.": "De afwezigheid is gewijzigd.",
            "The report has been withdrawn.": "De afwezigheid is ingetrokken.",
            "Thank you, it has been received.": "Dank u wel, de school heeft het ontvangen.",
        }
        with translation.override("nl"):
            self.assertEqual({k: translation.gettext(k) for k in expected}, expected)
