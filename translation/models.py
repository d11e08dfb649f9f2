"""Machine translation: the school's engine choice, its glossary, each reader's language and the cache.

Engine endpoints and API keys are settings (environment), never rows: the database only says which of the
configured engines a school uses, so a database dump carries no key.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class Engine(models.TextChoices):
    OFF = "off", _("Off")
    LIBRETRANSLATE = "libretranslate", _("LibreTranslate (self-hosted)")
    DEEPL = "deepl", _("DeepL (processor outside the board)")


class SchoolTranslation(models.Model):
    """Which engine translates for a school; without a row the engine is off."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="translation")
    engine = models.CharField(
        _("translation engine"), max_length=20, choices=Engine.choices, default=Engine.OFF
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class GlossaryTerm(models.Model):
    """A word of the school's own with a fixed translation per language (groep 8, studiedag, Cito …)."""

    public_id = PublicIdField()
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="glossary")
    term = models.CharField(_("term"), max_length=80)
    language = models.CharField(_("language"), max_length=12)
    translation = models.CharField(_("translation"), max_length=160)

    class Meta:
        ordering = ["term", "language"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("term"), "school", "language", name="glossary_term_once_per_language"
            )
        ]


class ReadingPreference(models.Model):
    """The language a user reads best (any the engine offers) and whether to translate without asking."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_preference"
    )
    language = models.CharField(_("reading language"), max_length=12, blank=True)
    always = models.BooleanField(_("always translate into my language"), default=False)


class Translation(models.Model):
    """One machine translation of one version of a text into one language, shared by every reader.

    The key is (kind, object, hash of the source texts, language): an edited text has another hash and is
    translated again; forty families reading the same post in Arabic share one row and one engine call.
    """

    class State(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.CharField(max_length=32)
    source_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=12)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    texts = models.JSONField(default=list)
    engine = models.CharField(max_length=20, blank=True)
    detected_language = models.CharField(max_length=12, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "source_hash", "language"], name="translation_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["school", "language"])]
