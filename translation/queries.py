"""Reads for translation: the school's engine, a reader's language, the glossary and the cache."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf.locale import LANG_INFO
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from core.viewer import is_signed_in
from schools.models import Group, Pupil, StaffRole
from schools.queries import enrolled_now
from translation import breaker
from translation.engines import EngineError, configured_engines, engine_named
from translation.models import Engine, GlossaryTerm, ReadingPreference, SchoolTranslation, Translation
from translation.protect import is_rtl
from translation.sources import kind_named, source_hash

# Offered when the engine cannot be asked (the languages and the school's own).
DEFAULT_LANGUAGES = ["ar", "en", "nl", "pl", "tr", "uk", "ti"]
EXTRA_NAMES = {"ti": "ትግርኛ (Tigrinya)", "so": "Soomaali (Somali)", "prs": "دری (Dari)"}


def engines_of(school_ids) -> dict[int, str]:
    """The engine each school uses: the one it chose, if this installation has it configured; otherwise
    "off". One query for all of them, none when the server has no engine."""
    school_ids, configured = set(school_ids), configured_engines()
    chosen = {}
    if configured and school_ids:
        rows = SchoolTranslation.objects.filter(school_id__in=school_ids)
        chosen = dict(rows.values_list("school_id", "engine"))
    return {
        school_id: chosen[school_id] if chosen.get(school_id) in configured else Engine.OFF
        for school_id in school_ids
    }


def engine_of(school_id: int) -> str:
    """The engine the school uses (see `engines_of`)."""
    return engines_of([school_id])[school_id]


def preference_of(viewer) -> ReadingPreference:
    """The viewer's reading language and "always translate" choice (unsaved defaults when never set)."""
    if not is_signed_in(viewer):
        return ReadingPreference(language="", always=False)
    found = ReadingPreference.objects.filter(user=viewer).first()
    return found or ReadingPreference(user=viewer, language="", always=False)


def always_language(viewer) -> str:
    """The reader's language when they chose "always translate" and this server has an engine; else ""
    (and then no query)."""
    if not configured_engines():
        return ""
    preference = preference_of(viewer)
    return preference.language if preference.always else ""


def language_name(code: str) -> str:
    """The language in its own name, with the English one beside it."""
    info = LANG_INFO.get(code)
    if info:
        local, english = info.get("name_local", code), info.get("name", code)
        return local if local == english else f"{local} ({english})"
    return EXTRA_NAMES.get(code, code)


def offered_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages the configured engines offer. Never asks an engine itself: the list
    is fetched by a task and kept a day; until it is there, the issue's languages stand in."""
    codes: set[str] = set()
    for name in configured_engines():
        known = cache.get(f"translation:languages:{name}")
        if known is None and cache.add(f"translation:languages-asked:{name}", True, 60):
            from translation.tasks import refresh_languages

            refresh_languages.enqueue(name)
        codes.update(known or DEFAULT_LANGUAGES)
    return sorted(((code, language_name(code)) for code in codes or DEFAULT_LANGUAGES), key=lambda c: c[1])


def fetch_languages(name: str) -> list[str]:
    """Ask an engine which languages it offers and keep the answer a day (in a task, never in a page)."""
    engine = engine_named(name)
    if engine is None or breaker.is_open(name):
        return []
    try:
        known = engine.languages()
    except EngineError:
        breaker.record_failure(name)
        return []
    cache.set(f"translation:languages:{name}", known, 86400)
    return known


def glossary_for(school_id: int, language: str) -> dict[str, str]:
    rows = GlossaryTerm.objects.filter(school_id=school_id, language=language)
    return dict(rows.values_list("term", "translation"))


def glossary_of(school) -> list[GlossaryTerm]:
    return list(GlossaryTerm.objects.filter(school=school))


def names_to_keep(school_id: int, group_ids, *, extra=()) -> list[str]:
    """Names that must never be translated: the pupils of these groups now (of the whole school for its
    school-wide group), the school's staff and the school's name; first and last names apart, so "Daan"
    alone is kept too."""
    from schools.models import School

    whole_school = Group.objects.filter(id__in=group_ids, kind=Group.Kind.SCHOOL).exists()
    enrolments = enrolled_now().filter(group__school_id=school_id)
    if not whole_school:
        enrolments = enrolments.filter(group_id__in=group_ids)
    pupils = Pupil.objects.filter(id__in=enrolments.values("pupil_id")).values_list("first_name", "last_name")
    staff = StaffRole.objects.filter(school_id=school_id).values_list("user__first_name", "user__last_name")
    names = {part for pair in [*pupils, *staff] for part in pair if part}
    names.update(School.objects.filter(id=school_id).values_list("name", flat=True))
    names.update(name for name in extra if name)
    return sorted(names)


# What `read_together` read for a page: (language, {(kind, public id)}, {(kind, public id): rows}).
_read_ahead: ContextVar[tuple[str, set, dict] | None] = ContextVar("translations_read_ahead", default=None)


@contextmanager
def read_together(language: str, wanted: dict[str, list[str]]):
    """One query for every cached translation a page will look up ({kind: public ids}) into the reader's
    language, instead of one per kind: `ready_translations` inside the block answers from these rows (still
    checking each one's version) for the objects named here, and asks the database for any other.

    Naming an object here shows nothing: what the page shows is still decided by whoever asks for it, after
    its own visibility rule (a notice's recipients, `posts_visible_to`)."""
    wanted = {kind: list(ids) for kind, ids in wanted.items() if ids}
    if not language or not wanted or not configured_engines():
        yield
        return
    condition = Q()
    for kind, ids in wanted.items():
        condition |= Q(kind=kind, object_id__in=ids)
    rows: dict[tuple[str, str], list[Translation]] = {}
    for row in Translation.objects.filter(condition, language=language, state=Translation.State.READY):
        rows.setdefault((row.kind, row.object_id), []).append(row)
    named = {(kind, public_id) for kind, ids in wanted.items() for public_id in ids}
    token = _read_ahead.set((language, named, rows))
    try:
        yield
    finally:
        _read_ahead.reset(token)


def ready_translations_of(wanted: dict[tuple[str, str], dict[str, str]]) -> dict[tuple[str, str], dict]:
    """The finished translations of several kinds' objects into their languages ({(kind, language):
    {public_id: source hash}} → {(kind, language): {public_id: row}}), in one query (none for the objects
    `read_together` read ahead); a translation of an older version does not count."""
    wanted = {key: versions for key, versions in wanted.items() if versions and key[1]}
    found: dict[tuple[str, str], dict] = {}
    ahead, asked = _read_ahead.get(), {}
    for (kind, language), versions in wanted.items():
        if ahead is not None and ahead[0] == language and all((kind, key) in ahead[1] for key in versions):
            found[kind, language] = _current(
                [r for key in versions for r in ahead[2].get((kind, key), [])], versions
            )
        else:
            asked[kind, language] = versions
    if asked:
        condition = Q()
        for (kind, language), versions in asked.items():
            condition |= Q(kind=kind, language=language, object_id__in=list(versions))
        rows: dict[tuple[str, str], list[Translation]] = {}
        for row in Translation.objects.filter(condition, state=Translation.State.READY):
            rows.setdefault((row.kind, row.language), []).append(row)
        for key, versions in asked.items():
            found[key] = _current(rows.get(key, []), versions)
    return found


def _current(rows, versions: dict[str, str]) -> dict[str, Translation]:
    """The rows of the objects' current versions (an edited text has another hash)."""
    return {row.object_id: row for row in rows if versions.get(row.object_id) == row.source_hash}


def ready_translations(kind: str, versions: dict[str, str], language: str) -> dict[str, Translation]:
    """The finished translations of these objects ({public_id: source hash}) into the language, in one
    query (see `ready_translations_of`)."""
    return ready_translations_of({(kind, language): versions}).get((kind, language), {})


def cached_texts(kind_name: str, objects, language: str, *, ask_missing: bool = True) -> dict[str, list[str]]:
    """Public id → the cached translation of each object's current version into the language, in one
    query; never the engine. The missing ones are asked for in the background (one task, at most once a
    minute for the same texts), so a later page or email has them; meanwhile they show as written.

    The caller has already decided that the reader may see these objects (a notification list, a batch of
    emails to the notice's recipients)."""
    objects = list(objects)
    if not language or not objects or not configured_engines():  # no engine on this server: no query
        return {}
    kind = kind_named(kind_name)
    versions = {obj.public_id: source_hash(kind.all_texts(obj)) for obj in objects}
    found = ready_translations(kind.name, versions, language)
    missing = sorted(public_id for public_id in versions if public_id not in found)
    if missing and ask_missing:
        digest = source_hash([kind.name, language, *missing])[:32]
        if cache.add(f"translation:ahead:{digest}", True, 60):
            from translation.tasks import translate_ahead

            transaction.on_commit(lambda: translate_ahead.enqueue(kind.name, missing, [language]))
    return {public_id: list(row.texts) for public_id, row in found.items()}


def direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"
