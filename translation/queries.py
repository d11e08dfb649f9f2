"""Reads for translation: the school's engine, a reader's language, the glossary and the cache."""

from django.conf.locale import LANG_INFO
from django.core.cache import cache

from core.viewer import is_signed_in
from schools.models import Group, Pupil, StaffRole
from schools.queries import enrolled_now
from translation import breaker
from translation.engines import EngineError, configured_engines, engine_named
from translation.models import Engine, GlossaryTerm, ReadingPreference, SchoolTranslation, Translation
from translation.protect import is_rtl

# Offered when the engine cannot be asked (the languages and the school's own).
DEFAULT_LANGUAGES = ["ar", "en", "nl", "pl", "tr", "uk", "ti"]
EXTRA_NAMES = {"ti": "ትግርኛ (Tigrinya)", "so": "Soomaali (Somali)", "prs": "دری (Dari)"}


def engine_of(school_id: int) -> str:
    """The engine the school chose, if this installation has it configured; otherwise "off"."""
    chosen = SchoolTranslation.objects.filter(school_id=school_id).values_list("engine", flat=True).first()
    return chosen if chosen in configured_engines() else Engine.OFF


def preference_of(viewer) -> ReadingPreference:
    """The viewer's reading language and "always translate" choice (unsaved defaults when never set)."""
    if not is_signed_in(viewer):
        return ReadingPreference(language="", always=False)
    found = ReadingPreference.objects.filter(user=viewer).first()
    return found or ReadingPreference(user=viewer, language="", always=False)


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


def ready_translations(kind: str, versions: dict[str, str], language: str) -> dict[str, Translation]:
    """The finished translations of these objects ({public_id: source hash}) into the language, in one
    query; a translation of an older version does not count."""
    if not versions or not language:
        return {}
    rows = Translation.objects.filter(
        kind=kind, object_id__in=list(versions), language=language, state=Translation.State.READY
    )
    return {row.object_id: row for row in rows if versions.get(row.object_id) == row.source_hash}


def direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"
