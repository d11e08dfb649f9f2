"""The translate control: `{% translatable post "post" %}` where a text is shown.

It renders the text as written with a "Vertaal / Translate" button, or, for a reader who chose "always
translate", the cached translation at once (no engine on the way: a missing one is fetched by htmx after
the page is shown). Facts about the reader and the school are asked once per request.
"""

from urllib.parse import urlencode, urlsplit

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from translation.actions import Outcome
from translation.engines import configured_engines, processor_name
from translation.models import Engine
from translation.protect import is_rtl
from translation.queries import (
    engines_of,
    language_name,
    preference_of,
    ready_translations,
    ready_translations_of,
)
from translation.sources import kind_named, source_hash

register = template.Library()


def _reader(request):
    """What this request knows about its reader and schools, asked once each and only when needed."""
    facts = getattr(request, "_translation_facts", None)
    if facts is None:
        facts = request._translation_facts = {"engines": {}}
    if "preference" not in facts:
        facts["preference"] = preference_of(request.user)
    return facts


def _ask_engines(request, school_ids) -> None:
    """The engines of the schools a page's texts come from, in one query (a notification list may hold
    notices of two schools), kept for the request."""
    if not configured_engines():  # no engine on this server: no query, not even the reader's preference
        return
    engines = _reader(request)["engines"]
    unknown = set(school_ids) - set(engines)
    if unknown:
        engines.update(engines_of(unknown))


def _engine_on(request, school_id: int) -> bool:
    if not configured_engines():  # no engine on this server: no query at all, and no control
        return False
    _ask_engines(request, [school_id])
    return _reader(request)["engines"][school_id] != Engine.OFF


def _parts(texts, html, *, heading: bool, translated: bool, roles=(), labels=None) -> list[dict]:
    """The texts to show; the title and the details (an event's place, a help request's tasks) only
    translated, for the page shows them as written itself."""
    parts, first_detail = [], len(texts) - len(roles)
    for index, (text, is_html) in enumerate(zip(texts, html, strict=True)):
        is_heading = heading and index == 0 and first_detail > 0
        label = str((labels or {}).get(roles[index - first_detail], "")) if index >= first_detail else None
        if (is_heading or label is not None) and not translated:
            continue
        parts.append({"text": text, "html": is_html, "heading": is_heading, "label": label})
    return parts


def _urls(kind: str, object_id: str, language: str = "", **query) -> dict:
    translate = reverse("translation:translated", args=[kind, object_id])
    params = {"to": language, **query} if language else query
    return {
        "translate_url": f"{translate}?{urlencode(params)}" if params else translate,
        "original_url": reverse("translation:original", args=[kind, object_id]),
    }


def page_url(request) -> str:
    """The page the reader is on: for an htmx fragment the page that asked (HX-Current-URL), so "always
    translate" and "choose a language" come back to the page, not to the fragment."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}):
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _base(request, kind, object_id: str) -> dict:
    preference = _reader(request)["preference"]
    return {
        "request": request,
        "page_url": page_url(request),
        "kind": kind.name,
        "object_id": object_id,
        "preference": preference,
        "reading_language": language_name(preference.language) if preference.language else "",
        "both": kind.author_id is not None,  # a message: the teacher sees both texts
    }


def original_context(request, kind, obj, **extra) -> dict:
    """The text as written, with the control (a button, or a link to choose a language first)."""
    context = _base(request, kind, obj.public_id)
    language = context["preference"].language
    if not language and kind.author_id is not None:  # a message: staff read it in their interface language
        language = getattr(request.user, "language", "")
    control = ""
    if _engine_on(request, kind.school_id(obj)):
        control = "button" if language else "link"
    context.update(
        mode="original",
        parts=_parts(kind.texts(obj), kind.html, heading=kind.has_heading, translated=False),
        control=control,
        reading_language=language_name(language) if language else "",
        **_urls(kind.name, obj.public_id, language),
        **extra,
    )
    return context


def outcome_context(request, outcome: Outcome, *, poll: int, polls: int) -> dict:
    kind = kind_named(outcome.kind)
    context = _base(request, kind, outcome.object_id)
    heading = kind.has_heading
    if outcome.state == "ready":
        context.update(
            mode="translated",
            parts=_parts(
                outcome.texts,
                outcome.html,
                heading=heading,
                translated=True,
                roles=outcome.roles,
                labels=kind.labels,
            ),
            originals=_parts(
                outcome.originals, outcome.html, heading=heading, translated=False, roles=outcome.roles
            ),
            language_code=outcome.language,
            language=language_name(outcome.language),
            dir="rtl" if is_rtl(outcome.language) else "ltr",
            # Offered to a reader who chose this language but not "always" (not to a teacher reading a
            # parent's message in the interface language).
            offer_always=context["preference"].language == outcome.language
            and not context["preference"].always,
            **_urls(kind.name, outcome.object_id),
        )
        return context
    context.update(
        mode="original",
        parts=_parts(outcome.originals, outcome.html, heading=heading, translated=False, roles=outcome.roles),
    )
    context.update(_urls(kind.name, outcome.object_id))
    if outcome.state == "pending" and poll < polls:
        context["pending"] = True
        context["poll_url"] = _urls(kind.name, outcome.object_id, outcome.language, poll=poll + 1)[
            "translate_url"
        ]
    else:
        context["unavailable"] = True
    return context


def _shown_language(request, kind, obj) -> tuple[str, bool]:
    """The language a text is shown in without asking, and whether a missing translation is fetched.

    "Always translate" covers every text. A message written by someone else is also shown translated into
    the reader's language (or, without one, the interface language) when a translation is there already:
    its author asked for it to be translated for the teacher. One's own message is shown as written (it
    is in the language its author chose, and asking for it would cost an engine call for nothing)."""
    preference = _reader(request)["preference"]
    if kind.author_id is not None and kind.author_id(obj) == request.user.id:
        return "", False
    if preference.always and preference.language:
        return preference.language, True
    if kind.author_id is not None and kind.author_id(obj) != request.user.id:
        return preference.language or getattr(request.user, "language", ""), False
    return "", False


def _ready(request, kind, obj, language: str):
    preloaded = _reader(request).get("ready", {}).get((kind.name, language), {})
    if obj.public_id in preloaded:
        return preloaded[obj.public_id]
    found = ready_translations(kind.name, {obj.public_id: source_hash(kind.all_texts(obj))}, language)
    return found.get(obj.public_id)


@register.simple_tag(takes_context=True)
def preload_translations(context, *pairs) -> str:
    """Read the cached translations of every text a page shows in one query, for the `translatable` tags
    after it: pairs of objects (or one object) and their kind, `{% preload_translations post "post"
    comments "comment" %}`."""
    request = context["request"]
    wanted: dict[tuple[str, str], dict[str, str]] = {}
    for objects, kind_name in zip(pairs[::2], pairs[1::2], strict=True):
        kind = kind_named(kind_name)
        objects = [objects] if hasattr(objects, "public_id") else list(objects or [])
        _ask_engines(request, {kind.school_id(obj) for obj in objects})
        for obj in objects:
            if not _engine_on(request, kind.school_id(obj)):
                continue
            language, _fetch = _shown_language(request, kind, obj)
            if language:
                wanted.setdefault((kind.name, language), {})[obj.public_id] = source_hash(kind.all_texts(obj))
    if not wanted:  # no engine, or nothing to show translated: not even the reader's preference is asked
        return ""
    ready = _reader(request).setdefault("ready", {})
    for key, found in ready_translations_of(wanted).items():
        # None for a text without one, so the tag after this does not ask again.
        ready.setdefault(key, {}).update({public_id: found.get(public_id) for public_id in wanted[key]})
    return ""


@register.inclusion_tag("translation/_text.html", takes_context=True)
def translatable(context, obj, kind_name: str):
    request = context["request"]
    kind = kind_named(kind_name)
    if not _engine_on(request, kind.school_id(obj)):  # the text as written, and no control
        parts = _parts(kind.texts(obj), kind.html, heading=kind.has_heading, translated=False)
        # Nothing at all where the page shows the only text itself (a notice's title in its list line).
        return {
            "kind": kind.name,
            "object_id": obj.public_id,
            "mode": "original",
            "parts": parts,
            "nothing": not parts,
        }
    extra = {"csrf_token": context.get("csrf_token")}
    language, fetch = _shown_language(request, kind, obj)
    if language:
        row = _ready(request, kind, obj, language)
        if row is not None:
            texts, roles = kind.with_roles(obj)
            outcome = Outcome(
                state="ready",
                kind=kind.name,
                object_id=obj.public_id,
                language=language,
                originals=texts,
                html=kind.html_of(len(texts)),
                texts=list(row.texts),
                roles=roles,
            )
            return {**outcome_context(request, outcome, poll=0, polls=0), **extra}
        # Not translated yet: show the original now and let htmx fetch the translation after the page.
        return {**original_context(request, kind, obj, autoload=fetch), **extra}
    return {**original_context(request, kind, obj), **extra}


@register.filter
def text_direction(language: str) -> str:
    """ "rtl" for a language written right to left (Arabic), else "ltr"."""
    return "rtl" if is_rtl(language) else "ltr"


@register.inclusion_tag("translation/_account_link.html")
def reading_language_link():
    return {}


@register.inclusion_tag("translation/_admin_link.html")
def translation_admin_link(school):
    return {"school": school}


@register.inclusion_tag("translation/_processors.html", takes_context=True)
def translation_processors(context):
    """For the privacy page: per school of the viewer, which engine (sub-processor) receives texts."""
    from schools.models import School
    from schools.queries import groups_visible_to

    if not configured_engines():  # no engine on this server: nothing to look up, nothing leaves
        return {"none_configured": True}
    user = context["request"].user
    schools = School.objects.filter(id__in=groups_visible_to(user).values("school_id")).order_by("name")
    schools = list(schools.values_list("id", "name"))
    engines = engines_of(school_id for school_id, _name in schools)
    return {
        "schools": [
            (name, engines[school_id], processor_name(engines[school_id])) for school_id, name in schools
        ]
    }
