"""Every state change of translation: asking for a translation, doing it (in the task), the reader's
preference, the school's engine and glossary."""

import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.refusals import Invalid
from translation import breaker
from translation.engines import EngineError, configured_engines, engine_named
from translation.models import Engine, GlossaryTerm, ReadingPreference, SchoolTranslation, Translation
from translation.protect import from_markup, is_rtl, protect, restore, to_markup
from translation.queries import engine_of, glossary_for, offered_languages
from translation.sources import Kind, all_kinds, kind_named, source_hash

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
RETRY_FAILED_AFTER = timedelta(minutes=1)  # a failed translation is asked again by a later reader
PENDING_GIVEN_UP_AFTER = timedelta(minutes=2)  # a task that never ran (a worker died): ask again


@dataclass
class Outcome:
    """What a reader gets: the translation (`ready`), a promise (`pending`) or `unavailable` right now."""

    state: str
    kind: str
    object_id: str
    language: str
    originals: list[str]
    html: tuple[bool, ...]
    texts: list[str] = field(default_factory=list)
    engine: str = ""
    detected_language: str = ""
    roles: list[str] = field(default_factory=list)  # what the texts after the main ones are ("place", "task")

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)


def check_language(language: str) -> str:
    language = (language or "").strip().lower()
    if not LANGUAGE_CODE.match(language):
        raise Invalid(_("Choose a language."), code="language")
    return language


def check_offered(language: str) -> str:
    """A language the engines offer: a made-up code would cost an engine call and count as its failure."""
    language = check_language(language)
    if language not in {code for code, _name in offered_languages()}:
        raise Invalid(_("This language is not offered."), code="language")
    return language


def _outcome(state: str, kind: Kind, obj, language: str, row: Translation | None = None) -> Outcome:
    ready = row is not None and row.state == Translation.State.READY
    originals, roles = kind.with_roles(obj)
    return Outcome(
        state=state,
        kind=kind.name,
        object_id=obj.public_id,
        language=language,
        originals=originals,
        html=kind.html_of(len(originals)),
        roles=roles,
        texts=list(row.texts) if ready else [],
        engine=row.engine if ready else "",
        detected_language=row.detected_language if ready else "",
    )


def _enqueue(row: Translation) -> None:
    from translation.tasks import translate

    transaction.on_commit(lambda: translate.enqueue(row.id))


def _claim_again(row: Translation, now) -> bool:
    """Take a failed or abandoned row back to pending, in one conditional UPDATE (one reader wins)."""
    old = now - (RETRY_FAILED_AFTER if row.state == Translation.State.FAILED else PENDING_GIVEN_UP_AFTER)
    claimed = Translation.objects.filter(id=row.id, state=row.state, updated_at__lt=old).update(
        state=Translation.State.PENDING, updated_at=now
    )
    return bool(claimed)


def check_request_translation(*, viewer, kind: str, public_id: str, language: str) -> Outcome:
    """The viewer's translation of a text they can see: from the cache, or asked of the engine in the
    background. Never waits on the engine: a page shows `pending` and asks again, or `unavailable`."""
    found = kind_named(kind)
    obj = found.access(viewer, public_id)  # the text's own visibility rule: NotFound for not-yours
    engine = engine_of(found.school_id(obj))
    if engine == Engine.OFF:
        raise Invalid(_("This school does not translate texts."), code="translation_off")
    language = check_offered(language)
    return ensure_translation(found, obj, language, engine=engine)


def ensure_translation(found: Kind, obj, language: str, *, engine: str) -> Outcome:
    """The cached translation of this version, or a task to make it (one per version and language)."""
    digest = source_hash(found.all_texts(obj))
    key = {"kind": found.name, "object_id": obj.public_id, "source_hash": digest, "language": language}
    row = Translation.objects.filter(**key).first()
    if row is not None and row.state == Translation.State.READY:
        return _outcome("ready", found, obj, language, row)
    if breaker.is_open(engine):
        return _outcome("unavailable", found, obj, language)
    now = timezone.now()
    if row is None:
        try:
            with transaction.atomic():
                row = Translation.objects.create(**key, school_id=found.school_id(obj), updated_at=now)
        except IntegrityError:  # another reader asked at the same moment: theirs is the one
            return _outcome("pending", found, obj, language)
        # An edited text: its older versions in this language are of no use any more.
        Translation.objects.filter(kind=found.name, object_id=obj.public_id, language=language).exclude(
            id=row.id
        ).delete()
        _enqueue(row)
    elif _claim_again(row, now):
        _enqueue(row)
    elif row.state == Translation.State.FAILED:
        return _outcome("unavailable", found, obj, language)
    row.refresh_from_db()  # a backend that runs tasks at once (tests, `immediate`) may have finished it
    state = {"ready": "ready", "failed": "unavailable"}.get(row.state, "pending")
    return _outcome(state, found, obj, language, row)


def _call_engine(engine, texts: list[str], language: str):
    """One engine request with retries; the breaker counts every failure."""
    for attempt in range(1 + settings.TRANSLATION_RETRIES):
        if breaker.is_open(engine.name):
            return None
        try:
            result = engine.translate(texts, target=language)
        except EngineError:
            breaker.record_failure(engine.name)
            time.sleep(min(0.25 * 2**attempt, 2))
            continue
        breaker.record_success(engine.name)
        return result
    return None


def do_translate(*, translation_id: int) -> None:
    """Translate one pending row with the school's engine: protect names and glossary terms, call with a
    timeout and retries, restore, clean, store. A text edited meanwhile is not translated (its next reader
    asks for the new version)."""
    row = Translation.objects.filter(id=translation_id, state=Translation.State.PENDING).first()
    if row is None:
        return
    found = kind_named(row.kind)
    obj = found.load(row.object_id)
    texts = found.all_texts(obj) if obj is not None else None
    if texts is None or source_hash(texts) != row.source_hash:
        row.delete()
        return
    engine = engine_named(engine_of(row.school_id))
    result = None
    if engine is not None:
        glossary = glossary_for(row.school_id, row.language)
        names = found.names(obj)
        prepared = [
            protect(to_markup(t, is_html=h), names=names, glossary=glossary)
            for t, h in zip(texts, found.html_of(len(texts)), strict=True)
        ]
        result = _call_engine(engine, [marked for marked, _kept in prepared], row.language)
    row.attempts += 1
    row.updated_at = timezone.now()
    if result is None:
        row.state = Translation.State.FAILED
        row.save(update_fields=["state", "attempts", "updated_at"])
        return
    row.texts = [
        from_markup(restore(text, kept), is_html=is_html, clean=found.clean)
        for text, (_marked, kept), is_html in zip(
            result.texts, prepared, found.html_of(len(texts)), strict=True
        )
    ]
    row.state, row.engine, row.detected_language = (
        Translation.State.READY,
        engine.name,
        result.detected_language[:12],
    )
    row.save(update_fields=["texts", "state", "engine", "detected_language", "attempts", "updated_at"])


SWEEP_BATCH = 500


def do_sweep_translations() -> int:
    """Delete the translations of texts that are gone (a deleted post, comment or message takes its
    translations with it within a tick) and failed rows older than a day. Returns how many went."""
    removed = Translation.objects.filter(
        state=Translation.State.FAILED, updated_at__lt=timezone.now() - timedelta(days=1)
    ).delete()[0]
    for kind in all_kinds():
        if kind.model is None:
            continue
        ids = list(Translation.objects.filter(kind=kind.name).values_list("object_id", flat=True).distinct())
        for start in range(0, len(ids), SWEEP_BATCH):
            batch = ids[start : start + SWEEP_BATCH]
            alive = set(kind.model.objects.filter(public_id__in=batch).values_list("public_id", flat=True))
            gone = [object_id for object_id in batch if object_id not in alive]
            if gone:
                removed += Translation.objects.filter(kind=kind.name, object_id__in=gone).delete()[0]
    return removed


def check_set_preference(*, acting_user, language: str, always: bool) -> ReadingPreference:
    """The reader's language (empty: no translation) and whether to translate without asking."""
    language = check_offered(language) if language else ""
    preference, _created = ReadingPreference.objects.update_or_create(
        user=acting_user, defaults={"language": language, "always": bool(always and language)}
    )
    return preference


def check_choose_engine(*, acting_user, school, engine: str) -> SchoolTranslation:
    """The director's choice of engine for the school: off, or one this installation has configured."""
    if engine != Engine.OFF and engine not in configured_engines():
        raise Invalid(_("This translation engine is not set up on this server."), code="engine")
    with transaction.atomic():
        chosen, _created = SchoolTranslation.objects.update_or_create(
            school=school,
            defaults={"engine": engine, "changed_by": acting_user, "changed_at": timezone.now()},
        )
        audit.record(
            actor=acting_user, action="translation.engine", target=school, school=school, engine=engine
        )
        if engine == Engine.OFF:
            # Off means off everywhere: the cached translations would still reach emails, the digest and
            # the API, and the school no longer wants the processor's work kept.
            Translation.objects.filter(school=school).delete()
    return chosen


def do_translate_ahead(*, kind: str, public_ids, languages) -> int:
    """Have these texts translated into these languages in the background, before anyone asks (their
    readers were checked by whoever asks this: the recipients of a notice, the viewer of a page). Returns
    how many translations were asked for or found ready; a school without an engine asks none."""
    if not configured_engines() or not languages:  # no engine on this server: not even a query
        return 0
    found, asked = kind_named(kind), 0
    for public_id in public_ids:
        obj = found.load(public_id)
        if obj is None:
            continue
        engine = engine_of(found.school_id(obj))
        if engine == Engine.OFF:
            continue
        for language in sorted(set(languages)):
            ensure_translation(found, obj, language, engine=engine)
            asked += 1
    return asked


def do_translate_for_readers(*, kind: str, public_id: str, reader_ids, author_id: int | None = None) -> int:
    """Pre-translation: have a text translated, in the background, into the language of each reader who
    chose "always translate"; with an author (a message), also into the school's language when they write
    in another (their reading language with "always" on), so the teacher sees both texts at once."""
    if not configured_engines():  # no engine on this server: not even a query
        return 0
    readers = ReadingPreference.objects.filter(user_id__in=[*reader_ids, *([author_id] if author_id else [])])
    preferences = {preference.user_id: preference for preference in readers}
    languages = {p.language for uid, p in preferences.items() if uid != author_id and p.always and p.language}
    author = preferences.get(author_id)
    if author is not None and author.always and author.language and author.language != settings.LANGUAGE_CODE:
        languages.add(settings.LANGUAGE_CODE)
    return do_translate_ahead(kind=kind, public_ids=[public_id], languages=languages)


def do_forget_translations(*, kind: str, object_ids) -> int:
    """Delete every cached translation of these texts (their source changed outside an edit, e.g. a name
    scrubbed by an erasure): whoever reads them next has them made again. Returns how many went."""
    return Translation.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()[0]


def _forget_translations(school, language: str) -> None:
    """Glossary changed: the school's translations into this language are made again as they are read."""
    Translation.objects.filter(school=school, language=language).delete()


def check_add_glossary_term(
    *, acting_user, school, term: str, language: str, translation: str
) -> GlossaryTerm:
    term, translation = " ".join((term or "").split()), " ".join((translation or "").split())
    language = check_language(language)
    if not term or not translation:
        raise Invalid(_("Give the term and its translation."), code="glossary")
    if GlossaryTerm.objects.filter(school=school, term__iexact=term, language=language).exists():
        raise Invalid(_("This term already has a translation into this language."), code="glossary_duplicate")
    with transaction.atomic():
        added = GlossaryTerm.objects.create(
            school=school, term=term, language=language, translation=translation
        )
        _forget_translations(school, language)
        audit.record(actor=acting_user, action="translation.glossary_add", target=added, school=school)
    return added


def do_delete_glossary_term(*, acting_user, term: GlossaryTerm) -> None:
    with transaction.atomic():
        audit.record(actor=acting_user, action="translation.glossary_delete", target=term, school=term.school)
        _forget_translations(term.school, term.language)
        term.delete()
